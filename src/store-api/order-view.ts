// The Store API's view of one order (S.OrderView): the same for the access-token lookup
// (GET /api/store/orders/{orderId}) and a signed-in customer's history (customer-routes.ts).
import type { OrderDetail } from '../orders/service.ts';
import { localized } from '../layout/view-context.ts';
import type { Locale } from '../i18n/locale.ts';
import { apiOrderDelivery } from '../shipping/store-api-delivery.ts';

export function orderView(detail: OrderDetail, locale: Locale) {
  const { order, items, taxLines } = detail;
  return {
    orderNumber: order.order_number,
    status: order.status,
    total: order.total,
    itemsTotal: order.items_total,
    shippingFee: order.shipping_fee,
    taxBreakdown: taxLines.map((t) => ({ rate: t.tax_rate, taxableTotal: t.taxable_total, tax: t.tax, ...(t.discount ? { discount: t.discount } : {}) })),
    discountTotal: order.discount_total,
    couponCode: order.coupon_code,
    items: items.map((i) => ({
      sku: i.sku, productName: localized(locale, i.product_name_ja, i.product_name_en), variantName: localized(locale, i.variant_name_ja, i.variant_name_en),
      unitPrice: i.unit_price, quantity: i.quantity, taxRate: i.tax_rate, lineTotal: i.line_total,
    })),
    delivery: apiOrderDelivery(order, locale),
  };
}
