import { describe, expect, it } from 'vitest';
import { cardBrand, containsCardNumber, ean13Valid, findCardNumbers, luhnValid, maskCardNumber, redactCardNumbers, redactLongDigitRuns } from './card-number-detector.ts';

describe('containsCardNumber', () => {
  it.each([
    ['4242424242424242'], ['4242 4242 4242 4242'], ['4242-4242-4242-4242'], ['4242.4242.4242.4242'],
    ['4242+4242+4242+4242'], ['4242%204242%204242%204242'], ['4242 - 4242 - 4242 - 4242'],
    ['５５５５ ５５５５ ５５５５ ４４４４'], ['378282246310005'], ['3530111333300000'], ['6200000000000005'],
    ['name 4111111111111111 here'], ['4242 4242 4242 4242 12/30'], ['4242 4242 4242 4242 1230'], ['4000056655665556'],
    ['4242ー4242ー4242ー4242'],
  ])('finds %s', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['090-1234-5678'], ['+81 90 1234 5678'], ['03-1234-5678'], ['100-0001'], ['SW1A 2AA'], ['A-20261201-1234'],
    ['千代田区千代田1-1'], ['4242424242424241'], ['1234567890123'], ['2026-12-01 20:17:28'], ['192.168.10.100'],
    ['山田 花子'], [''], ['123'],
  ])('passes %s', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('redactLongDigitRuns', () => {
  it('redacts every run of 13 or more digits in any spelling, Luhn-valid or not', () => {
    for (const t of ['q=4242424242424242', 'q=5555+5555+5555+4444', 'q=4242%204242%204242%204242', 'x 4242.4242.4242.4241 y', '/products/4111111111111111']) {
      const out = redactLongDigitRuns(t);
      expect(out).toContain('[redacted-pan]');
      expect(out.replace(/\D/g, '').length).toBeLessThan(13);
    }
    expect(redactLongDigitRuns('order A-1 at 2026-12-01')).toBe('order A-1 at 2026-12-01');
  });
});

describe('findCardNumbers (strict: Luhn, brand IIN range and length; with positions)', () => {
  it('returns each card with where it is written, its digits and brand', () => {
    const text = 'note: 4242 4242 4242 4242 and ３７８２ ８２２４６３ １０００５, then 5555-5555-5555-4444.';
    const found = findCardNumbers(text);
    expect(found.map((m) => [m.digits, m.brand, text.slice(m.start, m.end)])).toEqual([
      ['4242424242424242', 'visa', '4242 4242 4242 4242'],
      ['378282246310005', 'amex', '３７８２ ８２２４６３ １０００５'],
      ['5555555555554444', 'mastercard', '5555-5555-5555-4444'],
    ]);
  });

  it('keeps offsets into the original text through percent-encoded separators', () => {
    const text = 'q=4242%204242%204242%204242&x=1';
    const [m] = findCardNumbers(text);
    expect(text.slice(m!.start, m!.end)).toBe('4242%204242%204242%204242');
  });

  it('finds a card glued to an expiry or after a number, grouped as printed', () => {
    expect(findCardNumbers('42424242424242421230').map((m) => m.digits)).toEqual(['4242424242424242']);
    expect(findCardNumbers('No. 3 3782 822463 10005').map((m) => m.digits)).toEqual(['378282246310005']);
  });

  it.each([
    ['4242424242424241', 'Luhn fails'],
    ['1234567812345670', 'Luhn-valid, no brand starts with 1'],
    ['4901234567894', 'a JAN code (EAN-13 check digit valid) that also passes Luhn'],
    ['3782822463100050', 'Amex prefix with 16 digits'],
    ['090-3407-5678 100-0001', 'phone next to a postal code: a 4-4-3-4 "Amex" inside the run'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'a digest'],
    ['hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'a digest'],
    ['a54d3901234567894ffe0aa1b2c3d4e5f6a7b8c9', 'a digit run inside a long hex token'],
    ['"responseTime":1332.4872969999851', 'a decimal whose fraction is a Luhn-valid 13-digit "Visa"'],
    ['request completed 2065.029 12.3828722756618206', "a decimal's 16-digit fraction after other numbers"],
  ])('passes %s (%s)', (text) => {
    expect(findCardNumbers(text)).toEqual([]);
  });

  it('brands by range and length; 13-digit Visa unless it is a barcode', () => {
    expect(cardBrand('4222222222222')).toBe('visa');
    expect(ean13Valid('4901234567894')).toBe(true);
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('36227206271667')).toBe('diners');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('6200000000000005')).toBe('unionpay');
    expect(cardBrand('3530111333300000')).toBe('jcb');
    expect(maskCardNumber('4242424242424242')).toBe('424242******4242');
  });

  it('redactCardNumbers masks only what findCardNumbers finds', () => {
    expect(redactCardNumbers('pay 4242-4242-4242-4242 jan 4901234567894 at 1733000000000')).toBe('pay [redacted-pan] jan 4901234567894 at 1733000000000');
  });
});

describe('ids that only look like card numbers', () => {
  it('does not report the digit run a random UUID joins with its dashes, but still a card beside one', () => {
    // A cart id CI's leftover scan once reported: 4371-8542-79701 is a Luhn-valid 13-digit run.
    const id = '3d4cf829-3ddc-4371-8542-79701bc03ab9';
    expect(luhnValid('4371854279701')).toBe(true);
    expect(findCardNumbers(id)).toEqual([]);
    expect(findCardNumbers(id.toUpperCase())).toEqual([]);
    expect(findCardNumbers(`cart ${id}, card 4111-1111-1111-1111`).map((m) => m.digits)).toEqual(['4111111111111111']);
    // Not a UUID (wrong group lengths, or glued to other letters): still reported.
    expect(findCardNumbers('3ddc-4371-8542-79701').map((m) => m.digits)).toEqual(['4371854279701']);
    expect(findCardNumbers('x3d4cf829-3ddc-4371-8542-79701bc03ab9').length).toBe(1);
  });
});
