// The back office's side of offline payments, used by src/admin/order-routes.tsx: the order
// page's payment block, and the "record payment / record collection" form read and answered.
// Deciding (method, state, exact amount, audit) is recordOfflinePayment's.
import type { AdminViewContext } from '../admin/views/admin-layout.tsx';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { formatYen } from '../i18n/locale.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { recordOfflinePayment } from '../orders/record-offline-payment.ts';
import type { OrderActor } from '../orders/order-actor.ts';
import { orderPaymentDetails } from './order-payment-method.ts';
import { paymentMethodMessages } from './payment-method-messages.ts';
import { OrderPaymentPanel, type RecordPaymentFormState } from './views/order-payment-panel.tsx';

/** The block for the order page; null for a card order (its page stays as it was). */
export async function orderPaymentPanel(shop: ShopContext, ctx: AdminViewContext, orderId: string, mayRecord: boolean, form?: RecordPaymentFormState) {
  const details = await orderPaymentDetails(shop, orderId);
  return details ? <OrderPaymentPanel ctx={ctx} orderId={orderId} details={details} mayRecord={mayRecord} form={form} /> : null;
}

export type RecordPaymentAnswer =
  | { ok: true; done: 'paid' | 'collected' }
  | { ok: false; status: number; form: RecordPaymentFormState; notFound?: boolean };

/** Reads the form, records the payment, and words the answer for the page. */
export async function recordPaymentFromForm(shop: ShopContext, orderId: string, body: unknown, actor: OrderActor, locale: AdminViewContext['locale'], log: ShopLogger): Promise<RecordPaymentAnswer> {
  const m = paymentMethodMessages(locale).admin;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '').trim() : '');
  const typed = str(b.amount);
  const rawNote = str(b.note);
  // A card number in the note is neither stored nor echoed.
  const note = containsCardNumber(rawNote) ? '' : rawNote.slice(0, 200);
  const digits = typed.normalize('NFKC').replace(/[,，円¥\s]/g, '');
  const form = { amount: typed.slice(0, 12), note };
  if (containsCardNumber(rawNote)) return { ok: false, status: 400, form: { ...form, error: m.errors.cardNumber } };
  if (!/^\d{1,9}$/.test(digits)) return { ok: false, status: 400, form: { ...form, error: m.amountInvalid } };
  const r = await recordOfflinePayment(shop, orderId, Number(digits), actor, log, note ? { note } : {});
  if (r.ok) return { ok: true, done: r.outcome };
  if (r.error === 'ORDER_NOT_FOUND') return { ok: false, status: 404, form, notFound: true };
  if (r.error === 'AMOUNT_MISMATCH') return { ok: false, status: 422, form: { ...form, error: m.amountMismatch(formatYen(r.expected ?? 0)) } };
  return { ok: false, status: 409, form: { ...form, error: r.error === 'NOT_OFFLINE_METHOD' ? m.notOfflineMethod : m.notPayable } };
}
