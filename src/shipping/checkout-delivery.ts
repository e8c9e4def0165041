// The HTML checkout's use of the delivery choice: what the re-rendered form shows, and the check
// before an order is placed (strict choice; the fee the customer saw is the fee charged).
import type { ShopContext } from '../shop-context.ts';
import type { CartLine } from '../cart/service.ts';
import { normalizePrefecture } from '../checkout/prefectures.ts';
import { resolveDelivery, type DeliveryFieldError, type ResolvedDelivery } from './delivery-options.ts';
import type { DeliveryFormValues } from './delivery-form.ts';
import type { DeliveryChoiceView } from './views/delivery-choice.tsx';

export interface CheckoutDeliveryState { form?: DeliveryFormValues; errors?: DeliveryFieldError[]; feeChanged?: boolean }

/** The prefecture the fee is read for: a Japanese address's, else none (the table's lowest). */
function destination(address: { country: string; prefecture: string }): string | undefined {
  return address.country.toUpperCase() === 'JP' ? normalizePrefecture(address.prefecture) : undefined;
}

export async function deliveryView(shop: ShopContext, lines: readonly CartLine[], address: { country: string; prefecture: string }, state: CheckoutDeliveryState = {}): Promise<DeliveryChoiceView> {
  const r = await resolveDelivery(shop, { choice: state.form?.choice ?? {}, prefecture: destination(address), lines, strict: false });
  return { resolved: r.value, errors: state.errors ?? [], ...(state.feeChanged ? { feeChanged: true } : {}) };
}

export async function deliveryForOrder(shop: ShopContext, lines: readonly CartLine[], address: { country: string; prefecture: string }, form: DeliveryFormValues):
  Promise<{ ok: true; resolved: ResolvedDelivery } | { ok: false; status: number; state: CheckoutDeliveryState }> {
  const r = await resolveDelivery(shop, { choice: form.choice, prefecture: destination(address), lines, strict: true });
  if (!r.ok) return { ok: false, status: 400, state: { form, errors: r.errors } };
  const itemsTotal = lines.reduce((s, l) => s + l.lineTotal, 0);
  if (form.quotedFee !== undefined && r.value.charge.feeFor(itemsTotal) !== form.quotedFee) return { ok: false, status: 200, state: { form, feeChanged: true } };
  return { ok: true, resolved: r.value };
}
