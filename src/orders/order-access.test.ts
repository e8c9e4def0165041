import { describe, expect, it } from 'vitest';
import { accessTokenMatches, hashAccessToken, newAccessToken, newOrderNumber } from './order-access.ts';

describe('order access', () => {
  it('issues unguessable tokens and stores only their hash', () => {
    const a = newAccessToken();
    const b = newAccessToken();
    expect(a.token).not.toBe(b.token);
    expect(a.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(a.hash).toBe(hashAccessToken(a.token));
    expect(a.hash).not.toContain(a.token);
    expect(accessTokenMatches(a.token, a.hash)).toBe(true);
    expect(accessTokenMatches(b.token, a.hash)).toBe(false);
    expect(accessTokenMatches('', a.hash)).toBe(false);
  });

  it('makes readable, random order numbers without ambiguous letters', () => {
    const numbers = Array.from({ length: 2000 }, newOrderNumber);
    for (const n of numbers) expect(n).toMatch(/^MA-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
