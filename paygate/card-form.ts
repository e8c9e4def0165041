// Validates what the customer typed on the hosted page. Returns field error codes (the
// view turns them into messages) or the card facts the gateway needs: the full number
// lives only in this request's memory.
import { z } from 'zod';
import { cardNumberLengthValid, detectCardBrand, luhnValid, normaliseCardNumber, securityCodeLength, securityCodeValid, type CardBrand } from './card-number.ts';
import { expiryInFuture, expiryPlausible, parseCardExpiry } from './card-expiry.ts';
import { testCardOutcome, type TestCardOutcome } from './test-cards.ts';
import { containsCardNumber } from '../platform/card-number-detector.ts';

export const cardFormSchema = z.object({
  cardNumber: z.string().max(40).default(''),
  expiry: z.string().max(20).default(''),
  securityCode: z.string().max(10).default(''),
  cardholderName: z.string().max(200).default(''),
});
export type CardFormInput = z.infer<typeof cardFormSchema>;

export type CardField = 'cardNumber' | 'expiry' | 'securityCode' | 'cardholderName';
export type CardFieldError =
  | 'CARD_NUMBER_REQUIRED' | 'CARD_NUMBER_INVALID' | 'CARD_NOT_A_TEST_CARD'
  | 'EXPIRY_REQUIRED' | 'EXPIRY_INVALID' | 'EXPIRY_PAST'
  | 'SECURITY_CODE_REQUIRED' | 'SECURITY_CODE_INVALID_3' | 'SECURITY_CODE_INVALID_4'
  | 'CARDHOLDER_NAME_REQUIRED' | 'CARDHOLDER_NAME_INVALID' | 'CARDHOLDER_NAME_CARD_NUMBER';

export interface ValidatedCard {
  digits: string;
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  cardholderName: string;
  outcome: TestCardOutcome;
}

export type CardFormResult = { ok: true; card: ValidatedCard } | { ok: false; errors: Partial<Record<CardField, CardFieldError>> };

export function validateCardForm(input: CardFormInput, now: Date): CardFormResult {
  const errors: Partial<Record<CardField, CardFieldError>> = {};

  const digits = normaliseCardNumber(input.cardNumber);
  let brand: CardBrand = 'unknown';
  let outcome: TestCardOutcome | null = null;
  if (input.cardNumber.trim() === '') errors.cardNumber = 'CARD_NUMBER_REQUIRED';
  else if (!digits || !luhnValid(digits) || !cardNumberLengthValid(digits)) errors.cardNumber = 'CARD_NUMBER_INVALID';
  else {
    brand = detectCardBrand(digits);
    outcome = testCardOutcome(digits);
    if (!outcome) errors.cardNumber = 'CARD_NOT_A_TEST_CARD';
  }

  const expiry = parseCardExpiry(input.expiry);
  if (input.expiry.trim() === '') errors.expiry = 'EXPIRY_REQUIRED';
  else if (!expiry || !expiryPlausible(expiry, now)) errors.expiry = 'EXPIRY_INVALID';
  else if (!expiryInFuture(expiry, now)) errors.expiry = 'EXPIRY_PAST';

  const code = input.securityCode.trim();
  if (code === '') errors.securityCode = 'SECURITY_CODE_REQUIRED';
  else if (!securityCodeValid(code, brand)) errors.securityCode = securityCodeLength(brand) === 4 ? 'SECURITY_CODE_INVALID_4' : 'SECURITY_CODE_INVALID_3';

  const name = input.cardholderName.trim().replace(/\s+/g, ' ');
  if (name === '') errors.cardholderName = 'CARDHOLDER_NAME_REQUIRED';
  // The name is re-rendered after a failed submit and stored with the payment: a card number
  // typed here would be echoed into the page and kept next to the last four digits.
  else if (containsCardNumber(name)) errors.cardholderName = 'CARDHOLDER_NAME_CARD_NUMBER';
  // Embossed names are Latin letters; we also allow Japanese for the sandbox, but no control characters.
  else if (name.length > 100 || /[\p{Cc}\p{Cf}<>]/u.test(name)) errors.cardholderName = 'CARDHOLDER_NAME_INVALID';

  if (Object.keys(errors).length > 0 || !digits || !expiry || !outcome) return { ok: false, errors };
  return { ok: true, card: { digits, brand, last4: digits.slice(-4), expMonth: expiry.month, expYear: expiry.year, cardholderName: name, outcome } };
}
