import { renderToString } from 'preact-render-to-string';
import { formatYen, messagesFor, type Locale } from '../i18n/locale.ts';
import { localized } from '../layout/view-context.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import type { OrderDetail } from './service.ts';

/**
 * The order-received e-mail, in the language the customer ordered in, sent at payment start
 * (payment still due). No card data exists to include; the subject holds only the shop's name
 * and the order number, never text from the form.
 */
export function orderConfirmationMail(detail: OrderDetail, orderUrl: string, shopName: string): OutgoingMail {
  const { order, items, taxLines } = detail;
  const locale = order.locale as Locale;
  const m = messagesFor(locale);
  const itemLine = (i: OrderDetail['items'][number]) =>
    `${localized(locale, i.product_name_ja, i.product_name_en)} — ${localized(locale, i.variant_name_ja, i.variant_name_en)}${i.tax_rate === 8 ? ' ※' : ''} × ${i.quantity}  ${formatYen(i.line_total)}`;
  const totals = [
    `${m.totals.itemsTotal}: ${formatYen(order.items_total)}`,
    `${m.totals.shipping}: ${formatYen(order.shipping_fee)}`,
    `${m.totals.total}: ${formatYen(order.total)}`,
    ...taxLines.map((t) => `${m.totals.rateSubtotal(t.tax_rate)} ${formatYen(t.taxable_total)} / ${m.totals.taxContained(t.tax_rate)} ${formatYen(t.tax)}`),
  ];
  const text = [
    m.mail.greeting(order.name),
    '',
    m.mail.intro,
    m.mail.paymentDue,
    '',
    `${m.order.orderNumber}: ${order.order_number}`,
    '',
    ...items.map(itemLine),
    items.some((i) => i.tax_rate === 8) ? m.totals.reducedMark : '',
    '',
    ...totals,
    m.totals.roundingNote,
    '',
    `${m.mail.viewOrder} ${orderUrl}`,
    '',
    m.mail.footer,
    shopName,
  ].join('\n');
  const html = '<!doctype html>' + renderToString(
    <html lang={locale}>
      <body>
        <p>{m.mail.greeting(order.name)}</p>
        <p>{m.mail.intro}</p>
        <p>{m.mail.paymentDue}</p>
        <p>{m.order.orderNumber}: <strong>{order.order_number}</strong></p>
        <ul>{items.map((i) => <li>{itemLine(i)}</li>)}</ul>
        <ul>{totals.map((t) => <li>{t}</li>)}</ul>
        <p>{m.totals.roundingNote}</p>
        <p>{m.mail.viewOrder} <a href={orderUrl}>{orderUrl}</a></p>
        <p>{m.mail.footer}</p>
      </body>
    </html>,
  );
  return { to: order.email, subject: m.mail.confirmationSubject(shopName, order.order_number), text, html };
}
