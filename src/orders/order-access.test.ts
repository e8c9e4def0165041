import { describe, expect, it } from 'vitest';
import { accessTokenMatches, hashAccessToken, newAccessToken, newOrderNumber, normalizeOrderNumber } from './order-access.ts';

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

describe('order numbers typed back by a customer', () => {
  it.each([
    ['MA-7K2P-9QX4', 'MA-7K2P-9QX4'],
    ['ma-7k2p-9qx4', 'MA-7K2P-9QX4'],
    ['ＭＡ－７Ｋ２Ｐ－９ＱＸ４', 'MA-7K2P-9QX4'],
    ['ＭＡー７Ｋ２Ｐー９ＱＸ４', 'MA-7K2P-9QX4'],
    ['MA−7K2P−9QX4', 'MA-7K2P-9QX4'],
    [' MA 7K2P 9QX4 ', 'MA-7K2P-9QX4'],
    ['MA7K2P9QX4', 'MA-7K2P-9QX4'],
    ['MA-7K2P-9QXO', 'MA-7K2P-9QX0'], // Crockford: O reads as 0, I and L as 1
    ['MA-IK2P-9QXL', 'MA-1K2P-9QX1'],
  ])('%s is %s', (typed, stored) => {
    expect(normalizeOrderNumber(typed)).toBe(stored);
  });

  it('leaves what is not an order number alone (it simply finds nothing)', () => {
    expect(normalizeOrderNumber('hello')).toBe('HELLO');
  });
});
