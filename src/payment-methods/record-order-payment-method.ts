import type { PlaceOrderPaymentHook } from '../checkout/place-order.ts';
import type { TaxRoundingStrategy } from '../tax/tax-rounding-strategy.ts';
import { addPaymentFee, PAYMENT_FEE_TAX_RATE } from './payment-fee.ts';
import type { PaymentMethod, PaymentMethodContext } from './payment-method.ts';
import type { KonbiniChain } from '../payments/payment-provider.ts';
import { paymentMethodDb } from './payment-method-tables.ts';

/**
 * What placeOrder runs, inside its transaction, for an order paid other than by card: the fee
 * quoted from the order's own total (prices are read there), the order's total, tax lines and
 * deadline updated, and the method recorded. Undefined rolls the whole order back.
 */
export function recordOrderPaymentMethod(ctx: PaymentMethodContext, method: PaymentMethod, rounding: TaxRoundingStrategy, konbiniStore?: KonbiniChain): PlaceOrderPaymentHook {
  return async (trx, { orderId, totals, now }) => {
    const quote = method.quote(ctx, totals.total);
    if (!quote.ok) return undefined;
    const withFee = addPaymentFee(totals, quote.fee, rounding);
    const deadline = method.deadline(ctx, now);
    if (quote.fee > 0 || deadline) {
      await trx.updateTable('orders')
        .set({ total: withFee.total, ...(deadline ? { expires_at: deadline.toISOString() } : {}) })
        .where('id', '=', orderId).execute();
    }
    if (quote.fee > 0) {
      const standard = withFee.taxLines.find((t) => t.taxRate === PAYMENT_FEE_TAX_RATE)!;
      await trx.deleteFrom('order_tax_lines').where('order_id', '=', orderId).where('tax_rate', '=', PAYMENT_FEE_TAX_RATE).execute();
      await trx.insertInto('order_tax_lines').values({ order_id: orderId, tax_rate: standard.taxRate, taxable_total: standard.taxableTotal, tax: standard.tax, discount: standard.discount ?? 0 }).execute();
    }
    await paymentMethodDb(trx).insertInto('order_payment_methods')
      .values({ order_id: orderId, method: method.id, fee: quote.fee, konbini_payment_number: null, konbini_expires_at: null, konbini_store: konbiniStore ?? null, konbini_confirmation_number: null, status_asked_at: null, status_next_ask_at: null, created_at: now.toISOString() })
      .execute();
    return withFee;
  };
}
