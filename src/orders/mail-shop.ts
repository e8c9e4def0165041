// What every customer mail says about the shop: its name and how to reach it (SHOP_CONTACT_*),
// which customers need to answer a mail and Japanese mail-order practice expects in each one.
import type { ShopConfig } from '../config/config.ts';
import { messagesFor, type Locale } from '../i18n/locale.ts';
import { escapeHtml } from '../mail/escape-html.ts';

export interface MailShop {
  shopName: string;
  timeZone: string;
  contact: ShopConfig['contact'];
  /** The logo saved on the settings page, as an absolute URL under PUBLIC_URL: HTML mails head with it. */
  logoUrl?: string | undefined;
}

/** The logo heading an HTML mail, named by the shop's name for readers that do not load images; '' without a logo. */
export function mailLogoHtml(shop: MailShop): string {
  if (!shop.logoUrl) return '';
  return `<p><img src="${escapeHtml(shop.logoUrl)}" alt="${escapeHtml(shop.shopName)}" height="48"></p>`;
}

export function mailShopOf(config: Pick<ShopConfig, 'shopName' | 'timeZone' | 'contact'>): MailShop {
  return { shopName: config.shopName, timeZone: config.timeZone, contact: config.contact };
}

/** The signature block: the shop's name, then each contact detail that is set. */
export function contactLines(locale: Locale, shop: MailShop): string[] {
  const m = messagesFor(locale).mail;
  const c = shop.contact;
  return [
    '――――――――――',
    shop.shopName,
    ...(c.address ? [m.contactAddress(c.address)] : []),
    ...(c.phone ? [m.contactPhone(c.phone)] : []),
    ...(c.email ? [m.contactEmail(c.email)] : []),
    ...(c.hours ? [m.contactHours(c.hours)] : []),
  ];
}

/** A deadline in the shop's zone, as customers read dates in their language. */
export function mailDateTime(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', locale === 'en'
    ? { timeZone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }
    : { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}
