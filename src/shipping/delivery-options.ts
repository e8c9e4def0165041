// The customer's delivery choice, shared by the HTML checkout and the Store API: which methods can
// carry this cart to this prefecture and for how much, the dates and slots each offers, and the
// check of a choice (a disabled method, a date outside the window, a slot not offered are refused).
import type { ShopContext } from '../shop-context.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';
import { addDays, localDate } from '../incidents/legal-deadlines.ts';
import { listShippingMethods } from './queries.ts';
import type { ShippingMethod } from './shipping-method.ts';
import type { ShippingCharge, ShippingFeeResult } from './shipping-fee-strategy.ts';
import { flatCharge } from './flat-shipping-fee-strategy.ts';

export interface DeliveryLine { sizeClass: number; quantity: number; unitPrice: number }

export interface DeliveryChoice {
  methodId?: number | undefined;
  /** YYYY-MM-DD in the shop's time zone; absent: 指定なし. */
  date?: string | undefined;
  timeSlot?: string | undefined;
}

export interface DeliveryOption { method: ShippingMethod; quote: ShippingFeeResult; dates: string[] }

/** What the order keeps and how place-order re-prices it from the lines it locks. */
export interface OrderDelivery {
  methodId: number;
  nameJa: string;
  nameEn: string;
  date: string | null;
  timeSlot: string | null;
  quote(items: readonly { sizeClass: number; quantity: number }[], itemsTotal: number): ShippingFeeResult;
}

export interface ResolvedDelivery {
  /** Undefined: the shop has no enabled method and charges its configured flat fee. */
  order: OrderDelivery | undefined;
  charge: ShippingCharge;
  options: DeliveryOption[];
  selected: DeliveryOption | undefined;
}

export type DeliveryErrorCode = 'methodUnavailable' | 'notDeliverable' | 'dateNotOffered' | 'slotNotOffered';
export interface DeliveryFieldError { field: 'delivery.methodId' | 'delivery.date' | 'delivery.timeSlot'; code: DeliveryErrorCode }

/** The dates a method offers, from N to M days after today in the shop's time zone. */
export function allowedDates(method: ShippingMethod, now: Date, timeZone: string): string[] {
  if (!method.dateSelectable || method.dateMaxDays < method.dateMinDays) return [];
  const today = localDate(now, timeZone);
  const dates: string[] = [];
  for (let d = method.dateMinDays; d <= method.dateMaxDays; d++) dates.push(addDays(today, d));
  return dates;
}

const itemsTotalOf = (lines: readonly DeliveryLine[]) => lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);

/**
 * Resolves a choice for a cart and destination. Without a method id the first enabled method that
 * can carry the cart is used (a Store API client that sends no `delivery` keeps working); with
 * `strict` a choice that the shop does not offer is an error, otherwise (the re-rendered form) the
 * choice falls back to what is offered.
 */
export async function resolveDelivery(shop: ShopContext, input: { choice: DeliveryChoice; prefecture: string | undefined; lines: readonly DeliveryLine[]; strict: boolean }): Promise<{ ok: true; value: ResolvedDelivery } | { ok: false; errors: DeliveryFieldError[]; value: ResolvedDelivery }> {
  const methods = await listShippingMethods(shop.db.db, { enabledOnly: true });
  const { timeZone } = await currentShopProfile(shop);
  const now = shop.clock();
  const itemsTotal = itemsTotalOf(input.lines);
  const items = input.lines.map((l) => ({ sizeClass: l.sizeClass, quantity: l.quantity }));
  const options: DeliveryOption[] = methods.map((method) => ({ method, quote: shop.shipping.feeFor({ method, prefecture: input.prefecture, items, itemsTotal }), dates: allowedDates(method, now, timeZone) }));
  const fallback = flatCharge(shop.config.shipping.flatFee, shop.config.shipping.freeOver);
  if (options.length === 0) return { ok: true, value: { order: undefined, charge: fallback, options, selected: undefined } };

  const errors: DeliveryFieldError[] = [];
  const { choice } = input;
  let selected = choice.methodId === undefined ? undefined : options.find((o) => o.method.id === choice.methodId);
  if (choice.methodId !== undefined && !selected) errors.push({ field: 'delivery.methodId', code: 'methodUnavailable' });
  else if (selected && !selected.quote.ok) errors.push({ field: 'delivery.methodId', code: 'notDeliverable' });
  if (!selected || !selected.quote.ok) selected = options.find((o) => o.quote.ok) ?? selected ?? options[0]!;

  let date = choice.date || null;
  let timeSlot = choice.timeSlot || null;
  if (date && !selected.dates.includes(date)) { if (input.strict) errors.push({ field: 'delivery.date', code: 'dateNotOffered' }); date = null; }
  if (timeSlot && !selected.method.timeSlots.includes(timeSlot)) { if (input.strict) errors.push({ field: 'delivery.timeSlot', code: 'slotNotOffered' }); timeSlot = null; }
  if (!selected.quote.ok && !errors.length) errors.push({ field: 'delivery.methodId', code: 'notDeliverable' });

  const method = selected.method;
  const strategy = shop.shipping;
  const fee = selected.quote.ok ? selected.quote.fee : 0;
  const value: ResolvedDelivery = {
    order: {
      methodId: method.id, nameJa: method.nameJa, nameEn: method.nameEn, date, timeSlot,
      quote: (lockedItems, lockedTotal) => strategy.feeFor({ method, prefecture: input.prefecture, items: lockedItems, itemsTotal: lockedTotal }),
    },
    charge: { feeFor: () => fee, freeOver: method.freeOver ?? undefined },
    options,
    selected,
  };
  return errors.length ? { ok: false, errors, value } : { ok: true, value };
}

/** The cart's shipping before the address is known: the first method's fee from its table's lowest. */
export async function cartShippingEstimate(shop: ShopContext, lines: readonly DeliveryLine[]): Promise<ShippingCharge> {
  return (await resolveDelivery(shop, { choice: {}, prefecture: undefined, lines, strict: false })).value.charge;
}
