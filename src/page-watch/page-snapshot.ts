// One page of the way to payment, reduced to what an intruder would have to change to skim cards
// (PCI DSS v4.0.1 6.4.3 script inventory, 11.6.1 change detection): its scripts and stylesheets
// with the hash of the bytes served, its forms and fields, frames, and the security headers.
// Whatever differs on every response by design (CSP nonces, CSRF tokens, cart item ids, the
// cart count) is left out or normalised here, so comparing two snapshots never sees it.
import { createHash } from 'node:crypto';
import { cardFieldsInDocument, type CardField } from './card-field-detector.ts';
import { ancestorOf, attrOf, elementsOf, parseHtml, textOf, type HtmlElement } from './html-elements.ts';

export type ResourceRef =
  | { kind: 'external'; url: string; sha256: string | null; fetchError?: string; integrity?: string; type?: string }
  | { kind: 'inline'; sha256: string; length: number; type?: string };

export interface FieldRef {
  tag: string;
  name: string | null;
  type: string | null;
  autocomplete: string | null;
}

export interface FormRef {
  /** Normalised action: same-origin as a path, cross-origin as an absolute URL; null for fields outside any form. */
  action: string | null;
  method: 'get' | 'post' | 'dialog' | null;
  fields: FieldRef[];
}

export interface SecurityHeaders {
  /** Directive → sources (lower-cased names, nonces replaced by 'nonce'); null when the page has no CSP. */
  csp: Record<string, string[]> | null;
  frameAncestors: string[] | null;
  hsts: { maxAge: number; includeSubDomains: boolean; preload: boolean } | null;
  xFrameOptions: string | null;
}

export interface PageSnapshot {
  page: string;
  /** The path fetched (no query: ?lang= and the like are not part of what the page is). */
  path: string;
  status: number;
  scripts: ResourceRef[];
  stylesheets: ResourceRef[];
  frames: string[];
  forms: FormRef[];
  cardFields: CardField[];
  headers: SecurityHeaders;
  /**
   * Where the customer can be sent from this page's forms: CSP form-action sources other than
   * 'self' (the checkout posts to the shop, which redirects to the gateway, and form-action governs
   * that redirect) plus the origin of every form that posts elsewhere. null: nothing limits it.
   */
  paymentOrigins: string[] | null;
}

/** Fetches a script or stylesheet the page references; undefined body when it could not. */
export type ResourceFetcher = (url: string) => Promise<{ body: Uint8Array } | { error: string }>;

export interface PageInput {
  page: string;
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const NONCE_SOURCE = /^'nonce-[^']*'$/i;

/** CSP header → directives, nonces normalised (they are new on every response by design). */
export function parseCsp(header: string | null): Record<string, string[]> | null {
  if (!header) return null;
  const directives: Record<string, string[]> = {};
  // Several policies (comma-joined headers) all apply; merging their sources would loosen, so the first wins per directive.
  for (const policy of header.split(',')) {
    for (const part of policy.split(';')) {
      const [name, ...sources] = part.trim().split(/\s+/);
      if (!name) continue;
      const key = name.toLowerCase();
      if (key in directives) continue;
      directives[key] = sources.map((s) => (NONCE_SOURCE.test(s) ? "'nonce'" : s.startsWith("'") ? s.toLowerCase() : s));
    }
  }
  return directives;
}

