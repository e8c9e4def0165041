import type { Locale } from '../i18n/locale.ts';
import type { Messages } from '../i18n/messages-ja.ts';
import type { TaxDisplay } from '../shop-settings/shop-profile.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';

/** What every server-rendered page needs from the request; built once per request. */
export interface ViewContext {
  locale: Locale;
  m: Messages;
  /** CSP nonce for this response (for any inline style or script; we ship none by default). */
  nonce: string;
  csrfToken: string;
  /** Path + query of this page without `lang`, for canonical and hreflang links. */
  path: string;
  publicUrl: string;
  shopName: string;
  /** The logo saved on the settings page (served from /media), shown in the header in place of the name. */
  logoUrl?: string | undefined;
  /** The shop's time zone as saved on the settings page (SHOP_TIME_ZONE until then): dates and times are shown in it. */
  timeZone: string;
  /** How prices are shown (the settings page's 税込/税抜) and how the tax they contain is rounded (src/catalog/views/price-label.tsx). */
  prices: { taxDisplay: TaxDisplay; rounding: TaxRoundingStrategy };
  cartCount: number;
  /** Shown after the cart link instead of `cartCount` when set (a cached page's hole, src/catalog/page-cache.ts). */
  cartBadge?: string | undefined;
  /** The published incident notice (お詫びとお知らせ) every page links to from its header, if any. */
  incidentNotice?: { href: string; title: string } | undefined;
}

/** Picks the field for the page's language. */
export function localized(locale: Locale, ja: string, en: string): string {
  return locale === 'ja' ? ja : en;
}

/** A URL for the same page in the given language (hreflang, the language switch). */
export function withLang(path: string, lang: Locale): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}
