// Rendered catalog pages, kept per (page, locale, catalog version) in the catalog cache, with holes
// for what differs per response: the CSP nonce, the CSRF token and the cart badge. A page is
// rendered once with unguessable markers in those places, split on them, and each response joins
// the pieces with its own values, so a cached page never carries another response's nonce or
// token, nor another customer's cart. Holes a page does not contain cost nothing: a page without
// the CSRF hole (the catalog list) never makes a token, so it sets no cookie.
//
// HTTP caching: a page without personal parts (no cart cookie, no token, no cookie being set) is
// `public` for a short shared-cache time (a CDN may hold it SHARED_MAX_AGE_SECONDS); anything else
// is `private, no-cache`. Both carry an ETag and answer `If-None-Match` with 304. The ETag of a
// personal page covers its cart badge and the visitor's CSRF secret, so a 304 only ever confirms
// a copy made for that same visitor (whose older token is still valid for the same secret).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CART_COOKIE } from '../http/cookies.ts';
import { LOCALE_COOKIE } from '../i18n/locale.ts';
import { csrfCookieName } from '../app.ts';
import type { ViewContext } from '../layout/view-context.ts';
import { csrfTokenFor } from '../http/csrf-token.ts';
import { vouchForFilledTemplate } from '../page-watch/outgoing-card-field-guard.ts';

/** How long a shared cache (CDN) may keep a public catalog page or API read. */
export const SHARED_MAX_AGE_SECONDS = 10;
export const PUBLIC_CACHE_CONTROL = `public, max-age=0, s-maxage=${SHARED_MAX_AGE_SECONDS}`;
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';
/** Language comes from ?lang (in the URL), the language cookie or Accept-Language. */
export const CATALOG_VARY = 'Accept-Language, Cookie';

// Per process and random: page content (a product description) cannot forge a hole.
const MARK = `mamori${randomBytes(12).toString('hex')}`;
export const HOLES = { nonce: `${MARK}n`, csrf: `${MARK}c`, cart: `${MARK}b` } as const;
type Hole = keyof typeof HOLES;
const HOLE_PATTERN = new RegExp(`${MARK}([ncb])`, 'g');
const HOLE_BY_LETTER: Record<string, Hole> = { n: 'nonce', c: 'csrf', b: 'cart' };

export interface PageTemplate {
  /** Text between the holes: parts.length === holes.length + 1. */
  parts: string[];
  /**
   * The same parts encoded once as UTF-8. A response is joined from these: writing a Buffer
   * spares the per-response UTF-8 encoding of a mostly Japanese page (a bare node:http server
   * answered ~30% fewer requests a second with the page as a string than as a Buffer).
   */
  encodedParts: Buffer[];
  holes: Hole[];
  needsCsrf: boolean;
  /** Hash of the rendered template (the page as every visitor shares it). */
  tag: string;
}

/** The per-response parts a template is rendered with (each a marker, filled in by sendPage). */
export function withHoles(ctx: Omit<ViewContext, 'nonce' | 'csrfToken' | 'cartCount' | 'cartBadge'>): ViewContext {
  return { ...ctx, nonce: HOLES.nonce, csrfToken: HOLES.csrf, cartCount: 0, cartBadge: HOLES.cart };
}

export function toTemplate(html: string): PageTemplate {
  const parts: string[] = [];
  const holes: Hole[] = [];
  let last = 0;
  for (const m of html.matchAll(HOLE_PATTERN)) {
    parts.push(html.slice(last, m.index));
    holes.push(HOLE_BY_LETTER[m[1]!]!);
    last = m.index + m[0].length;
  }
  parts.push(html.slice(last));
  return { parts, encodedParts: parts.map((p) => Buffer.from(p, 'utf8')), holes, needsCsrf: holes.includes('csrf'), tag: createHash('sha256').update(html).digest('base64url').slice(0, 22) };
}

