// Card-number rules of the hosted page. Hand-written rather than a dependency: the whole
// rule set fits on one screen, and every package in the card path is supply-chain attack
// surface on a payment page (PCI DSS 6.4.3).
import { createHmac } from 'node:crypto';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'jcb' | 'diners' | 'discover' | 'unknown';

interface BrandRule {
  brand: Exclude<CardBrand, 'unknown'>;
  /** Issuer identification ranges as [from, to] over a prefix of the same length. */
  prefixes: ReadonlyArray<readonly [string, string]>;
  lengths: readonly number[];
  cvcLength: number;
}

const BRAND_RULES: readonly BrandRule[] = [
  { brand: 'amex', prefixes: [['34', '34'], ['37', '37']], lengths: [15], cvcLength: 4 },
  { brand: 'jcb', prefixes: [['3528', '3589']], lengths: [16, 17, 18, 19], cvcLength: 3 },
  { brand: 'diners', prefixes: [['300', '305'], ['36', '36'], ['38', '39']], lengths: [14, 15, 16, 17, 18, 19], cvcLength: 3 },
  { brand: 'visa', prefixes: [['4', '4']], lengths: [13, 16, 19], cvcLength: 3 },
  { brand: 'mastercard', prefixes: [['51', '55'], ['2221', '2720']], lengths: [16], cvcLength: 3 },
  { brand: 'discover', prefixes: [['6011', '6011'], ['644', '649'], ['65', '65']], lengths: [16, 17, 18, 19], cvcLength: 3 },
];

/** Digits only, or null when the input holds anything but digits, spaces and dashes. */
export function normaliseCardNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^\d+$/.test(compact) ? compact : null;
}

// One Luhn check for the shop's guard and the gateway's form (platform/ is shared by both).
export { luhnValid } from '../platform/card-number-detector.ts';

function ruleFor(digits: string): BrandRule | undefined {
  return BRAND_RULES.find((r) => r.prefixes.some(([from, to]) => {
    const p = digits.slice(0, from.length);
    return p.length === from.length && p >= from && p <= to;
  }));
}

export function detectCardBrand(digits: string): CardBrand {
  return ruleFor(digits)?.brand ?? 'unknown';
}

export function cardNumberLengthValid(digits: string): boolean {
  const rule = ruleFor(digits);
  return rule ? rule.lengths.includes(digits.length) : digits.length >= 12 && digits.length <= 19;
}

/** American Express prints a 4-digit code on the front; every other brand a 3-digit one on the back. */
export function securityCodeLength(brand: CardBrand): number {
  return BRAND_RULES.find((r) => r.brand === brand)?.cvcLength ?? 3;
}

export function securityCodeValid(code: string, brand: CardBrand): boolean {
  return new RegExp(`^\\d{${securityCodeLength(brand)}}$`).test(code);
}

/**
 * Keyed fingerprint so the same card can be recognised (velocity, fraud) without storing
 * it: an unkeyed hash of a PAN is reversible by enumerating the few billion candidates.
 */
export function fingerprintCardNumber(key: string, digits: string): string {
  return createHmac('sha256', key).update(digits).digest('hex');
}
