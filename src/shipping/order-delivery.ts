// How an order's delivery choice reads, on the order pages and in the mails.
import type { Order } from '../db/schema.ts';
import type { Locale } from '../i18n/locale.ts';
import { localized } from '../layout/view-context.ts';
import { shippingMessages } from './shipping-messages.ts';
import { timeSlotLabel } from './time-slots.ts';

type DeliveryColumns = Pick<Order, 'shipping_method_name_ja' | 'shipping_method_name_en' | 'delivery_date' | 'delivery_time_slot'>;

/** Label/value pairs: method, then the requested date and time (指定なし when not chosen). Empty for older orders. */
export function orderDeliveryFacts(order: DeliveryColumns, locale: Locale): { label: string; value: string }[] {
  if (order.shipping_method_name_ja === null) return [];
  const m = shippingMessages(locale);
  return [
    { label: m.method, value: localized(locale, order.shipping_method_name_ja, order.shipping_method_name_en ?? order.shipping_method_name_ja) },
    { label: m.date, value: order.delivery_date ? m.weekday(order.delivery_date) : m.unspecified },
    { label: m.timeSlot, value: order.delivery_time_slot ? timeSlotLabel(order.delivery_time_slot, locale) : m.unspecified },
  ];
}

/** The same as mail lines: `配送方法: ヤマト宅急便`. */
export function orderDeliveryLines(order: DeliveryColumns, locale: Locale): string[] {
  return orderDeliveryFacts(order, locale).map((f) => `${f.label}${locale === 'en' ? ': ' : '：'}${f.value}`);
}
