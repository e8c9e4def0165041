import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { priceLines, type CartTotals } from '../cart/price-cart.ts';
import type { ShippingCharge } from '../shipping/shipping-fee-strategy.ts';
import type { OrderDelivery } from '../shipping/delivery-options.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';
import type { Locale } from '../i18n/locale.ts';
import { newAccessToken, newOrderNumber } from '../orders/order-access.ts';
import type { CustomerDetails } from './customer-details.ts';
import { linkOrderToCustomer } from '../customer-accounts/account-queries.ts';
import { couponCustomerKey, evaluateCoupon, redeemCoupon } from '../coupons/coupon-service.ts';
import { couponRefusal, type CouponRefusal } from '../coupons/coupon-checkout.ts';

export interface PlaceOrderInput {
  cartId: string;
  customer: CustomerDetails;
  locale: Locale;
  now: Date;
  /** The first deadline: how long stock stays reserved if the payment is never started. */
  paymentTimeoutMinutes: number;
  clientIp: string;
  limits: OrderLimits;
  shipping: ShippingCharge;
  rounding: TaxRoundingStrategy;
  /** Store API: where the gateway's return ends (already checked against the allowed origins). */
  returnUrl?: string;
  /** The delivery choice (src/shipping/): stored on the order, its fee re-read from the locked lines. */
  delivery?: OrderDelivery | undefined;
  /** A payment method other than card (src/payment-methods): records itself, its fee and deadline in this transaction. */
  paymentMethod?: PlaceOrderPaymentHook;
  /** The signed-in customer (src/customer-accounts/): the order joins their history in this transaction. */
  customerId?: number | undefined;
  /** A coupon code, normalised (src/coupons/coupon-checkout.ts): checked and its use recorded in this transaction. */
  couponCode?: string | undefined;
}

/** Returns the order's totals with the method's fee, or undefined when the method cannot take this order. */
export type PlaceOrderPaymentHook = (trx: Kysely<Database>, placed: { orderId: string; totals: CartTotals; now: Date }) => Promise<CartTotals | undefined>;

/**
 * What one anonymous checkout may reserve: units per variant and lines per order, and unpaid
 * orders held at once per client address and per e-mail (src/config ORDER_MAX_*).
 */
export interface OrderLimits { maxUnitsPerVariant: number; maxLines: number; maxPendingPerAddress: number; maxPendingPerEmail: number }

export interface PlacedOrder {
  orderId: string;
  orderNumber: string;
  /** Given to the customer once; only its hash is stored. */
  accessToken: string;
  totals: CartTotals;
}

export type PlaceOrderResult =
  | { ok: true; value: PlacedOrder }
  | { ok: false; error: 'CART_NOT_FOUND' | 'CART_EMPTY' }
  | { ok: false; error: 'NOT_DELIVERABLE' }
  | { ok: false; error: 'ORDER_LIMIT'; maxUnitsPerVariant: number; maxLines: number }
  | { ok: false; error: 'TOO_MANY_PENDING_ORDERS'; by: 'address' | 'email' }
  | { ok: false; error: 'INSUFFICIENT_STOCK'; variants: { variantId: number; sku: string; requested: number; available: number }[] }
  | { ok: false; error: 'PAYMENT_METHOD_UNAVAILABLE' }
  | { ok: false; error: 'COUPON_REFUSED'; reason: CouponRefusal };

/** Carries a business failure out of the transaction so that everything in it is rolled back. */
class AbortPlaceOrder extends Error {
  constructor(readonly result: Exclude<PlaceOrderResult, { ok: true }>) {
    super(result.error);
  }
}

/**
 * Turns a cart into an order. Stock is reserved in the same transaction that creates the
 * order, with a conditional decrement (`stock >= qty`) backed by a CHECK constraint, so no
 * interleaving of concurrent checkouts can oversell: on PostgreSQL the row lock re-checks
 * the condition after a concurrent commit; on SQLite writers are serialised.
 */
