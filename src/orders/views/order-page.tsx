import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import { TotalsTable } from '../../cart/views/totals-table.tsx';
import type { OrderDetail } from '../service.ts';
import { OrderDelivery } from '../../shipping/views/order-delivery.tsx';
import type { OrderPaymentDetails } from '../../payment-methods/order-payment-method.ts';
import { PaymentInstructionsView } from '../../payment-methods/views/payment-instructions.tsx';
import { paymentMethodMessages } from '../../payment-methods/payment-method-messages.ts';

/** The 領収書 form of a paid order: where it posts, what access it carries, the stored 宛名 once issued. */
export interface ReceiptFormState {
  action: string;
  hidden: Record<string, string>;
  issuedTo?: string | undefined;
  value?: string | undefined;
  error?: string | undefined;
}

function ReceiptForm({ ctx, state }: { ctx: ViewContext; state: ReceiptFormState }) {
  const r = ctx.m.receipt;
  return (
    <section class="receipt" aria-labelledby="receipt-heading">
      <h2 id="receipt-heading">{r.heading}</h2>
      <p>{r.intro}</p>
      {state.error ? <p class="notice notice-error" role="alert" id="receipt-error">{state.error}</p> : null}
      <form method="post" action={state.action}>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {Object.entries(state.hidden).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
        {state.issuedTo !== undefined ? <p>{r.issuedTo(state.issuedTo)}</p> : (
          <div class="field">
            <label for="receipt-addressee">{r.addressee}</label>
            <input id="receipt-addressee" name="addressee" required maxlength={100} value={state.value ?? ''} aria-describedby={state.error ? 'receipt-addressee-hint receipt-error' : 'receipt-addressee-hint'} aria-invalid={state.error ? 'true' : undefined} />
            <p class="hint" id="receipt-addressee-hint">{r.addresseeHint}</p>
          </div>
        )}
        <button type="submit">{state.issuedTo !== undefined ? r.reissue : r.download}</button>
      </form>
    </section>
  );
}

export function OrderPage({ ctx, detail, token, returnToken, justPlaced, notice, noticeIsError, payment, receipt }: {
  ctx: ViewContext;
  detail: OrderDetail;
  /** Present when the customer came with the access token: lets them retry payment. */
  token?: string | undefined;
  /** Present when the gateway's return opened the page (orders/return-token.ts): lets them retry too. */
  returnToken?: string | undefined;
  justPlaced?: boolean;
  notice?: string | undefined;
  /** The payment did not go through: headed and styled as such, and announced at once (role=alert). */
  noticeIsError?: boolean;
  /** Bank transfer, cash on delivery or konbini: what the customer needs instead of the card page (src/payment-methods). */
  payment?: OrderPaymentDetails | undefined;
  /** Paid orders reached with access: the receipt download (src/receipts). */
  receipt?: ReceiptFormState | undefined;
}) {
  const { m, locale } = ctx;
  const { order, items, taxLines } = detail;
  const failed = noticeIsError && order.status === 'pending_payment';
  return (
    <article class="order">
      <h1>{failed ? m.order.paymentFailedTitle : justPlaced ? m.order.confirmationTitle : m.order.orderTitle(order.order_number)}</h1>
      {notice ? (noticeIsError ? <p class="notice notice-error" role="alert">{notice}</p> : <p class="notice" role="status">{notice}</p>) : null}
      <dl class="order-facts">
        <dt>{m.order.orderNumber}</dt><dd><strong>{order.order_number}</strong></dd>
        <dt>{m.order.status}</dt><dd class={`status status-${order.status}`}>{m.order.statuses[order.status] ?? order.status}</dd>
        <dt>{m.order.placedAt}</dt><dd>{formatDateTime(order.created_at, locale, ctx.timeZone)}</dd>
      </dl>
      {payment ? <PaymentInstructionsView locale={locale} details={payment} timeZone={ctx.timeZone} /> : null}
      {order.status === 'pending_payment' && !payment ? (
        <>
          <p>{m.order.awaitingPayment}</p>
          {token || returnToken ? (
            <form method="post" action={`/orders/${order.id}/pay`}>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              {token ? <input type="hidden" name="token" value={token} /> : <input type="hidden" name="rt" value={returnToken} />}
              <button type="submit">{m.order.payNow}</button>
            </form>
          ) : null}
        </>
      ) : null}
      <table class="cart-table">
        <thead><tr><th scope="col">{m.cart.item}</th><th scope="col">{m.cart.unitPrice}</th><th scope="col">{m.cart.quantity}</th><th scope="col">{m.cart.lineTotal}</th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <th scope="row">{localized(locale, i.product_name_ja, i.product_name_en)} — {localized(locale, i.variant_name_ja, i.variant_name_en)}{i.tax_rate === 8 ? ' ※' : ''}</th>
              <td>{formatYen(i.unit_price)}</td><td>{i.quantity}</td><td>{formatYen(i.line_total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.some((i) => i.tax_rate === 8) ? <p class="note">{m.totals.reducedMark}</p> : null}
      <TotalsTable m={m} totals={{ itemsTotal: order.items_total, shippingFee: order.shipping_fee, total: order.total, taxLines: taxLines.map((t) => ({ taxRate: t.tax_rate, taxableTotal: t.taxable_total, tax: t.tax })), discount: order.coupon_code ? { code: order.coupon_code, amount: order.discount_total } : undefined, paymentFee: payment?.instructions.method === 'cod' && payment.instructions.fee > 0 ? { label: paymentMethodMessages(locale).paymentFee, amount: payment.instructions.fee } : undefined }} />
      {receipt ? <ReceiptForm ctx={ctx} state={receipt} /> : null}
      <OrderDelivery order={order} locale={locale} />
      <h2>{m.order.shipTo}</h2>
      <address>
        {order.name}<br />
        {order.country === 'JP' ? <>〒{order.postal_code} {order.prefecture}{order.city}<br /></> : <>{order.postal_code} {order.city}<br /></>}
        {order.line1}{order.line2 ? <><br />{order.line2}</> : null}<br />
        {order.country !== 'JP' ? <>{order.country}<br /></> : null}
      </address>
    </article>
  );
}
