import { KONBINI_CHAINS, supportsKonbini } from '../payments/payment-provider.ts';
import { paymentMethodDb } from './payment-method-tables.ts';
import type { PaymentMethod } from './payment-method.ts';
import { loadPaymentSettings } from './payment-settings.ts';

/**
 * コンビニ決済 through the gateway: it issues a payment number and a deadline; the store's
 * payment comes back as the gateway's signed `captured` notification and settles the order
 * through settleOrder like a card payment. Until the number is issued the order keeps
 * checkout's short first deadline, so a gateway failure releases the stock soon.
 */
export const konbiniPaymentMethod: PaymentMethod = {
  id: 'konbini',
  shipsBeforePayment: false,
  quote: (ctx) => (supportsKonbini(ctx.provider) ? { ok: true, fee: 0 } : { ok: false, reason: 'UNSUPPORTED' }),
  deadline: () => undefined,
  async begin(shop, order, clientIp, log) {
    const provider = shop.payments;
    if (!supportsKonbini(provider)) return { ok: false, error: 'NO_PROVIDER' };
    const db = shop.db.db;
    const now = shop.clock();
    const ts = now.toISOString();
    const row = await db.selectFrom('orders').where('id', '=', order.orderId).select(['id', 'order_number', 'total', 'status', 'locale', 'email']).executeTakeFirst();
    if (!row || row.status !== 'pending_payment') return { ok: false, error: 'ORDER_NOT_PAYABLE' };
    const settings = await loadPaymentSettings(db);
    const chosen = await paymentMethodDb(db).selectFrom('order_payment_methods').select('konbini_store').where('order_id', '=', row.id).executeTakeFirst();
    const store = KONBINI_CHAINS.find((c) => c === chosen?.konbini_store);
    const attempt = await db.insertInto('payment_attempts')
      .values({ order_id: row.id, provider: provider.name, transaction_id: null, email: row.email, client_ip: clientIp, status: 'started', created_at: ts, updated_at: ts })
      .returning('id').executeTakeFirstOrThrow();
    const base = shop.config.publicUrl;
    const created = await provider.createKonbiniPayment({
      orderReference: row.order_number,
      amount: row.total,
      currency: 'JPY',
      // No browser goes to the gateway for konbini; the gateway's API asks for these all the same.
      returnUrl: `${base}/orders/${row.id}/payment-return`,
      cancelUrl: `${base}/orders/${row.id}/payment-return?cancelled=1`,
      notificationUrl: `${base}/payments/${provider.name}/notifications`,
      description: `${shop.config.shopName} ${row.order_number}`,
      customerEmail: row.email,
      locale: row.locale,
      expiresAt: new Date(now.getTime() + settings.konbiniDeadlineDays * 24 * 3600_000),
      ...(store ? { store } : {}),
    });
    if (!created.ok) {
      await db.updateTable('payment_attempts').set({ status: 'failed', updated_at: ts }).where('id', '=', attempt.id).execute();
      log.warn({ orderId: row.id, error: created.error }, 'konbini payment creation failed');
      return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: created.detail };
    }
    const k = created.value;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('payment_attempts').set({ transaction_id: k.transactionId, status: 'pending', updated_at: ts }).where('id', '=', attempt.id).execute();
      // The order lives until the store's deadline plus the gateway's grace: store terminals report
      // late, so a payment taken just before the deadline may arrive after it. The expiry job asks
      // one last time at that moment and expires the order if it is still unpaid.
      const orderExpiresAt = new Date(k.expiresAt.getTime() + provider.konbiniReportGraceMs);
      await trx.updateTable('orders')
        .set({ payment_provider: provider.name, payment_transaction_id: k.transactionId, payment_status: 'pending', expires_at: orderExpiresAt.toISOString(), updated_at: ts })
        .where('id', '=', row.id).where('status', '=', 'pending_payment').execute();
      await paymentMethodDb(trx).updateTable('order_payment_methods')
        .set({ konbini_payment_number: k.paymentNumber, konbini_expires_at: k.expiresAt.toISOString(), konbini_store: k.store ?? store ?? null, konbini_confirmation_number: k.confirmationNumber })
        .where('order_id', '=', row.id).execute();
    });
    return { ok: true };
  },
};
