// A URL name (slug) made from a product's or category's Japanese name when the merchant leaves it
// empty. Kana is romanised with wanakana (Hepburn: ほうじちゃ → houjicha, コーヒー → koohii);
// kanji has no reading without a dictionary (抹茶 is まっちゃ, but 今日 is きょう or こんにち), so
// a name containing anything but kana, Latin letters, digits and separators gets no text slug and
// the caller falls back to one made from the row's id (p-12, c-3).
import { toRomaji } from 'wanakana';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 80;

// Hiragana, katakana (with the long-vowel mark and the middle dot), Latin letters, digits, spaces
// and the punctuation a product name carries.
const ROMANISABLE = /^[\p{Script=Hiragana}\p{Script=Katakana}ー・\p{Script=Latin}0-9\s\-_.,'&/()!?]+$/u;

/** The slug text romanised from `name`, or undefined when it cannot be (kanji, symbols, empty). */
export function romanisedSlug(name: string): string | undefined {
  const text = name.normalize('NFKC').trim();
  if (!text || !ROMANISABLE.test(text)) return undefined;
  const slug = toRomaji(text.replace(/・/g, ' '))
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return SLUG_PATTERN.test(slug) ? slug : undefined;
}

/**
 * The first of `base`, `base-2`, `base-3`, … that `taken` says is free (ten tries), or undefined
 * (the caller then uses the id-based slug, which is unique by construction).
 */
export async function firstFreeSlug(base: string, taken: (slug: string) => Promise<boolean>): Promise<string | undefined> {
  for (let n = 1; n <= 10; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
  return undefined;
}
