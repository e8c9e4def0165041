// Expiry "MM/YY" as printed on the card. A card is valid through the last day of its
// expiry month; we compare in UTC, which errs by at most a day at the month boundary.

export interface CardExpiry {
  month: number;
  /** Four-digit year. */
  year: number;
}

/** Accepts "MM/YY", "MM / YY", "MM/YYYY" and "MMYY"; null when it is none of those. */
export function parseCardExpiry(input: string): CardExpiry | null {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m || (!input.includes('/') && m[1]!.length !== 2)) return null;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export function expiryInFuture(expiry: CardExpiry, now: Date): boolean {
  const firstDayAfterExpiry = Date.UTC(expiry.year, expiry.month, 1); // month is 1-based, so this is the next month
  return now.getTime() < firstDayAfterExpiry;
}

/** Cards are not issued for more than about twenty years; further out is a typo. */
export function expiryPlausible(expiry: CardExpiry, now: Date): boolean {
  return expiry.year <= now.getUTCFullYear() + 20;
}
