import { describe, expect, it } from 'vitest';
import { blankCardNumbers, containsCardNumber, holdsCardNumber, NOT_DIGIT_BEARING, phoneHoldsCardNumber, textWithoutCardNumber } from './card-number-guard.ts';

describe('card-number guard', () => {
  it('finds a card number anywhere in a parsed body, numbers and keys included', () => {
    expect(holdsCardNumber({ a: [{ b: 'x 4242 4242 4242 4242' }] })).toBe(true);
    expect(holdsCardNumber({ n: 4242424242424242 })).toBe(true);
    expect(holdsCardNumber({ '4242424242424242': 1 })).toBe(true);
    expect(holdsCardNumber({ a: ['ok', 12, null, { phone: '090-1234-5678' }] })).toBe(false);
  });

  it('lets phone numbers with a country code through, but not a bare card number', () => {
    expect(phoneHoldsCardNumber('+378 2822 4631 0005')).toBe(false);
    expect(phoneHoldsCardNumber('378282246310005')).toBe(true);
    expect(phoneHoldsCardNumber('090-1234-5678')).toBe(false);
  });

  it('words the refusal for the Store API', () => {
    const r = textWithoutCardNumber().safeParse('5555 5555 5555 4444');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('Do not enter card numbers here');
  });

  it('refuses card numbers typed with full-width or other compatibility digits (NFKC)', () => {
    expect(textWithoutCardNumber().safeParse('４１１１ １１１１ １１１１ １１１１').success).toBe(false);
    expect(textWithoutCardNumber().safeParse('𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏').success).toBe(false);
    expect(containsCardNumber('⁴¹¹¹-¹¹¹¹-¹¹¹¹-¹¹¹¹')).toBe(true);
    expect(blankCardNumbers({ name: '山田 𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏', city: '渋谷区' })).toEqual({ name: '', city: '渋谷区' });
    expect(containsCardNumber('電話 ０９０−１２３４−５６７８')).toBe(false);
  });
});

describe('the guard\'s fast path', () => {
  it('rests on facts true of every code point: only the counted characters give digits under NFKC, three at most', () => {
    let most = 0;
    const uncounted: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const digits = (ch.normalize('NFKC').match(/[0-9\uff10-\uff19]/g) ?? []).length;
      if (digits === 0) continue;
      if (ch.replace(NOT_DIGIT_BEARING, '') === '') uncounted.push(cp);
      else most = Math.max(most, digits);
    }
    expect(uncounted).toEqual([]);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('still finds cards spelt with few, wide number characters', () => {
    // ⑫ ⑬ … each NFKC to two digits: 4111 1111 1111 1111 needs eight of them at least.
    expect(containsCardNumber('4111111111111111')).toBe(true);
    expect(containsCardNumber('４１１１１１１１１１１１１１１１')).toBe(true);
    expect(containsCardNumber('𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏')).toBe(true);
    expect(containsCardNumber('静岡県産の茶葉 100g')).toBe(false);
  });
});
