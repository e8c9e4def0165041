import { describe, expect, it } from 'vitest';
import { blankCardNumbers, containsCardNumber, holdsCardNumber, phoneHoldsCardNumber, textWithoutCardNumber } from './card-number-guard.ts';

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
