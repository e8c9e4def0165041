// HMAC-SHA256 primitives shared by every signed message Mamori sends or receives
// (merchant API requests, gateway notifications, return URLs). Node's crypto does the
// cryptography; this file only fixes the encoding and the constant-time comparison.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Hex(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** Constant-time comparison of two hex digests: an early-exit compare leaks the digest byte by byte. */
export function hexDigestsEqual(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(givenHex) || givenHex.length !== expectedHex.length) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex.toLowerCase(), 'hex'));
}

export type TimestampCheck = { ok: true; timestampMs: number } | { ok: false; error: 'MALFORMED' | 'STALE_TIMESTAMP'; detail: string };

/** Unix seconds as a decimal string; anything older or newer than the tolerance is refused (replay window). */
export function checkTimestampFreshness(timestamp: string, now: Date, toleranceMs: number): TimestampCheck {
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, error: 'MALFORMED', detail: 'timestamp must be unix seconds' };
  const timestampMs = Number(timestamp) * 1000;
  if (Math.abs(now.getTime() - timestampMs) > toleranceMs) {
    return { ok: false, error: 'STALE_TIMESTAMP', detail: `timestamp is more than ${Math.round(toleranceMs / 1000)} s away from the receiver's clock` };
  }
  return { ok: true, timestampMs };
}

export function unixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}
