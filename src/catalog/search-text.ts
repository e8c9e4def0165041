// How the storefront's search reads text: the query and the indexed text go through the same
// normalisation, so the way a shopper happens to type a word (full-width Ｔシャツ, half-width ｶﾀｶﾅ,
// katakana or hiragana, with or without a long-vowel mark) never decides whether it is found.
// Hand-written: the steps are a few lines of String and code-point arithmetic, and the libraries
// that do kana folding bring whole morphological analysers this does not need. Readings (読み)
// that let kana find kanji come from the merchant (products.reading), not from a dictionary.

/** Bump when `normalizeForSearch` or what is indexed changes: the shop re-indexes on start. */
export const SEARCH_INDEX_VERSION = '2';

// Small kana read as their full-size letters (ティ and テイ, きって and きつて look alike to a shopper).
const SMALL_TO_LARGE: Record<string, string> = {
  'ぁ': 'あ', 'ぃ': 'い', 'ぅ': 'う', 'ぇ': 'え', 'ぉ': 'お', 'っ': 'つ', 'ゃ': 'や', 'ゅ': 'ゆ', 'ょ': 'よ', 'ゎ': 'わ', 'ゕ': 'か', 'ゖ': 'け',
};

/**
 * NFKC (full-width Latin and digits to ASCII, half-width katakana to full-width), lower case,
 * katakana to hiragana, small kana to large, long-vowel marks and wave dashes dropped, any run of
 * spaces or punctuation-free separators to one space.
 */
export function normalizeForSearch(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    const cp = ch.codePointAt(0)!;
    // Katakana ァ..ヶ sit 0x60 above hiragana ぁ..ゖ.
    const kana = cp >= 0x30a1 && cp <= 0x30f6 ? String.fromCodePoint(cp - 0x60) : ch;
    if (kana === 'ー' || kana === '〜' || kana === '~' || kana === '・') continue;
    out += SMALL_TO_LARGE[kana] ?? kana;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The words of a query: every one must be found (AND), as shoppers expect of "抹茶 ラテ". */
export function searchTerms(query: string): string[] {
  return [...new Set(normalizeForSearch(query).split(' ').filter((t) => t.length > 0))].slice(0, 8);
}

export interface SearchableProduct {
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  /** The merchant's reading keywords (読み), space- or comma-separated. */
  reading: string;
  category_name_ja: string;
  category_name_en: string;
}

function readingLines(reading: string): string[] {
  return reading.split(/[,、，\s]+/).map(normalizeForSearch).filter((r) => r.length > 0);
}

/** What a name match is ranked on: the names and the readings, one per line. */
export function productSearchName(p: Pick<SearchableProduct, 'name_ja' | 'name_en' | 'reading'>): string {
  return [normalizeForSearch(p.name_ja), normalizeForSearch(p.name_en), ...readingLines(p.reading)].join('\n');
}

/** Everything a search looks in: names, readings, category names and descriptions. */
export function productSearchText(p: SearchableProduct): string {
  return [
    productSearchName(p),
    normalizeForSearch(p.category_name_ja),
    normalizeForSearch(p.category_name_en),
    normalizeForSearch(p.description_ja),
    normalizeForSearch(p.description_en),
  ].join('\n');
}
