import { messagesEn } from './messages-en.ts';
import { messagesJa, type Messages } from './messages-ja.ts';

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'lang';

const CATALOGS: Record<Locale, Messages> = { ja: messagesJa, en: messagesEn };

export function messagesFor(locale: Locale): Messages {
  return CATALOGS[locale];
}

function asLocale(v: unknown): Locale | undefined {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v) ? (v as Locale) : undefined;
}

/** `?lang=` first, then the cookie, then Accept-Language; Japanese when nothing matches. */
export function resolveLocale(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Locale {
  return asLocale(query) ?? asLocale(cookie) ?? fromAcceptLanguage(acceptLanguage) ?? 'ja';
}

function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) {
    const l = asLocale(r.lang);
    if (l) return l;
  }
  return undefined;
}

const yenFormat = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' });
/** Money is always integer yen, formatted the Japanese way in both languages (¥1,080). */
export function formatYen(amount: number): string {
  return yenFormat.format(amount);
}

/** Formatters per language and zone: building one costs far more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * Stored in UTC, shown in the shop's zone: pages pass `ctx.timeZone` (the settings page's, else
 * SHOP_TIME_ZONE). Required, so no page can fall back to a zone the merchant did not choose.
 */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone });
    dateFormats.set(key, f);
  }
  return f.format(new Date(iso));
}
