// Mamori's signed-request protocol: the caller (e.g. the shop calling the sandbox
// gateway's merchant API) signs method, path, timestamp, nonce and the raw body with a
// shared secret. The timestamp bounds the replay window; the nonce lets the receiver
// refuse an exact replay inside that window.
import { randomBytes } from 'node:crypto';
import { checkTimestampFreshness, hexDigestsEqual, hmacSha256Hex, unixSeconds } from './hmac-sha256.ts';

export const SIGNED_REQUEST_HEADERS = {
  keyId: 'x-mamori-merchant',
  timestamp: 'x-mamori-timestamp',
  nonce: 'x-mamori-nonce',
  signature: 'x-mamori-signature',
} as const;

export const DEFAULT_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface SignedRequestParts {
  method: string;
  /** Path plus query string exactly as sent on the request line (`/v1/payments/tx_1?x=1`). */
  path: string;
  /** Unix seconds. */
  timestamp: string;
  nonce: string;
  body: string | Buffer;
}

export function canonicalRequest(p: SignedRequestParts): Buffer {
  const head = `${p.method.toUpperCase()}\n${p.path}\n${p.timestamp}\n${p.nonce}\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body]);
}

export function signRequest(secret: string, p: SignedRequestParts): string {
  return hmacSha256Hex(secret, canonicalRequest(p));
}

export function createSignedRequestHeaders(input: {
  keyId: string;
  secret: string;
  method: string;
  path: string;
  body: string | Buffer;
  now?: Date;
  nonce?: string;
}): Record<string, string> {
  const timestamp = unixSeconds(input.now ?? new Date());
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  const signature = signRequest(input.secret, { method: input.method, path: input.path, timestamp, nonce, body: input.body });
  return {
    [SIGNED_REQUEST_HEADERS.keyId]: input.keyId,
    [SIGNED_REQUEST_HEADERS.timestamp]: timestamp,
    [SIGNED_REQUEST_HEADERS.nonce]: nonce,
    [SIGNED_REQUEST_HEADERS.signature]: signature,
  };
}

export type SignatureCheck = { ok: true } | { ok: false; error: 'MALFORMED' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE'; detail: string };

export function verifyRequestSignature(input: SignedRequestParts & { secret: string; signature: string; now: Date; toleranceMs?: number }): SignatureCheck {
  if (!/^[0-9a-f]{16,64}$/i.test(input.nonce)) return { ok: false, error: 'MALFORMED', detail: 'nonce must be 16-64 hex characters' };
  const fresh = checkTimestampFreshness(input.timestamp, input.now, input.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS);
  if (!fresh.ok) return fresh;
  const expected = signRequest(input.secret, input);
  if (!hexDigestsEqual(expected, input.signature)) return { ok: false, error: 'BAD_SIGNATURE', detail: 'signature does not match the request' };
  return { ok: true };
}
