// The Store API's side of delivery: the optional `delivery` of a checkout checked like the form's
// (422 problem+json naming the field), the methods a headless storefront can offer, and the order's
// delivery as the API shows it.
import type { ShopContext } from '../shop-context.ts';
import type { CartLine } from '../cart/service.ts';
import type { Order } from '../db/schema.ts';
import type { Locale } from '../i18n/locale.ts';
import { localized } from '../layout/view-context.ts';
import { ShopError } from '../http/error-catalog.ts';
import { normalizePrefecture } from '../checkout/prefectures.ts';
import { resolveDelivery, type DeliveryChoice, type DeliveryFieldError, type ResolvedDelivery } from './delivery-options.ts';
import { shippingMessages } from './shipping-messages.ts';
import { timeSlotLabel } from './time-slots.ts';

export function deliveryProblem(errors: DeliveryFieldError[]): ShopError {
  const m = shippingMessages('en');
  return new ShopError('MAMORI_ERR_DELIVERY_NOT_AVAILABLE', errors.map((e) => m.errors[e.code]).join(' '), errors.map((e) => ({ field: e.field, message: m.errors[e.code] })));
}

/** Throws the 422 problem for a choice the shop does not offer; without `delivery`, the default method. */
export async function apiDelivery(shop: ShopContext, lines: readonly CartLine[], address: { country: string; prefecture: string }, choice: DeliveryChoice | undefined): Promise<ResolvedDelivery> {
  const r = await resolveDelivery(shop, { choice: choice ?? {}, prefecture: address.country === 'JP' ? address.prefecture : undefined, lines, strict: true });
  if (!r.ok) throw deliveryProblem(r.errors);
  return r.value;
}

export async function apiShippingMethods(shop: ShopContext, lines: readonly CartLine[], prefecture: string | undefined, locale: Locale) {
  const r = await resolveDelivery(shop, { choice: {}, prefecture: prefecture ? normalizePrefecture(prefecture) : undefined, lines, strict: false });
  return {
    methods: r.value.options.map((o) => ({
      id: o.method.id, name: localized(locale, o.method.nameJa, o.method.nameEn), carrier: o.method.carrier,
      fee: o.quote.ok ? o.quote.fee : null, freeOver: o.method.freeOver, dates: o.dates,
      timeSlots: o.method.timeSlots.map((code) => ({ code, label: timeSlotLabel(code, locale) })),
    })),
  };
}

export function apiOrderDelivery(order: Order, locale: Locale) {
  if (order.shipping_method_name_ja === null) return null;
  return {
    methodId: order.shipping_method_id, method: localized(locale, order.shipping_method_name_ja, order.shipping_method_name_en ?? order.shipping_method_name_ja),
    date: order.delivery_date, timeSlot: order.delivery_time_slot, fee: order.shipping_fee,
  };
}
