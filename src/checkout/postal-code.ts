// Japanese postal codes as customers type them: full-width digits from the input method,
// "〒123-4567" pasted from a letter, a long-vowel mark or minus sign for the hyphen.

/** The 7 digits, or undefined when the input is not a Japanese postal code. */
export function parsePostalCode(input: string): string | undefined {
  const s = input.normalize('NFKC').replace(/^\s*〒\s*/, '').replace(/[ー−‐–]/g, '-').trim();
  const m = /^(\d{3})-?(\d{4})$/.exec(s);
  return m ? `${m[1]}${m[2]}` : undefined;
}

/** `100-0001`: how the order stores and shows it. */
export function formatPostalCode(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}
