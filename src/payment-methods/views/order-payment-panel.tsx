// The admin order page's payment-method block: which method, what the customer was told (konbini
// number, deadline) and, for bank transfer and cash on delivery while the money is still due, the
// form that records it (POST /admin/orders/:id/record-payment → recordOfflinePayment).
import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import { CsrfField, type AdminViewContext } from '../../admin/views/admin-layout.tsx';
import type { OrderPaymentDetails } from '../order-payment-method.ts';
import { paymentMethodMessages } from '../payment-method-messages.ts';
import { konbiniFacts } from './payment-instructions.tsx';

export interface RecordPaymentFormState { amount: string; note: string; error?: string | undefined }

export function OrderPaymentPanel({ ctx, orderId, details, mayRecord, form }: {
  ctx: AdminViewContext; orderId: string; details: OrderPaymentDetails; mayRecord: boolean; form?: RecordPaymentFormState | undefined;
}) {
  const pm = paymentMethodMessages(ctx.locale);
  const m = pm.admin;
  const i = details.instructions;
  const offline = i.method === 'bank_transfer' || i.method === 'cod';
  const action = i.method === 'cod' ? m.markCollected : m.markPaid;
  return (
    <section class="order-payment" aria-labelledby="order-payment-method">
      <h2 id="order-payment-method">{m.orderPayment}</h2>
      <dl class="order-facts">
        <dt>{m.orderPayment}</dt><dd>{i.method === 'cod' && details.due ? m.unpaidCod : pm.names[i.method]}</dd>
        {i.method === 'cod' ? <><dt>{pm.paymentFee}</dt><dd>{formatYen(i.fee)}</dd></> : null}
        {i.method === 'konbini' && i.paymentNumber ? konbiniFacts(ctx.locale, i).map((f) => <><dt>{f.label}</dt><dd>{f.value}</dd></>) : null}
        {i.method !== 'cod' && i.deadline && details.due ? <><dt>{pm.deadline}</dt><dd><time datetime={i.deadline}>{formatDateTime(i.deadline, ctx.locale, ctx.timeZone)}</time></dd></> : null}
      </dl>
      {offline && details.due && mayRecord ? (
        <form method="post" action={`/admin/orders/${orderId}/record-payment`} novalidate>
          <h3>{action}</h3>
          <CsrfField ctx={ctx} />
          <div class={form?.error ? 'field has-error' : 'field'}>
            <label for="record-amount">{m.confirmAmount}</label>
            <span class="hint" id="record-amount-hint">{m.markPaidHint(formatYen(i.amount))}</span>
            <input id="record-amount" name="amount" type="text" inputMode="numeric" size={10} maxlength={12} value={form?.amount ?? ''}
              aria-describedby={form?.error ? 'record-amount-hint record-amount-error' : 'record-amount-hint'} {...(form?.error ? { 'aria-invalid': 'true' } : {})} />
            {form?.error ? <span class="field-error" id="record-amount-error" role="alert">{form.error}</span> : null}
          </div>
          <div class="field">
            <label for="record-note">{m.recordNote}</label>
            <input id="record-note" name="note" type="text" maxlength={200} value={form?.note ?? ''} />
          </div>
          <button type="submit">{action}</button>
        </form>
      ) : null}
    </section>
  );
}