/** The template as rendered, markers in its holes (what its tag is the hash of). */
export function templateHtml(template: PageTemplate): string {
  let html = template.parts[0]!;
  for (let i = 0; i < template.holes.length; i++) html += HOLES[template.holes[i]!] + template.parts[i + 1]!;
  return html;
}

/** Whether this request's page sets the language cookie (?lang= differing from the cookie). */
export function setsLocaleCookie(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown> | undefined)?.lang === request.locale && request.cookies[LOCALE_COOKIE] !== request.locale;
}

/** The cart badge's number without loading the cart: one query. */
export async function cartCountOf(db: Kysely<Database>, cartId: string | undefined): Promise<number> {
  if (!cartId || !/^[0-9a-f-]{36}$/.test(cartId)) return 0;
  const row = await db.selectFrom('cart_items').where('cart_id', '=', cartId).select((eb) => eb.fn.sum<number | string | null>('quantity').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => { const v = t.trim(); return v === '*' || v === etag || v.replace(/^W\//, '') === etag.replace(/^W\//, ''); });
}

function cartBadge(count: number): string {
  return count > 0 ? ` (${count})` : '';
}

/**
 * Sends a template with this response's nonce, CSRF token and cart badge; sets Cache-Control,
 * Vary and ETag, and answers 304 when the client's copy is current.
 */
export async function sendPage(request: FastifyRequest, reply: FastifyReply, template: PageTemplate): Promise<FastifyReply> {
  const { db, config } = request.server.shop;
  const cartId = request.cookies[CART_COOKIE];
  const count = await cartCountOf(db.db, cartId);
  const secretName = csrfCookieName(config.https);
  const secret = request.cookies[secretName];
  // A page carrying a token needs the visitor's CSRF secret: without one, generateCsrf sets it.
  const setsCookie = reply.hasHeader('set-cookie') || setsLocaleCookie(request) || (template.needsCsrf && !secret);
  const personal = template.needsCsrf || cartId !== undefined || setsCookie;
  reply.header('vary', CATALOG_VARY);
  reply.type('text/html; charset=utf-8');
  if (!personal) {
    const etag = `W/"${template.tag}"`;
    reply.header('cache-control', PUBLIC_CACHE_CONTROL).header('etag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send('');
  } else if (!setsCookie) {
    const etag = `W/"${createHash('sha256').update(`${template.tag}|${count}|${secret ?? ''}`).digest('base64url').slice(0, 22)}"`;
    reply.header('cache-control', PRIVATE_CACHE_CONTROL).header('etag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send('');
  } else {
    reply.header('cache-control', PRIVATE_CACHE_CONTROL);
  }
  const values: Record<Hole, string> = {
    nonce: reply.cspNonce?.script ?? '',
    csrf: template.needsCsrf ? csrfTokenFor(request, reply) : '',
    cart: cartBadge(count),
  };
  const pieces: Buffer[] = [template.encodedParts[0]!];
  for (let i = 0; i < template.holes.length; i++) pieces.push(Buffer.from(values[template.holes[i]!], 'utf8'), template.encodedParts[i + 1]!);
  const body = Buffer.concat(pieces);
  vouchForFilledTemplate(reply, body, template.tag, [values.nonce, values.csrf, values.cart], () => templateHtml(template));
  return reply.send(body);
}

/** A serialized public API answer (UTF-8, encoded once, as a page's parts are) and its tag, kept in the catalog cache like a page. */
export interface JsonAnswer { body: Buffer; tag: string }

export function toJsonAnswer(value: unknown): JsonAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return { body, tag: createHash('sha256').update(body).digest('base64url').slice(0, 22) };
}

/** Sends a public catalog read (no cookie read, none set): shared-cacheable briefly, ETag, 304. */
export function sendPublicJson(request: FastifyRequest, reply: FastifyReply, answer: JsonAnswer): FastifyReply {
  const etag = `W/"${answer.tag}"`;
  reply.header('vary', CATALOG_VARY).header('etag', etag).header('cache-control', PUBLIC_CACHE_CONTROL);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send('');
  return reply.type('application/json; charset=utf-8').send(answer.body);
}
