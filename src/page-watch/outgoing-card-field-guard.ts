// The last line on the way out: no storefront page may contain a card-entry field, because the
// shop never asks for card data. If one appears (an intruder's fake form), the page is not sent,
// a critical alert is raised and card payments pause, all before the customer can type into it.
// The back office is left out: its own forms (an account's access expiry date) are not payment
// pages, and the fake-form attack targets customers.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findCardFields, mayContainCardFields } from './card-field-detector.ts';
import { raiseAlertAndPauseCardPayments } from '../alerts/raise-alert-and-pause.ts';

const REPLACEMENT = '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Error</title></head><body>'
  + '<h1>ただいまこのページを表示できません / This page cannot be shown right now</h1>'
  + '<p>カード決済を一時停止しています。カード情報は入力しないでください。 / Card payment is paused. Do not enter card details.</p></body></html>';

/** Clean verdicts kept (bodies' SHA-256); a cached page body is then checked by hash, not re-parsed. */
const CLEAN_VERDICTS_KEPT = 512;

/**
 * SHA-256 hex of bodies already parsed and found clean, oldest first. Only clean verdicts are kept:
 * any changed byte is a new hash and a full check, so a tampered page is always parsed.
 */
export function cleanVerdictCache(limit = CLEAN_VERDICTS_KEPT) {
  const clean = new Set<string>();
  return {
    has: (hash: string) => clean.has(hash),
    add(hash: string) {
      clean.add(hash);
      if (clean.size > limit) clean.delete(clean.values().next().value!);
    },
    get size() { return clean.size; },
  };
}

const FILLED_TEMPLATE = Symbol('mamori.filledTemplate');

/**
 * What a cached page's hole values may be made of (base64 nonces, base64url CSRF tokens, the cart
 * badge ` (3)`): no quote, `<`, `>` or `&`, so filling them in cannot change how the page parses,
 * only the text of an attribute value or a run of text, and none of them can spell a card field.
 */
const INERT_HOLE_VALUE = /^[A-Za-z0-9+/=_ ().-]*$/;

interface FilledTemplate { body: string | Buffer; tag: string; template: () => string }

/**
 * Tells the guard that `body` is a cached page template (identified by `tag`, the SHA-256 of
 * `template()`) with inert per-response values filled into its holes. The guard then judges the
 * template once instead of parsing every response (each differs by its nonce and token). Any
 * value that is not inert, or any other body sent instead of this one, gets the full check.
 */
export function vouchForFilledTemplate(reply: FastifyReply, body: string | Buffer, tag: string, values: readonly string[], template: () => string): void {
  if (!values.every((v) => INERT_HOLE_VALUE.test(v))) return;
  (reply as unknown as Record<symbol, FilledTemplate>)[FILLED_TEMPLATE] = { body, tag, template };
}

export function installOutgoingCardFieldGuard(app: FastifyInstance): void {
  const clean = cleanVerdictCache();
  app.addHook('onSend', async (request, reply, raw) => {
    // Pages are sent as strings or, pre-encoded, as Buffers (page-cache.ts): both are checked.
    if ((typeof raw !== 'string' && !Buffer.isBuffer(raw)) || request.url.startsWith('/admin')) return raw;
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith('text/html')) return raw;
    const filled = (reply as unknown as Record<symbol, FilledTemplate | undefined>)[FILLED_TEMPLATE];
    // Exactly the body sendPage built (the same string or Buffer object, so this is a pointer
    // check): its template was judged once, so neither the pre-check nor a parse runs again.
    if (filled !== undefined && filled.body === raw) {
      const key = `template:${filled.tag}`;
      if (clean.has(key)) return raw;
      if (findCardFields(filled.template()).length === 0) { clean.add(key); return raw; }
      // A template with a card field: the full check below withholds the page and raises the alert.
    }
    const payload = typeof raw === 'string' ? raw : raw.toString('utf8');
    // The cheap pre-check rejects every normal page in microseconds; only a suspect page is parsed.
    if (!mayContainCardFields(payload)) return raw;
    const hash = createHash('sha256').update(payload).digest('hex');
    if (clean.has(hash)) return raw;
    const fields = findCardFields(payload);
    if (fields.length === 0) { clean.add(hash); return raw; }
    const path = request.url.split('?')[0]!;
    request.log.error({ path, fields: fields.map((f) => ({ kind: f.kind, name: f.name, evidence: f.evidence })) }, 'card-entry field in an outgoing page: page withheld, card payments paused');
    await raiseAlertAndPauseCardPayments(app.shop, {
      kind: 'page_watch.card_field_served',
      severity: 'critical',
      dedupeKey: `card-field-served:${path}`,
      summary: `a card-entry field was about to be served on ${path}; the page was withheld and card payments paused`,
      evidence: { path, fields: fields.map((f) => ({ kind: f.kind, name: f.name, id: f.id, evidence: f.evidence, formAction: f.formAction })) },
    }, 'outgoing-card-field-guard').catch((err: unknown) => request.log.error({ err }, 'could not record the card-field alert'));
    reply.code(503).header('retry-after', '300').header('cache-control', 'no-store');
    return REPLACEMENT;
  });
}
