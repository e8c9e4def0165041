import { describe, expect, it } from 'vitest';
import { formatYen, resolveLocale } from './locale.ts';
import { messagesEn } from './messages-en.ts';
import { messagesJa } from './messages-ja.ts';

describe('resolveLocale', () => {
  it.each([
    ['en', 'ja', 'ja', 'en'],
    [undefined, 'en', 'ja', 'en'],
    [undefined, undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, undefined, 'fr-FR,en;q=0.5,ja;q=0.8', 'ja'],
    [undefined, undefined, 'fr', 'ja'],
    [undefined, undefined, undefined, 'ja'],
    ['xx', 'yy', 'en;q=0', 'ja'],
  ])('query=%s cookie=%s accept=%s → %s', (q, c, a, want) => {
    expect(resolveLocale(q, c, a)).toBe(want);
  });
});

describe('message catalogs', () => {
  function keys(o: object, prefix = ''): string[] {
    return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  }
  it('English has every Japanese key', () => {
    expect(keys(messagesEn).sort()).toEqual(keys(messagesJa).sort());
  });
  it('formats yen the Japanese way', () => {
    expect(formatYen(1080)).toBe('￥1,080');
  });
});
