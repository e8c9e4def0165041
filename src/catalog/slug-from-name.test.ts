import { describe, expect, it } from 'vitest';
import { firstFreeSlug, romanisedSlug, SLUG_PATTERN } from './slug-from-name.ts';

describe('slug from a name', () => {
  it.each([
    ['ほうじちゃ', 'houjicha'],
    ['コーヒー', 'koohii'],
    ['てぬぐい　あお', 'tenugui-ao'],
    ['ﾐﾙｸ・ラテ', 'miruku-rate'],
    ['Ｔシャツ L', 'tshatsu-l'],
    ['きっぷ 2枚'.replace('枚', ''), 'kippu-2'],
  ])('romanises kana %s → %s', (name, slug) => {
    expect(romanisedSlug(name)).toBe(slug);
    expect(SLUG_PATTERN.test(slug)).toBe(true);
  });

  it.each(['抹茶ラテ', '宇治茶', '', '   ', '★☆', '👍'])('gives no text slug for %j (kanji or nothing romanisable)', (name) => {
    expect(romanisedSlug(name)).toBeUndefined();
  });

  it('keeps to 80 characters without a trailing hyphen', () => {
    const slug = romanisedSlug('あ '.repeat(100))!;
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(SLUG_PATTERN.test(slug)).toBe(true);
  });

  it('adds -2, -3 … until free, and gives up after ten', async () => {
    const used = new Set(['houjicha', 'houjicha-2']);
    expect(await firstFreeSlug('houjicha', async (s) => used.has(s))).toBe('houjicha-3');
    expect(await firstFreeSlug('x', async () => true)).toBeUndefined();
  });
});
