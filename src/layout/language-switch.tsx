import type { Locale } from '../i18n/locale.ts';
import { withLang } from './view-context.ts';

/** The link to the same page in the other language (storefront and back office). */
export function LanguageSwitch({ locale, path }: { locale: Locale; path: string }) {
  return locale === 'ja'
    ? <a href={withLang(path, 'en')} hreflang="en" lang="en">English</a>
    : <a href={withLang(path, 'ja')} hreflang="ja" lang="ja">日本語</a>;
}
