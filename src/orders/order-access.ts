// Customers reach an order only with an unguessable token (or order number + e-mail);
// the database keeps only the token's hash, so a leaked database grants no order access.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newAccessToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashAccessToken(token) };
}

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function accessTokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashAccessToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// Crockford base32 without I, L, O, U: easy to read out over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Customer-facing order number, random (never sequential): MA-XXXX-XXXX, 2^40 values. */
export function newOrderNumber(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return `MA-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

/**
 * An order number as a customer may type it back: full-width (ＭＡ－１２３４), with a katakana long
 * vowel or a minus sign for the dash (IMEs produce both), lower case, spaces, and the letters
 * Crockford base32 reads as digits (O as 0, I and L as 1).
 */
export function normalizeOrderNumber(typed: string): string {
  const s = typed.normalize('NFKC').toUpperCase().replace(/[\s]/g, '').replace(/[ー−‐‑‒–—―ｰ]/g, '-');
  const m = /^MA-?([0-9A-Z]{4})-?([0-9A-Z]{4})$/.exec(s);
  if (!m) return s;
  const crockford = (part: string) => part.replace(/O/g, '0').replace(/[IL]/g, '1');
  return `MA-${crockford(m[1]!)}-${crockford(m[2]!)}`;
}
