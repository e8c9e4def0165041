// Storefront wording of the public notice (ja/en); the back-office pages' wording is in admin-notice-messages.ts.
import type { Locale } from '../i18n/locale.ts';

const MESSAGES = {
  ja: { linkLabel: '重要なお知らせ:', heading: 'お詫びとお知らせ', publishedAt: '掲載日', contact: 'お問い合わせ窓口' },
  en: { linkLabel: 'Important notice:', heading: 'Notice and apology', publishedAt: 'Published', contact: 'Inquiry desk' },
} as const satisfies Record<Locale, Record<string, string>>;

export function noticeMessages(locale: Locale) {
  return MESSAGES[locale];
}

export function noticeLinkLabel(locale: Locale): string {
  return MESSAGES[locale].linkLabel;
}
