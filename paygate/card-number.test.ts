import { describe, expect, it } from 'vitest';
import { cardNumberLengthValid, detectCardBrand, fingerprintCardNumber, luhnValid, normaliseCardNumber, securityCodeLength, securityCodeValid } from './card-number.ts';

describe('luhnValid', () => {
  it.each([
    ['4242424242424242', true],
    ['4000000000000002', true],
    ['4000000000009995', true],
    ['4000000000003220', true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['3566002020360505', true],
    ['79927398713', true],
    ['4242424242424241', false],
    ['4242424242424243', false],
    ['1234567812345678', false],
    ['0', false],
    ['42a2', false],
    ['', false],
  ])('%s → %s', (digits, expected) => expect(luhnValid(digits)).toBe(expected));
});

describe('detectCardBrand', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['3566002020360505', 'jcb'],
    ['3528000000000007', 'jcb'],
    ['36227206271667', 'diners'],
    ['30569309025904', 'diners'],
    ['6011111111111117', 'discover'],
    ['6500000000000002', 'discover'],
    ['9999999999999995', 'unknown'],
    ['3590000000000000', 'unknown'],
  ])('%s → %s', (digits, brand) => expect(detectCardBrand(digits)).toBe(brand));
});

describe('card number length by brand', () => {
  it.each([
    ['4242424242424242', true],
    ['424242424242424', false],
    ['378282246310005', true],
    ['3782822463100050', false],
    ['555555555555444', false],
  ])('%s → %s', (digits, expected) => expect(cardNumberLengthValid(digits)).toBe(expected));
});

describe('security code length by brand', () => {
  it.each([
    ['123', 'visa', true],
    ['1234', 'visa', false],
    ['12', 'mastercard', false],
    ['1234', 'amex', true],
    ['123', 'amex', false],
    ['123', 'jcb', true],
    ['12a', 'visa', false],
    ['123', 'unknown', true],
  ] as const)('%s for %s → %s', (code, brand, expected) => expect(securityCodeValid(code, brand)).toBe(expected));
  it('is 4 for amex only', () => {
    expect(securityCodeLength('amex')).toBe(4);
    expect(securityCodeLength('visa')).toBe(3);
  });
});

describe('normaliseCardNumber', () => {
  it('strips spaces and dashes and refuses anything else', () => {
    expect(normaliseCardNumber('4242 4242-4242 4242')).toBe('4242424242424242');
    expect(normaliseCardNumber('4242.4242')).toBeNull();
    expect(normaliseCardNumber('')).toBeNull();
  });
});

describe('fingerprintCardNumber', () => {
  it('is keyed: same card same key → same fingerprint, other key → different, never the number', () => {
    const a = fingerprintCardNumber('k1', '4242424242424242');
    expect(a).toBe(fingerprintCardNumber('k1', '4242424242424242'));
    expect(a).not.toBe(fingerprintCardNumber('k2', '4242424242424242'));
    expect(a).not.toContain('4242424242424242'); // (a short digit run could occur in a hex digest by chance)
  });
});