export async function placeOrder(db: Kysely<Database>, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const cart = await trx.selectFrom('carts').where('id', '=', input.cartId).select('id').executeTakeFirst();
      if (!cart) throw new AbortPlaceOrder({ ok: false, error: 'CART_NOT_FOUND' });
      const lines = await trx
        .selectFrom('cart_items as ci')
        .innerJoin('variants as v', 'v.id', 'ci.variant_id')
        .innerJoin('products as p', 'p.id', 'v.product_id')
        .where('ci.cart_id', '=', input.cartId)
        .where('p.status', '=', 'active')
        // A product made a draft, or scheduled ahead, after it went into the cart is not sold.
        .where('p.publication', '=', 'published')
        .where((eb) => eb.or([eb('p.publish_at', 'is', null), eb('p.publish_at', '<=', input.now.toISOString())]))
        .select([
          'ci.variant_id', 'ci.quantity', 'v.sku', 'v.price', 'v.stock', 'v.name_ja as variant_name_ja', 'v.name_en as variant_name_en',
          'p.name_ja', 'p.name_en', 'p.tax_rate', 'p.size_class',
        ])
        // A fixed lock order (by variant) prevents deadlocks between concurrent multi-line checkouts.
        .orderBy('ci.variant_id')
        .execute();
      if (lines.length === 0) throw new AbortPlaceOrder({ ok: false, error: 'CART_EMPTY' });
      const { limits } = input;
      if (lines.length > limits.maxLines || lines.some((l) => l.quantity > limits.maxUnitsPerVariant)) {
        throw new AbortPlaceOrder({ ok: false, error: 'ORDER_LIMIT', maxUnitsPerVariant: limits.maxUnitsPerVariant, maxLines: limits.maxLines });
      }
      // Count and insert under a per-address and per-e-mail lock (PostgreSQL; SQLite serialises
      // writers), so parallel checkouts cannot each see "one below the limit".
      const email = input.customer.email;
      if (isPostgres(trx)) {
        for (const key of [`pending-orders:ip:${input.clientIp}`, `pending-orders:email:${email}`].sort()) {
          await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
        }
      }
      const pending = (col: 'client_ip' | 'email', value: string) => trx.selectFrom('orders')
        .where('status', '=', 'pending_payment').where(col, '=', value).where('expires_at', '>', input.now.toISOString())
        .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
      if ((await pending('client_ip', input.clientIp)) >= limits.maxPendingPerAddress) throw new AbortPlaceOrder({ ok: false, error: 'TOO_MANY_PENDING_ORDERS', by: 'address' });
      if ((await pending('email', email)) >= limits.maxPendingPerEmail) throw new AbortPlaceOrder({ ok: false, error: 'TOO_MANY_PENDING_ORDERS', by: 'email' });

      const short: { variantId: number; sku: string; requested: number; available: number }[] = [];
      for (const l of lines) {
        const r = await trx
          .updateTable('variants')
          .set((eb) => ({ stock: eb('stock', '-', l.quantity) }))
          .where('id', '=', l.variant_id)
          .where('stock', '>=', l.quantity)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) {
          const now = await trx.selectFrom('variants').where('id', '=', l.variant_id).select('stock').executeTakeFirst();
          short.push({ variantId: l.variant_id, sku: l.sku, requested: l.quantity, available: now?.stock ?? 0 });
        }
      }
      if (short.length > 0) throw new AbortPlaceOrder({ ok: false, error: 'INSUFFICIENT_STOCK', variants: short });

      let shipping = input.shipping;
      if (input.delivery) {
        const quote = input.delivery.quote(lines.map((l) => ({ sizeClass: l.size_class, quantity: l.quantity })), lines.reduce((s, l) => s + l.price * l.quantity, 0));
        if (!quote.ok) throw new AbortPlaceOrder({ ok: false, error: 'NOT_DELIVERABLE' });
        shipping = { feeFor: () => quote.fee };
      }
      // The coupon is checked against the goods total read here, under the stock locks, and
      // redeemed below by the conditional writes of coupon-service.ts (never a read-then-write).
      const goodsTotal = lines.reduce((s, l) => s + l.price * l.quantity, 0);
      const customerKey = couponCustomerKey({ customerId: input.customerId ?? null, email });
      const coupon = input.couponCode ? await evaluateCoupon(trx, () => input.now, input.couponCode, goodsTotal, customerKey) : undefined;
      if (coupon && !coupon.ok) throw new AbortPlaceOrder({ ok: false, error: 'COUPON_REFUSED', reason: couponRefusal(coupon.error) });
      const totals = priceLines(lines.map((l) => ({ unitPrice: l.price, quantity: l.quantity, taxRate: l.tax_rate })), shipping, input.rounding, coupon?.discount ?? 0);
      const orderId = randomUUID();
      const orderNumber = newOrderNumber();
      const access = newAccessToken();
      const ts = input.now.toISOString();
      const a = input.customer.shippingAddress;
      await trx.insertInto('orders').values({
        id: orderId,
        order_number: orderNumber,
        access_token_hash: access.hash,
        cart_id: input.cartId,
        locale: input.locale,
        return_url: input.returnUrl ?? null,
        email: input.customer.email,
        name: input.customer.name,
        family_name: input.customer.familyName,
        given_name: input.customer.givenName,
        family_name_kana: input.customer.familyNameKana,
        given_name_kana: input.customer.givenNameKana,
        phone: input.customer.phone,
        country: a.country,
        postal_code: a.postalCode,
        prefecture: a.prefecture,
        city: a.city,
        line1: a.line1,
        line2: a.line2,
        items_total: totals.itemsTotal,
        shipping_fee: totals.shippingFee,
        discount_total: totals.discountTotal,
        coupon_id: coupon?.coupon.id ?? null,
        coupon_code: coupon?.coupon.code ?? null,
        total: totals.total,
        status: 'pending_payment',
        payment_provider: null,
        payment_transaction_id: null,
        payment_status: null,
        expires_at: new Date(input.now.getTime() + input.paymentTimeoutMinutes * 60_000).toISOString(),
        created_at: ts,
        updated_at: ts,
        client_ip: input.clientIp,
        ...(input.delivery ? {
          shipping_method_id: input.delivery.methodId, shipping_method_name_ja: input.delivery.nameJa, shipping_method_name_en: input.delivery.nameEn,
          delivery_date: input.delivery.date, delivery_time_slot: input.delivery.timeSlot,
        } : {}),
      }).execute();
      await trx.insertInto('order_items').values(lines.map((l) => ({
        order_id: orderId,
        variant_id: l.variant_id,
        product_name_ja: l.name_ja,
        product_name_en: l.name_en,
        variant_name_ja: l.variant_name_ja,
        variant_name_en: l.variant_name_en,
        sku: l.sku,
        unit_price: l.price,
        quantity: l.quantity,
        tax_rate: l.tax_rate,
        line_total: l.price * l.quantity,
      }))).execute();
      await trx.insertInto('order_tax_lines').values(totals.taxLines.map((t) => ({ order_id: orderId, tax_rate: t.taxRate, taxable_total: t.taxableTotal, tax: t.tax, discount: t.discount ?? 0 }))).execute();
      if (coupon) {
        const redeemed = await redeemCoupon(trx, () => input.now, { couponId: coupon.coupon.id, orderId, customerKey, discount: totals.discountTotal });
        if (!redeemed.ok) throw new AbortPlaceOrder({ ok: false, error: 'COUPON_REFUSED', reason: 'LIMIT_REACHED' });
      }
      await trx.insertInto('order_events').values({ order_id: orderId, from_status: null, to_status: 'pending_payment', cause: coupon ? `order placed; stock reserved; coupon ${coupon.coupon.code} −${totals.discountTotal}` : 'order placed; stock reserved', created_at: ts }).execute();
      await trx.deleteFrom('cart_items').where('cart_id', '=', input.cartId).execute();
      if (input.customerId !== undefined) await linkOrderToCustomer(trx, orderId, input.customerId, input.now);
      const paid = input.paymentMethod ? await input.paymentMethod(trx, { orderId, totals, now: input.now }) : totals;
      if (!paid) throw new AbortPlaceOrder({ ok: false, error: 'PAYMENT_METHOD_UNAVAILABLE' });
      return { ok: true, value: { orderId, orderNumber, accessToken: access.token, totals: paid } } as const;
    });
  } catch (err) {
    if (err instanceof AbortPlaceOrder) return err.result;
    throw err;
  }
}
