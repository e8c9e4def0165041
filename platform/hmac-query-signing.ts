// Signed query parameters, for results carried by a browser redirect (the gateway sending
// the customer back to the shop). The browser is untrusted, so the receiver can tell a
// genuine result from a hand-edited URL; it still confirms with a server-to-server query.
import { checkTimestampFreshness, hexDigestsEqual, hmacSha256Hex, unixSeconds } from './hmac-sha256.ts';
import { DEFAULT_SIGNATURE_TOLERANCE_MS, type SignatureCheck } from './hmac-request-signing.ts';

export const QUERY_SIGNATURE_PARAM = 'sig';
export const QUERY_TIMESTAMP_PARAM = 'ts';

function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== QUERY_SIGNATURE_PARAM)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!)}`)
    .join('&');
}

/** Returns params plus `ts` and `sig`, ready for URLSearchParams. */
export function signQueryParams(secret: string, params: Record<string, string>, now: Date = new Date()): Record<string, string> {
  const withTs = { ...params, [QUERY_TIMESTAMP_PARAM]: unixSeconds(now) };
  return { ...withTs, [QUERY_SIGNATURE_PARAM]: hmacSha256Hex(secret, canonicalQuery(withTs)) };
}

/** Every parameter except `sig` is covered, so nothing can be added or changed. */
export function verifyQuerySignature(secret: string, params: Record<string, string>, now: Date, toleranceMs = DEFAULT_SIGNATURE_TOLERANCE_MS): SignatureCheck {
  const sig = params[QUERY_SIGNATURE_PARAM];
  const ts = params[QUERY_TIMESTAMP_PARAM];
  if (!sig || !ts) return { ok: false, error: 'MALFORMED', detail: 'sig or ts missing' };
  const fresh = checkTimestampFreshness(ts, now, toleranceMs);
  if (!fresh.ok) return fresh;
  if (!hexDigestsEqual(hmacSha256Hex(secret, canonicalQuery(params)), sig)) return { ok: false, error: 'BAD_SIGNATURE', detail: 'query signature does not match' };
  return { ok: true };
}
