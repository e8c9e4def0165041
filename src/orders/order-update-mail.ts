import { formatYen, messagesFor, type Locale } from '../i18n/locale.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import type { Order } from '../db/schema.ts';

export type OrderUpdate =
  | { kind: 'paid' }
  | { kind: 'refunded'; amount: number; refundedTotal: number }
  | { kind: 'cancelled' }
  | { kind: 'fulfilled'; carrier: string; trackingNumber: string };

/** Short e-mails telling the customer what happened to their order, in their language. */
export function orderUpdateMail(order: Pick<Order, 'locale' | 'email' | 'name' | 'order_number'>, update: OrderUpdate, shopName: string): OutgoingMail {
  const m = messagesFor(order.locale as Locale).mail;
  const [subject, body] =
    update.kind === 'paid' ? [m.paidSubject(shopName, order.order_number), m.paidBody]
    : update.kind === 'refunded' ? [m.refundedSubject(shopName, order.order_number), m.refundedBody(formatYen(update.amount), formatYen(update.refundedTotal))]
    : update.kind === 'cancelled' ? [m.cancelledSubject(shopName, order.order_number), m.cancelledBody]
    : [m.fulfilledSubject(shopName, order.order_number), m.fulfilledBody(update.carrier, update.trackingNumber)];
  const text = [m.greeting(order.name), '', body, '', m.footer, shopName].join('\n');
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="${order.locale === 'en' ? 'en' : 'ja'}"><body>${text.split('\n').map((l) => `<p>${escape(l)}</p>`).join('')}</body></html>`;
  return { to: order.email, subject, text, html };
}
