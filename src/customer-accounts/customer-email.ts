// One spelling per address: what is stored, looked up and counted. NFKC folds full-width
// characters a Japanese keyboard may produce (ｈａｎａｋｏ＠…), so they cannot open a second account.
import { z } from 'zod';
import { containsCardNumber } from '../card-data/card-number-guard.ts';

export function normalizeCustomerEmail(email: string): string {
  return email.replace(/\u0000/g, '').normalize('NFKC').trim().toLowerCase();
}

/** A usable address, normalised; a card number typed here is refused like everywhere else. */
export const CustomerEmail = z.string().max(254).transform(normalizeCustomerEmail)
  .pipe(z.email({ error: 'email' }))
  .refine((e) => !containsCardNumber(e), { error: 'cardNumber' });
