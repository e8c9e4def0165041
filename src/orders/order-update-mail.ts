import { formatYen, messagesFor, type Locale } from '../i18n/locale.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import type { Order } from '../db/schema.ts';
import { contactLines, mailLogoHtml, type MailShop } from './mail-shop.ts';
import { trackingUrl } from './carriers.ts';

export type OrderUpdate =
  | { kind: 'paid' }
  | { kind: 'refunded'; amount: number; refundedTotal: number }
  | { kind: 'cancelled' }
  | { kind: 'fulfilled'; carrier: string; trackingNumber: string; /** From the order's shipping method (src/shipping/shipment-tracking.ts). */ trackingUrl?: string | undefined };

/** Short e-mails telling the customer what happened to their order, in their language. */
export function orderUpdateMail(order: Pick<Order, 'locale' | 'email' | 'name' | 'order_number'>, update: OrderUpdate, shop: MailShop): OutgoingMail {
  const locale = order.locale as Locale;
  const m = messagesFor(locale).mail;
  const shopName = shop.shopName;
  const track = update.kind === 'fulfilled' ? (update.trackingUrl ?? trackingUrl(update.carrier, update.trackingNumber)) : undefined;
  const [subject, body] =
    update.kind === 'paid' ? [m.paidSubject(shopName, order.order_number), m.paidBody]
    : update.kind === 'refunded' ? [m.refundedSubject(shopName, order.order_number), m.refundedBody(formatYen(update.amount), formatYen(update.refundedTotal))]
    : update.kind === 'cancelled' ? [m.cancelledSubject(shopName, order.order_number), m.cancelledBody]
    : [m.fulfilledSubject(shopName, order.order_number), m.fulfilledBody(update.carrier, update.trackingNumber)];
  const trackLine = track ? `${m.trackingLink} ${track}` : undefined;
  const text = [m.greeting(order.name), '', body, ...(trackLine ? [trackLine] : []), '', m.footer, ...contactLines(locale, shop)].join('\n');
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const line = (l: string) => (track && l === trackLine ? `<p>${escape(m.trackingLink)} <a href="${escape(track).replace(/&#38;/g, '&amp;')}">${escape(track)}</a></p>` : `<p>${escape(l)}</p>`);
  const html = `<!doctype html><html lang="${order.locale === 'en' ? 'en' : 'ja'}"><body>${mailLogoHtml(shop)}${text.split('\n').map(line).join('')}</body></html>`;
  return { to: order.email, subject, text, html };
}
