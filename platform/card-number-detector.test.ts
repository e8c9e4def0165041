import { describe, expect, it } from 'vitest';
import { containsCardNumber, redactLongDigitRuns } from './card-number-detector.ts';

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
