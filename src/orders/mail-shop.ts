// What every customer mail says about the shop: its name and how to reach it (SHOP_CONTACT_*),
// which customers need to answer a mail and Japanese mail-order practice expects in each one.
import type { ShopConfig } from '../config/config.ts';
import { messagesFor, type Locale } from '../i18n/locale.ts';

export interface MailShop {
  shopName: string;
  timeZone: string;
  contact: ShopConfig['contact'];
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
