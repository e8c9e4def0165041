import { renderToString } from 'preact-render-to-string';
import { formatYen, messagesFor, type Locale } from '../i18n/locale.ts';
import { localized } from '../layout/view-context.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import type { OrderDetail } from './service.ts';
import { contactLines, mailDateTime, type MailShop } from './mail-shop.ts';
import { orderDeliveryLines } from '../shipping/order-delivery.ts';
import type { OrderPaymentDetails } from '../payment-methods/order-payment-method.ts';
import { paymentInstructionLines } from '../payment-methods/views/payment-instructions.tsx';
import { paymentMethodMessages } from '../payment-methods/payment-method-messages.ts';

/**
 * The order-received e-mail, in the language the customer ordered in, sent at payment start
 * (payment still due). No card data exists to include; the subject holds only the shop's name
 * and the order number, never text from the form.
 */
export function orderConfirmationMail(detail: OrderDetail, orderUrl: string, shop: MailShop, payment?: OrderPaymentDetails): OutgoingMail {
  const { order, items, taxLines } = detail;
  const locale = order.locale as Locale;
  const m = messagesFor(locale);
  const shopName = shop.shopName;
  // Sent at the hand-over to the gateway, before any payment: it says so, with the deadline.
  // Bank transfer, COD and konbini: what to pay, where and by when (src/payment-methods) instead.
  const due = payment ? paymentInstructionLines(locale, shop.timeZone, payment) : order.status === 'pending_payment' ? [m.mail.paymentDue, m.mail.payBy(mailDateTime(order.expires_at, locale, shop.timeZone))] : [];
  const signature = contactLines(locale, shop);
  const itemLine = (i: OrderDetail['items'][number]) =>
    `${localized(locale, i.product_name_ja, i.product_name_en)} — ${localized(locale, i.variant_name_ja, i.variant_name_en)}${i.tax_rate === 8 ? ' ※' : ''} × ${i.quantity}  ${formatYen(i.line_total)}`;
  const totals = [
    `${m.totals.itemsTotal}: ${formatYen(order.items_total)}`,
    // The coupon's discount, already taken off the total (the order page's TotalsTable shows the same line).
    ...(order.discount_total > 0 ? [`${m.totals.couponDiscount(order.coupon_code ?? '')}: −${formatYen(order.discount_total)}`] : []),
    `${m.totals.shipping}: ${formatYen(order.shipping_fee)}`,
    ...(payment?.instructions.method === 'cod' && payment.instructions.fee > 0 ? [`${paymentMethodMessages(locale).paymentFee}: ${formatYen(payment.instructions.fee)}`] : []),
    `${m.totals.total}: ${formatYen(order.total)}`,
    ...taxLines.map((t) => `${m.totals.rateSubtotal(t.tax_rate)} ${formatYen(t.taxable_total)} / ${m.totals.taxContained(t.tax_rate)} ${formatYen(t.tax)}`),
  ];
  const text = [
    m.mail.greeting(order.name),
    '',
    m.mail.intro,
    ...due,
    '',
    `${m.order.orderNumber}: ${order.order_number}`,
    '',
    ...items.map(itemLine),
    items.some((i) => i.tax_rate === 8) ? m.totals.reducedMark : '',
    '',
    ...totals,
    m.totals.roundingNote,
    '',
    ...orderDeliveryLines(order, locale),
    '',
    `${m.mail.viewOrder} ${orderUrl}`,
    '',
    m.mail.footer,
    ...signature,
  ].join('\n');
  const html = '<!doctype html>' + renderToString(
    <html lang={locale}>
      <body>
        {shop.logoUrl ? <p><img src={shop.logoUrl} alt={shop.shopName} height={48} /></p> : null}
        <p>{m.mail.greeting(order.name)}</p>
        <p>{m.mail.intro}</p>
        {due.map((l) => <p><strong>{l}</strong></p>)}
        <p>{m.order.orderNumber}: <strong>{order.order_number}</strong></p>
        <ul>{items.map((i) => <li>{itemLine(i)}</li>)}</ul>
        <ul>{totals.map((t) => <li>{t}</li>)}</ul>
        <p>{m.totals.roundingNote}</p>
        <ul>{orderDeliveryLines(order, locale).map((l) => <li>{l}</li>)}</ul>
        <p>{m.mail.viewOrder} <a href={orderUrl}>{orderUrl}</a></p>
        <p>{m.mail.footer}</p>
        <p>{signature.map((l, i) => <>{i > 0 ? <br /> : null}{l}</>)}</p>
      </body>
    </html>,
  );
  return { to: order.email, subject: m.mail.confirmationSubject(shopName, order.order_number), text, html };
}
