// フリガナ as Japanese forms expect it: full-width katakana. Customers type hiragana (the input
// method's default) or half-width katakana (older keyboards, copied from bank forms), so both
// are normalised before the check rather than refused.
// Hand-written: the conversion is two Unicode steps (NFKC, then a fixed offset from the
// hiragana block), smaller than any library that does it.

/** NFKC (half-width → full-width katakana, full-width space → space), hiragana → katakana, spaces collapsed. */
export function normalizeFurigana(input: string): string {
  return input
    .normalize('NFKC')
    // ぁ (U+3041) … ゖ (U+3096) and the iteration marks ゝゞ sit 0x60 below their katakana.
    .replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Full-width katakana, the long-vowel mark, the middle dot (foreign names) and single spaces. */
const KATAKANA = /^[\u30A1-\u30FA\u30FC-\u30FE\u30FB]+(?: [\u30A1-\u30FA\u30FC-\u30FE\u30FB]+)*$/;

export function isFurigana(normalized: string): boolean {
  return KATAKANA.test(normalized);
}

/** A name part typed with stray full-width or repeated spaces is stored with one plain space. */
export function normalizeNamePart(input: string): string {
  return input.replace(/[\s\u3000]+/g, ' ').trim();
}
