// 適格請求書発行事業者登録番号: "T" and 13 digits (国税庁 適格請求書発行事業者公表サイト「登録番号とは」).
// A corporation's 13 digits are its 法人番号, whose first digit is a check digit over the other 12
// (法人番号の指定等に関する省令 (平成26年財務省令第70号) 第2条): 9 − (Σ Pn × Qn mod 9), Pn the n-th
// digit of the 12-digit base counted from its lowest digit, Qn = 1 for odd n and 2 for even n.
// For sole proprietors and 人格のない社団 the NTA only says the 13 digits are a number of their own
// (not the My Number, never equal to a 法人番号) and publishes no check-digit rule, so for them we
// check the format only rather than refuse a number the tax office really issued.
import type { InvoiceRegistrant } from './shop-settings-tables.ts';

export type InvoiceNumberResult =
  | { ok: true; value: string }
  | { ok: false; error: 'FORMAT' | 'CHECK_DIGIT' };

/** The check digit (1–9) of a 12-digit 法人番号 base. */
export function corporateNumberCheckDigit(base12: string): number {
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base12[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

/**
 * Normalises what a merchant types (full-width characters, lower-case t, spaces or hyphens between
 * the digit groups as printed on 登録通知書) and validates it.
 */
export function parseInvoiceRegistrationNumber(input: string, registrant: InvoiceRegistrant): InvoiceNumberResult {
  const value = input.normalize('NFKC').replace(/[\s\-‐－]/g, '').toUpperCase();
  if (!/^T[0-9]{13}$/.test(value)) return { ok: false, error: 'FORMAT' };
  const digits = value.slice(1);
  if (registrant === 'corporation' && Number(digits[0]) !== corporateNumberCheckDigit(digits.slice(1))) return { ok: false, error: 'CHECK_DIGIT' };
  return { ok: true, value };
}
