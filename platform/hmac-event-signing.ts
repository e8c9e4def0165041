// Signed server-to-server events (the gateway's payment notifications). The signature
// covers timestamp, event id and the raw body bytes, so the receiver can check freshness
// and deduplicate by event id without trusting anything it has not verified.
import { checkTimestampFreshness, hexDigestsEqual, hmacSha256Hex, unixSeconds } from './hmac-sha256.ts';
import { DEFAULT_SIGNATURE_TOLERANCE_MS, type SignatureCheck } from './hmac-request-signing.ts';

export const SIGNED_EVENT_HEADERS = {
  timestamp: 'x-mamori-timestamp',
  eventId: 'x-mamori-event-id',
  signature: 'x-mamori-signature',
} as const;

export interface SignedEventParts {
  /** Unix seconds. */
  timestamp: string;
  eventId: string;
  body: string | Buffer;
}

export function signEvent(secret: string, p: SignedEventParts): string {
  const head = Buffer.from(`${p.timestamp}\n${p.eventId}\n`, 'utf8');
  return hmacSha256Hex(secret, Buffer.concat([head, typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body]));
}

export function createSignedEventHeaders(input: { secret: string; eventId: string; body: string | Buffer; now?: Date }): Record<string, string> {
  const timestamp = unixSeconds(input.now ?? new Date());
  return {
    [SIGNED_EVENT_HEADERS.timestamp]: timestamp,
    [SIGNED_EVENT_HEADERS.eventId]: input.eventId,
    [SIGNED_EVENT_HEADERS.signature]: signEvent(input.secret, { timestamp, eventId: input.eventId, body: input.body }),
  };
}

export function verifyEventSignature(input: SignedEventParts & { secret: string; signature: string; now: Date; toleranceMs?: number }): SignatureCheck {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(input.eventId)) return { ok: false, error: 'MALFORMED', detail: 'event id header missing or malformed' };
  const fresh = checkTimestampFreshness(input.timestamp, input.now, input.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS);
  if (!fresh.ok) return fresh;
  if (!hexDigestsEqual(signEvent(input.secret, input), input.signature)) return { ok: false, error: 'BAD_SIGNATURE', detail: 'signature does not match the event' };
  return { ok: true };
}
