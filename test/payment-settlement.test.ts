// The shop's side of payments against a scripted gateway: verified notifications, replays,
// duplicates, out-of-order events, mismatches, lost notifications, a gateway that is down,
// the return/notification race, card-testing limits and refunds — on every database.
import { checkoutThroughStoreApi } from './support/store-api-checkout.ts';
import { csrfTokenOf } from './support/csrf.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DATABASES } from './support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from './support/test-shop.ts';
import { ScriptedGateway } from './support/scripted-gateway.ts';
import { queryAndSettle } from '../src/payments/confirm-payment.ts';
import { reconcilePendingPayments } from '../src/payments/reconcile-payments.ts';
import { cancelOrder } from '../src/orders/cancel-order.ts';
import { refundOrder } from '../src/orders/refund-order.ts';
import type { OrderActor } from '../src/orders/order-actor.ts';

const log = pino({ level: 'silent' });
const TEST_ACTOR: OrderActor = { kind: 'system', name: 'test' };

for (const database of DATABASES) {
  describe(`payment settlement on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, velocityLimits: { perOrder: 100, perEmail: 1000, perIp: 1000, overall: 100_000 } });
      await shop.db.db.updateTable('variants').set({ stock: 100_000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });
    beforeEach(() => { gateway.down = false; });

    const db = () => shop.db.db;

    async function placeOrder(email = GOOD_CUSTOMER.email) {
      const placed = await checkoutThroughStoreApi(shop, { customer: { email } });
      const order = await db().selectFrom('orders').where('id', '=', placed.orderId).selectAll().executeTakeFirstOrThrow();
      return { ...placed, order, tx: order.payment_transaction_id as string };
    }
    const notify = (n: { body: string; headers: Record<string, string> }) =>
      shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
    const status = async (orderId: string) => (await db().selectFrom('orders').where('id', '=', orderId).select('status').executeTakeFirstOrThrow()).status;
    const paidEvents = async (orderId: string) => Number((await db().selectFrom('order_events').where('order_id', '=', orderId).where('to_status', '=', 'paid').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const securityEvents = async (type: string) => Number((await db().selectFrom('security_events').where('type', '=', type).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('checkout hands over to the gateway and stores only its transaction id', async () => {
      const o = await placeOrder();
      expect(o.paymentUrl).toBe(`${gateway.checkoutOrigin}/pay/${o.tx}`);
      expect(o.order.payment_provider).toBe('sandbox');
      expect(o.order.status).toBe('pending_payment');
    });

    it('a verified capture notification pays the order; a replay of the same event is a no-op', async () => {
      const o = await placeOrder();
      const n = gateway.notification(gateway.set(o.tx, 'captured'));
      const first = await notify(n);
      expect(first.statusCode).toBe(200);
      expect(first.json().outcome).toBe('paid');
      expect(await status(o.orderId)).toBe('paid');
      const replay = await notify(n);
      expect(replay.statusCode).toBe(200);
      expect(replay.json().outcome).toBe('duplicate_event');
      const duplicate = await notify(gateway.notification(gateway.payments.get(o.tx)!)); // same payment, new event id
      expect(duplicate.json().outcome).toBe('already_paid');
      expect(await paidEvents(o.orderId)).toBe(1);
    });

    it('refuses a bad signature and a stale timestamp, records them as security events, changes nothing', async () => {
      const o = await placeOrder();
      const state = gateway.set(o.tx, 'captured');
      const before = await securityEvents('payment.notification_rejected');
      const forged = await notify(gateway.notification(state, { secret: 'not-the-merchant-secret' }));
      expect(forged.statusCode).toBe(400);
      expect(forged.headers['content-type']).toMatch(/problem\+json/);
      const stale = await notify(gateway.notification(state, { now: new Date(Date.now() - 10 * 60_000) }));
      expect(stale.statusCode).toBe(400);
      const tampered = gateway.notification(state);
      const edited = await notify({ ...tampered, body: tampered.body.replace(`"amount":${state.amount}`, '"amount":1') });
      expect(edited.statusCode).toBe(400);
      expect(await securityEvents('payment.notification_rejected')).toBe(before + 3);
      expect(await status(o.orderId)).toBe('pending_payment');
      // …and into the hash-chained audit log the security committee reads, chain intact.
      const { searchAuditLog } = await import('../src/audit/search-audit-log.ts');
      const { verifyAuditChain } = await import('../src/audit/verify-audit-chain.ts');
      const audited = await searchAuditLog(db(), { action: 'security.payment.notification_rejected', limit: 50 });
      expect(audited.entries.length).toBeGreaterThanOrEqual(3);
      expect((await verifyAuditChain(db())).ok).toBe(true);
    });

    it('never moves an order backwards: a late "declined" after "captured" is ignored', async () => {
      const o = await placeOrder();
      const captured = gateway.set(o.tx, 'captured');
      await notify(gateway.notification(captured));
      const late = await notify(gateway.notification({ ...captured, status: 'declined' }));
      expect(late.json().outcome).toBe('ignored_out_of_order');
      expect(await status(o.orderId)).toBe('paid');
    });

    it('flags an amount or currency mismatch for review instead of fulfilling, as a security event', async () => {
      const o = await placeOrder();
      const before = await securityEvents('payment.amount_mismatch');
      const r = await notify(gateway.notification(gateway.set(o.tx, 'captured', { amount: 1 })));
      expect(r.json().outcome).toBe('review');
      expect(await status(o.orderId)).toBe('payment_review');
      expect(await securityEvents('payment.amount_mismatch')).toBe(before + 1);
      const o2 = await placeOrder();
      await notify(gateway.notification(gateway.set(o2.tx, 'captured', { currency: 'USD' })));
      expect(await status(o2.orderId)).toBe('payment_review');
    });

    it('records a notification for a transaction it never started as a security event', async () => {
      const before = await securityEvents('payment.unknown_transaction');
      const r = await notify(gateway.notification({ transactionId: 'tx_forged', orderReference: 'MA-XXXX-XXXX', status: 'captured', amount: 100, currency: 'JPY', refundedAmount: 0 }));
      expect(r.json().outcome).toBe('unknown_transaction');
      expect(await securityEvents('payment.unknown_transaction')).toBe(before + 1);
    });

    it('keeps the order when the gateway is down at checkout, with a clear answer, and lets the customer pay later', async () => {
      gateway.down = true;
      const o = await placeOrder();
      expect(o.paymentUrl).toBeNull();
      const view = await shop.app.inject({ url: `/api/store/orders/${o.orderId}?token=${o.accessToken}` });
      expect(view.statusCode).toBe(200);
      expect(view.json().status).toBe('pending_payment');
      const page = await shop.app.inject({ url: `/orders/${o.orderId}?token=${o.accessToken}&payment=gatewayUnavailable&lang=en` });
      expect(page.body).toContain('We could not reach the payment service');
      gateway.down = false;
    });

    it('settles a paid order whose notification was lost, through reconciliation', async () => {
      const o = await placeOrder();
      gateway.set(o.tx, 'captured'); // paid at the gateway; the notification never arrives
      await db().updateTable('orders').set({ updated_at: new Date(Date.now() - 5 * 60_000).toISOString() }).where('id', '=', o.orderId).execute();
      expect(await reconcilePendingPayments(shop.app.shop, log, 60_000)).toBeGreaterThanOrEqual(1);
      expect(await status(o.orderId)).toBe('paid');
    });

    it('the return and the notification racing, many times: every order paid exactly once', async () => {
      const orders = await Promise.all(Array.from({ length: 25 }, (_, i) => placeOrder(`race${i}@example.jp`)));
      await Promise.all(orders.flatMap((o) => {
        const state = gateway.set(o.tx, 'captured');
        const n = gateway.notification(state);
        return [
          notify(n),
          notify(n), // the gateway retrying the same event at the same moment
          queryAndSettle(shop.app.shop, o.orderId, 'return', log),
          queryAndSettle(shop.app.shop, o.orderId, 'reconciliation', log),
        ];
      }));
      for (const o of orders) {
        expect(await status(o.orderId)).toBe('paid');
        expect(await paidEvents(o.orderId)).toBe(1);
      }
    });

    it('treats a weakly signed notification as a trigger only and settles from its own status query', async () => {
      const o = await placeOrder();
      const n = gateway.notification(gateway.set(o.tx, 'pending'));
      // A gateway like many Japanese ones: the notification cannot be trusted for its fields.
      const realVerify = gateway.verifyNotification;
      gateway.verifyNotification = async (input) => {
        const v = await realVerify(input);
        return v.ok ? { ok: true, value: { ...v.value, status: 'captured', trusted: false } } : v;
      };
      try {
        const calls = gateway.getPaymentCalls;
        await notify(n); // claims "captured", but the gateway says pending
        expect(gateway.getPaymentCalls).toBe(calls + 1);
        expect(await status(o.orderId)).toBe('pending_payment');
        gateway.set(o.tx, 'captured');
        await notify(gateway.notification(gateway.payments.get(o.tx)!));
        expect(await status(o.orderId)).toBe('paid');
      } finally {
        gateway.verifyNotification = realVerify;
      }
    });

    it('does not pay an order on a correctly signed "captured" that the gateway’s status query contradicts', async () => {
      // A leaked notification secret lets anyone sign "captured": the shop asks the gateway first.
      const o = await placeOrder();
      const pending = gateway.payments.get(o.tx)!;
      const before = await securityEvents('payment.notification_unconfirmed');
      const forged = await notify(gateway.notification({ ...pending, status: 'captured' }));
      expect(forged.statusCode).toBe(200);
      expect(await status(o.orderId)).toBe('pending_payment');
      expect(await securityEvents('payment.notification_unconfirmed')).toBe(before + 1);
      // Gateway unreachable: no decision from the notification alone; a 503 makes the gateway retry.
      gateway.down = true;
      const unconfirmed = await notify(gateway.notification({ ...pending, status: 'captured' }));
      expect(unconfirmed.statusCode).toBe(503);
      expect(await status(o.orderId)).toBe('pending_payment');
      gateway.down = false;
      // The real capture, confirmed by the query, pays it.
      expect((await notify(gateway.notification(gateway.set(o.tx, 'captured')))).json().outcome).toBe('paid');
    });

    it('refunds in part and in full through the port, recorded on the order, never more than was paid', async () => {
      const o = await placeOrder();
      await notify(gateway.notification(gateway.set(o.tx, 'captured')));
      const total = o.order.total as number;
      expect(await refundOrder(shop.app.shop, o.orderId, 100, 'damaged box', TEST_ACTOR, log)).toEqual({ ok: true, refundedTotal: 100 });
      expect((await refundOrder(shop.app.shop, o.orderId, total, 'too much', TEST_ACTOR, log)).ok).toBe(false);
      expect(await refundOrder(shop.app.shop, o.orderId, undefined, 'rest', TEST_ACTOR, log)).toEqual({ ok: true, refundedTotal: total });
      const row = await db().selectFrom('orders').where('id', '=', o.orderId).select(['refunded_total', 'payment_status']).executeTakeFirstOrThrow();
      expect(row).toEqual({ refunded_total: total, payment_status: 'refunded' });
      expect((await db().selectFrom('refunds').where('order_id', '=', o.orderId).selectAll().execute()).length).toBe(2);
    });

    it('cancels an unpaid order at the gateway too and gives its stock back', async () => {
      const o = await placeOrder();
      const stockBefore = (await db().selectFrom('variants').where('id', '=', 1).select('stock').executeTakeFirstOrThrow()).stock;
      expect(await cancelOrder(shop.app.shop, o.orderId, 'customer asked', TEST_ACTOR, log)).toEqual({ ok: true });
      expect(gateway.payments.get(o.tx)!.status).toBe('cancelled');
      expect(await status(o.orderId)).toBe('cancelled');
      expect((await db().selectFrom('variants').where('id', '=', 1).select('stock').executeTakeFirstOrThrow()).stock).toBe(stockBefore + 1);
    });

    it('tells the customer by e-mail when the order is paid, refunded, shipped or cancelled', async () => {
      const { readdirSync } = await import('node:fs');
      const path = await import('node:path');
      const { fulfilOrder } = await import('../src/orders/fulfil-order.ts');
      const mails = () => readdirSync(path.join(shop.dataDir, 'outbox')).length;
      const o = await placeOrder();
      let before = mails();
      await notify(gateway.notification(gateway.set(o.tx, 'captured')));
      expect(mails()).toBe(before + 1);
      before = mails();
      await refundOrder(shop.app.shop, o.orderId, 100, 'goodwill', TEST_ACTOR, log);
      expect(mails()).toBe(before + 1);
      before = mails();
      expect(await fulfilOrder(shop.app.shop, o.orderId, { carrier: 'ヤマト運輸', trackingNumber: '1234-5678-9012' }, TEST_ACTOR, log)).toEqual({ ok: true });
      expect(await fulfilOrder(shop.app.shop, o.orderId, { carrier: 'x', trackingNumber: 'y' }, TEST_ACTOR, log)).toEqual({ ok: false, error: 'NOT_FULFILLABLE' });
      expect(mails()).toBe(before + 1);
      expect(await status(o.orderId)).toBe('fulfilled');
      const o2 = await placeOrder();
      before = mails();
      await cancelOrder(shop.app.shop, o2.orderId, 'customer asked', TEST_ACTOR, log);
      expect(mails()).toBe(before + 1);
    });

    it('does not cancel an order its customer has just paid without refunding it', async () => {
      const o = await placeOrder();
      gateway.set(o.tx, 'captured'); // paid at the gateway a moment ago, no notification yet
      expect(await cancelOrder(shop.app.shop, o.orderId, 'merchant', TEST_ACTOR, log)).toEqual({ ok: true });
      expect(gateway.payments.get(o.tx)!.status).toBe('refunded');
    });
  });

  describe(`card-testing defence on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, velocityLimits: { perOrder: 3, perEmail: 5, perIp: 1000, overall: 100_000, declinesBeforeBlock: 3 } });
    });
    afterAll(async () => { await shop?.dispose(); });

    it('limits payment attempts per order and blocks after repeated declines, as security events', async () => {
      const placed = await checkoutThroughStoreApi(shop);
      const pay = () => shop.app.inject({ method: 'POST', url: `/orders/${placed.orderId}/pay`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${placed.accessToken}` });
      // (The HTML pay route needs a CSRF token: go through the order page like a browser.)
      const page = await shop.app.inject({ url: `/orders/${placed.orderId}?token=${placed.accessToken}` });
      const csrf = csrfTokenOf(page.body);
      const cookies = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const payWithCsrf = () => shop.app.inject({ method: 'POST', url: `/orders/${placed.orderId}/pay`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies }, payload: `token=${placed.accessToken}&_csrf=${encodeURIComponent(csrf)}` });
      expect((await pay()).statusCode).toBe(403);

      const second = await payWithCsrf(); // attempt 2 (checkout was 1)
      expect(second.statusCode).toBe(303);
      expect(String(second.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:9\/pay\//);
      await payWithCsrf(); // attempt 3
      const fourth = await payWithCsrf();
      expect(String(fourth.headers.location)).toContain('payment=paymentBlocked');
      const events = await shop.db.db.selectFrom('security_events').where('type', '=', 'payment.velocity_block').selectAll().execute();
      expect(events.length).toBeGreaterThanOrEqual(1);
      const blocked = await shop.app.inject({ url: String(fourth.headers.location) + '&lang=en' });
      expect(blocked.body).toContain('Too many payment attempts');
    });

    it('blocks the order, the client and the e-mail at that client after three declines', async () => {
      const placed = await checkoutThroughStoreApi(shop, { customer: { email: 'tester@example.jp' } });
      const txs = [(await shop.db.db.selectFrom('orders').where('id', '=', placed.orderId).select('payment_transaction_id').executeTakeFirstOrThrow()).payment_transaction_id!];
      const shopServices = shop.app.shop;
      for (let i = 0; i < 3; i++) {
        const tx = txs[txs.length - 1]!;
        await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', ...(() => { const n = gateway.notification(gateway.set(tx, 'declined')); return { headers: n.headers, payload: n.body }; })() });
        if (i < 2) {
          const { startPayment } = await import('../src/payments/start-payment.ts');
          const r = await startPayment(shopServices, placed.orderId, '127.0.0.1', log);
          expect(r.ok).toBe(true);
          txs.push((await shop.db.db.selectFrom('orders').where('id', '=', placed.orderId).select('payment_transaction_id').executeTakeFirstOrThrow()).payment_transaction_id!);
        }
      }
      const blocks = await shop.db.db.selectFrom('payment_blocks').select('block_key').execute();
      // The e-mail is blocked at this address only: a third party can type anyone's e-mail (see
      // src/payments/card-testing-guard.test.ts for the victim paying from elsewhere).
      expect(blocks.map((b) => b.block_key)).toEqual(expect.arrayContaining([`order:${placed.orderId}`, 'ip:127.0.0.1', 'email_ip:tester@example.jp|127.0.0.1']));
      expect(blocks.map((b) => b.block_key)).not.toContain('email:tester@example.jp');
      const { startPayment } = await import('../src/payments/start-payment.ts');
      expect(await startPayment(shopServices, placed.orderId, '127.0.0.1', log)).toEqual({ ok: false, error: 'PAYMENT_BLOCKED', detail: 'blocked' });
      expect(await shop.db.db.selectFrom('security_events').where('type', '=', 'payment.decline_block').selectAll().execute()).toHaveLength(1);
    });
  });
}
