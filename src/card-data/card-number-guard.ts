// The shop's rule for free text: a card number never belongs in it. Customers do paste their
// card into the name or address field, and whatever the shop keeps (orders, mail, logs) would
// then hold cardholder data, pulling the shop into PCI DSS scope it is built to stay out of.
// Refused at validation, before anything is stored, logged or echoed back.
import { z } from 'zod';
import { containsCardNumber as detectorContainsCardNumber } from '../../platform/card-number-detector.ts';

/** Everything that cannot become a digit under NFKC. */
export const NOT_DIGIT_BEARING = /[^\p{N}\u32c0-\u33ff]+/gu;

/**
 * The detector, also over the NFKC form of the text: full-width digits (４１１１) it reads itself,
 * but NFKC also turns other compatibility digits (𝟒, ⁴, ４ in any mix) into ASCII ones.
 */
export function containsCardNumber(text: string): boolean {
  // Fast path for the common case (names, descriptions, CSV cells): a card number has at least 13
  // digits, and under NFKC only number characters (\p{N}) and the CJK compatibility symbols
  // U+32C0–U+33FF (㋀ → 1月) give digits, at most three each (⅒ → 1⁄10): text with fewer than five
  // of them cannot hold one and skips the costly normalisation. card-number-guard.test.ts checks
  // both facts over every code point.
  if (text.length < 5 || text.replace(NOT_DIGIT_BEARING, '').length < 5) return false;
  if (detectorContainsCardNumber(text)) return true;
  const folded = text.normalize('NFKC');
  return folded !== text && detectorContainsCardNumber(folded);
}

/** The field-error code every surface words itself (see `errors.cardNumber` in the messages). */
export const CARD_NUMBER_ERROR = 'cardNumber';
/** Store API field errors are in English, like the rest of its problem details. */
export const CARD_NUMBER_MESSAGE_EN = 'Do not enter card numbers here';

/**
 * A phone number written with its country code ("+378 2824 6310 005") may be Luhn-valid and
 * 13–15 digits long; a card number is never written with a leading "+".
 */
export function phoneHoldsCardNumber(phone: string): boolean {
  return !phone.trim().startsWith('+') && containsCardNumber(phone);
}

/** Whether any string anywhere in a parsed body (objects, arrays, keys too) holds a card number. */
export function holdsCardNumber(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return containsCardNumber(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) && containsCardNumber(String(value));
  if (value === null || typeof value !== 'object' || depth > 8) return false;
  if (Array.isArray(value)) return value.some((v) => holdsCardNumber(v, depth + 1));
  return Object.entries(value).some(([k, v]) => containsCardNumber(k) || holdsCardNumber(v, depth + 1));
}

/** A Zod string that refuses card numbers, with the API's wording as the issue message. */
export function textWithoutCardNumber(schema: z.ZodString = z.string()) {
  return schema.refine((s) => !containsCardNumber(s), { error: CARD_NUMBER_MESSAGE_EN });
}

/** Form values to re-render with every field that holds a card number emptied. */
export function blankCardNumbers<T extends { [K in keyof T]: string }>(values: T): T {
  const out = { ...values };
  for (const k of Object.keys(out) as (keyof T)[]) if (containsCardNumber(out[k])) out[k] = '' as T[keyof T];
  return out;
}

/** What a person typed into a form, to show again with its field messages; any value holding a card number is not echoed back. */
export function echoableFormValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k !== '_csrf' && typeof v === 'string' && !containsCardNumber(v)) out[k] = v.slice(0, 10_000);
  }
  return out;
}
