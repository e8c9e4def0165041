// Order pages of the back office: filtered list and detail with timeline and actions.
import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import { localized } from '../../layout/view-context.ts';
import { CsrfField, type AdminViewContext } from './admin-layout.tsx';
import { ORDER_STATUSES, type OrderFilter, type loadOrderDetail } from '../orders-admin.ts';
import type { RefundAllowance } from '../../orders/refund-order.ts';
import { describeOrderEvent, PAYMENT_STATUSES, paymentStatusLabel } from '../order-display.ts';
import { CARRIERS } from '../../orders/carriers.ts';
import { OrderDelivery } from '../../shipping/views/order-delivery.tsx';
import type { ComponentChildren } from 'preact';

type OrderDetail = NonNullable<Awaited<ReturnType<typeof loadOrderDetail>>>;

export interface OrderListRow { id: string; order_number: string; created_at: string; status: string; payment_status: string | null; total: number; refunded_total: number; name: string }

function query(f: OrderFilter, page?: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, String(v));
  if (page && page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** error and selected: the delivery-slip form sent back (nothing selected, too many), its ticks kept. */
export function OrderListPage({ ctx, filter, rows, total, page, pages, canExport, error, selected = [] }: { ctx: AdminViewContext; filter: OrderFilter; rows: OrderListRow[]; total: number; page: number; pages: number; canExport: boolean; error?: string; selected?: readonly string[] }) {
  const o = ctx.m.orders;
  return (
    <section>
      <h1>{o.title}</h1>
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      <form method="get" action="/admin/orders" class="search" aria-label={o.filters}>
        <label for="f-status">{o.status}</label>
        <select id="f-status" name="status">
          <option value="">{o.any}</option>
          {ORDER_STATUSES.map((s) => <option value={s} selected={filter.status === s}>{o.statuses[s] ?? s}</option>)}
        </select>
        <label for="f-payment">{o.paymentStatus}</label>
        <select id="f-payment" name="paymentStatus">
          <option value="">{o.any}</option>
          {PAYMENT_STATUSES.map((s) => <option value={s} selected={filter.paymentStatus === s}>{paymentStatusLabel(ctx.locale, s)}</option>)}
        </select>
        <label for="f-from">{o.from}</label>
        <input id="f-from" name="from" type="date" value={filter.from ?? ''} />
        <label for="f-to">{o.to}</label>
        <input id="f-to" name="to" type="date" value={filter.to ?? ''} />
        <label for="f-text">{o.text}</label>
        <input id="f-text" name="text" type="search" value={filter.text ?? ''} />
        <button type="submit">{o.apply}</button>
      </form>
      <p>{o.count(total)}{canExport ? <> · <a href={`/admin/orders.csv${query(filter)}`}>{o.export}</a> · <a href={`/admin/orders.csv${query(filter) ? `${query(filter)}&` : '?'}lines=1`}>{o.exportLines}</a></> : null}</p>
      {rows.length === 0 ? <p>{o.none}</p> : (
        // One form around the table: the ticked orders go to the delivery-slip PDF (order-routes.tsx).
        <form method="post" action="/admin/orders/delivery-slips">
        <CsrfField ctx={ctx} />
        <table class="cart-table">
          <caption class="visually-hidden">{o.title}</caption>
          <thead><tr><td /><th scope="col">{o.number}</th><th scope="col">{o.date}</th><th scope="col">{o.customer}</th><th scope="col">{o.status}</th><th scope="col">{o.paymentStatus}</th><th scope="col">{o.total}</th><th scope="col">{o.refunded}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><input type="checkbox" name="orderId" value={r.id} checked={selected.includes(r.id)} aria-label={o.select(r.order_number)} /></td>
                <th scope="row"><a href={`/admin/orders/${r.id}`}>{r.order_number}</a></th>
                <td>{formatDateTime(r.created_at, ctx.locale, ctx.timeZone)}</td>
                <td>{r.name}</td>
                <td>{o.statuses[r.status] ?? r.status}</td>
                <td>{paymentStatusLabel(ctx.locale, r.payment_status)}</td>
                <td>{formatYen(r.total)}</td>
                <td>{r.refunded_total ? formatYen(r.refunded_total) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="field checkbox"><input id="slips-without-prices" name="withoutPrices" type="checkbox" value="on" /><label for="slips-without-prices">{o.slipsWithoutPrices}</label></div>
        <button type="submit">{o.deliverySlips}</button>
        </form>
      )}
      {pages > 1 ? (
        <nav class="pagination" aria-label={o.title}>
          {page > 1 ? <a href={`/admin/orders${query(filter, page - 1)}`}>{o.previous}</a> : null}
          <span>{`${page} / ${pages}`}</span>
          {page < pages ? <a href={`/admin/orders${query(filter, page + 1)}`}>{o.next}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}

/** refundAllowance: set for a staff member (their limit on this order, what they used, what is left); absent = unlimited. */
/**
 * paymentPanel: the payment-method block of a non-card order (src/payment-methods/admin-order-payment.tsx);
 * shipsUnpaid: cash on delivery, shipped before it is paid.
 */
export function OrderDetailPage({ ctx, detail, refundAllowance, notice, error, paymentPanel, shipsUnpaid }: { ctx: AdminViewContext; detail: OrderDetail; refundAllowance: RefundAllowance | undefined; notice?: string; error?: string; paymentPanel?: ComponentChildren; shipsUnpaid?: boolean }) {
  const o = ctx.m.orders;
  const { order, items, events, refunds, taxLines } = detail;
  const left = order.total - order.refunded_total;
  return (
    <section>
      <h1>{`${o.number} ${order.order_number}`}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      <dl class="order-facts">
        <dt>{o.date}</dt><dd>{formatDateTime(order.created_at, ctx.locale, ctx.timeZone)}</dd>
        <dt>{o.status}</dt><dd>{o.statuses[order.status] ?? order.status}</dd>
        <dt>{o.paymentStatus}</dt><dd>{paymentStatusLabel(ctx.locale, order.payment_status)}</dd>
        <dt>{o.customer}</dt><dd>{order.name}</dd>
        {/* 姓・名・フリガナ when the customer gave them (migration 0650); older orders have only the name. */}
        {order.family_name !== null ? <><dt>{o.familyName}</dt><dd>{order.family_name}</dd></> : null}
        {order.given_name !== null ? <><dt>{o.givenName}</dt><dd>{order.given_name}</dd></> : null}
        {order.family_name_kana !== null || order.given_name_kana !== null ? <><dt>{o.nameKana}</dt><dd>{[order.family_name_kana, order.given_name_kana].filter((k) => k).join(' ')}</dd></> : null}
        <dt>{o.email}</dt><dd>{order.email}</dd>
        <dt>{o.phone}</dt><dd>{order.phone}</dd>
        <dt>{o.address}</dt><dd>{`〒${order.postal_code} ${order.prefecture}${order.city}${order.line1} ${order.line2}`.trim()}</dd>
      </dl>
      <OrderDelivery order={order} locale={ctx.locale} />
      {paymentPanel ?? null}
      <h2>{o.items}</h2>
      <table class="cart-table">
        <thead><tr><th scope="col">{o.items}</th><th scope="col">{o.unitPrice}</th><th scope="col">{o.quantity}</th><th scope="col">{o.total}</th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr><th scope="row">{`${localized(ctx.locale, i.product_name_ja, i.product_name_en)} ${localized(ctx.locale, i.variant_name_ja, i.variant_name_en)}`} <small>{i.sku}</small></th><td>{formatYen(i.unit_price)}</td><td>{i.quantity}</td><td>{formatYen(i.line_total)}</td></tr>
          ))}
          {order.discount_total > 0 ? <tr class="discount"><th scope="row">{o.couponDiscount(order.coupon_code ?? '')}</th><td /><td /><td>−{formatYen(order.discount_total)}</td></tr> : null}
          <tr><th scope="row">{o.shipping}</th><td /><td /><td>{formatYen(order.shipping_fee)}</td></tr>
          <tr><th scope="row">{o.total}</th><td /><td /><td><strong>{formatYen(order.total)}</strong></td></tr>
          {taxLines.map((t) => <tr><th scope="row">{o.taxOf(t.tax_rate)}</th><td /><td /><td>{formatYen(t.tax)}</td></tr>)}
        </tbody>
      </table>

      <h2>{o.timeline}</h2>
      <ol class="timeline">
        {events.map((e) => <li><time datetime={e.created_at}>{formatDateTime(e.created_at, ctx.locale, ctx.timeZone)}</time> {e.from_status === e.to_status ? null : `${e.from_status ? (o.statuses[e.from_status] ?? e.from_status) : '—'} → ${o.statuses[e.to_status] ?? e.to_status}: `}{describeOrderEvent(ctx.locale, e.cause, o.statuses)}</li>)}
      </ol>
      {refunds.length > 0 ? (
        <>
          <h2>{o.refunds}</h2>
          <ul>{refunds.map((r) => <li>{`${formatDateTime(r.created_at, ctx.locale, ctx.timeZone)} ${formatYen(r.amount)} ${r.reason}`}</li>)}</ul>
        </>
      ) : null}

      {order.status === 'paid' || (shipsUnpaid && order.status === 'pending_payment') ? (
        <>
          <h2>{o.fulfil}</h2>
          <form method="post" action={`/admin/orders/${order.id}/fulfil`}>
            <CsrfField ctx={ctx} />
            <div class="field"><label for="carrier">{o.carrier}</label><input id="carrier" name="carrier" required maxlength={60} list="known-carriers" />
              {/* The carriers whose tracking page the shipped mail links to (src/orders/carriers.ts). */}
              <datalist id="known-carriers">{CARRIERS.map((c) => <option value={c.name} />)}</datalist></div>
            <div class="field"><label for="tracking">{o.tracking}</label><input id="tracking" name="trackingNumber" required maxlength={60} /></div>
            <button type="submit">{o.fulfil}</button>
          </form>
        </>
      ) : null}
      {['pending_payment', 'paid', 'payment_review'].includes(order.status) ? (
        <>
          <h2>{o.cancel}</h2>
          <form method="post" action={`/admin/orders/${order.id}/cancel`}>
            <CsrfField ctx={ctx} />
            <div class="field"><label for="cancel-reason">{o.reason}</label><input id="cancel-reason" name="reason" required maxlength={200} /></div>
            <button type="submit">{o.cancel}</button>
          </form>
        </>
      ) : null}
      {left > 0 && order.payment_transaction_id && ['paid', 'fulfilled', 'payment_review', 'cancelled'].includes(order.status) ? (
        <>
          <h2>{o.refund}</h2>
          {refundAllowance ? <p class="note">{o.refundLimitLeft(formatYen(refundAllowance.limit ?? 0), formatYen(refundAllowance.used), formatYen(refundAllowance.left ?? 0))}</p> : null}
          <form method="post" action={`/admin/orders/${order.id}/refund`}>
            <CsrfField ctx={ctx} />
            <div class="field"><label for="amount">{o.amount}</label><input id="amount" name="amount" type="number" min={1} max={left} step={1} /></div>
            <div class="field"><label for="refund-reason">{o.reason}</label><input id="refund-reason" name="reason" required maxlength={200} /></div>
            <button type="submit">{o.refund}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