function parseHsts(header: string | null): SecurityHeaders['hsts'] {
  if (!header) return null;
  const parts = header.toLowerCase().split(';').map((p) => p.trim());
  const maxAge = Number(/max-age="?(\d+)"?/.exec(header.toLowerCase())?.[1] ?? 0);
  return { maxAge, includeSubDomains: parts.includes('includesubdomains'), preload: parts.includes('preload') };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A path with its per-cart parts (item ids, cart ids) replaced by placeholders. */
export function normalisePath(pathname: string): string {
  return pathname.replace(UUID, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
}

function resolve(raw: string, base: URL): URL | undefined {
  try {
    return new URL(raw.trim(), base);
  } catch {
    return undefined;
  }
}

/** Same-origin URLs become normalised paths (+ query), others stay absolute. */
function normaliseUrl(raw: string, base: URL): string {
  const url = resolve(raw, base);
  if (!url) return raw;
  const where = normalisePath(url.pathname) + url.search;
  return url.origin === base.origin ? where : url.origin + where;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

function relTokens(el: HtmlElement): string[] {
  return (attrOf(el, 'rel') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

type Pending = { el: HtmlElement; list: 'scripts' | 'stylesheets'; url: string; resolved: URL | undefined };

/**
 * Builds the snapshot of one page. External scripts and stylesheets are fetched (`fetchResource`)
 * and hashed, because the breach changes the file, not the tag that loads it.
 */
export async function snapshotPage(input: PageInput, fetchResource: ResourceFetcher): Promise<PageSnapshot> {
  const base = new URL(input.url);
  const doc = parseHtml(input.html);
  const scripts: (ResourceRef | Pending)[] = [];
  const stylesheets: (ResourceRef | Pending)[] = [];
  const frames: string[] = [];
  const formsByElement = new Map<HtmlElement | null, FormRef>();

  for (const el of elementsOf(doc)) {
    const type = attrOf(el, 'type')?.toLowerCase();
    if (el.tagName === 'script') {
      const src = attrOf(el, 'src');
      if (src !== undefined) scripts.push({ el, list: 'scripts', url: src, resolved: resolve(src, base) });
      else scripts.push({ kind: 'inline', sha256: sha256Hex(textOf(el)), length: textOf(el).length, ...optional('type', type) });
    } else if (el.tagName === 'style') {
      stylesheets.push({ kind: 'inline', sha256: sha256Hex(textOf(el)), length: textOf(el).length });
    } else if (el.tagName === 'link') {
      const rel = relTokens(el);
      const href = attrOf(el, 'href');
      if (href === undefined) continue;
      if (rel.includes('stylesheet')) stylesheets.push({ el, list: 'stylesheets', url: href, resolved: resolve(href, base) });
      else if (rel.includes('modulepreload') || (rel.includes('preload') && attrOf(el, 'as') === 'script')) scripts.push({ el, list: 'scripts', url: href, resolved: resolve(href, base) });
    } else if (el.tagName === 'iframe' || el.tagName === 'frame' || el.tagName === 'object' || el.tagName === 'embed') {
      const src = attrOf(el, 'src') ?? attrOf(el, 'data');
      frames.push(src === undefined ? `${el.tagName}:srcdoc:${sha256Hex(attrOf(el, 'srcdoc') ?? '')}` : normaliseUrl(src, base));
    } else if (el.tagName === 'form') {
      if (!formsByElement.has(el)) formsByElement.set(el, formRefOf(el, base));
    } else if (el.tagName === 'input' || el.tagName === 'select' || el.tagName === 'textarea') {
      const form = ancestorOf(el, 'form') ?? null;
      let ref = formsByElement.get(form);
      if (!ref) {
        ref = form ? formRefOf(form, base) : { action: null, method: null, fields: [] };
        formsByElement.set(form, ref);
      }
      const field: FieldRef = { tag: el.tagName, name: attrOf(el, 'name') ?? null, type: el.tagName === 'input' ? (type ?? 'text') : null, autocomplete: attrOf(el, 'autocomplete')?.toLowerCase() ?? null };
      // A radio group or a repeated line lists the same field several times; once is what it is.
      if (!ref.fields.some((f) => f.tag === field.tag && f.name === field.name && f.type === field.type && f.autocomplete === field.autocomplete)) ref.fields.push(field);
    }
  }

  const cache = new Map<string, Promise<{ body: Uint8Array } | { error: string }>>();
  const settle = async (entry: ResourceRef | Pending): Promise<ResourceRef> => {
    if (!('el' in entry)) return entry;
    const type = attrOf(entry.el, 'type')?.toLowerCase();
    const integrity = attrOf(entry.el, 'integrity');
    const url = normaliseUrl(entry.url, base);
    if (!entry.resolved || !/^https?:$/.test(entry.resolved.protocol)) return { kind: 'external', url, sha256: null, fetchError: 'not an http(s) URL', ...optional('integrity', integrity), ...optional('type', type) };
    const key = entry.resolved.href;
    if (!cache.has(key)) cache.set(key, fetchResource(key));
    const fetched = await cache.get(key)!;
    return 'body' in fetched
      ? { kind: 'external', url, sha256: sha256Hex(fetched.body), ...optional('integrity', integrity), ...optional('type', type) }
      : { kind: 'external', url, sha256: null, fetchError: fetched.error, ...optional('integrity', integrity), ...optional('type', type) };
  };

  // Forms in document order, identical ones once (the cart repeats its per-line forms).
  const forms: FormRef[] = [];
  for (const ref of formsByElement.values()) {
    const same = forms.find((f) => JSON.stringify(f) === JSON.stringify(ref));
    if (!same) forms.push(ref);
  }

  const csp = parseCsp(input.headers.get('content-security-policy'));
  return {
    page: input.page,
    path: normalisePath(base.pathname),
    status: input.status,
    scripts: await Promise.all(scripts.map(settle)),
    stylesheets: await Promise.all(stylesheets.map(settle)),
    frames,
    forms,
    cardFields: cardFieldsInDocument(doc),
    headers: {
      csp,
      frameAncestors: csp?.['frame-ancestors'] ?? null,
      hsts: parseHsts(input.headers.get('strict-transport-security')),
      xFrameOptions: input.headers.get('x-frame-options')?.toUpperCase() ?? null,
    },
    paymentOrigins: paymentOriginsOf(csp, forms, base),
  };
}

function formRefOf(form: HtmlElement, base: URL): FormRef {
  const method = (attrOf(form, 'method') ?? 'get').toLowerCase();
  const action = attrOf(form, 'action');
  return {
    // A form without action posts to the page itself.
    action: normaliseUrl(action === undefined || action.trim() === '' ? base.pathname : action, base),
    method: method === 'post' || method === 'dialog' ? method : 'get',
    fields: [],
  };
}

function paymentOriginsOf(csp: Record<string, string[]> | null, forms: FormRef[], base: URL): string[] | null {
  const formAction = csp?.['form-action'];
  const origins = new Set<string>();
  for (const f of forms) {
    if (f.action && /^https?:\/\//.test(f.action)) origins.add(new URL(f.action).origin);
  }
  if (!formAction) return null;
  for (const source of formAction) {
    if (source === "'self'") continue;
    if (source === "'none'") continue;
    origins.add(/^https?:\/\//.test(source) ? source.replace(/\/$/, '') : source);
  }
  origins.delete(base.origin);
  return [...origins].sort();
}
