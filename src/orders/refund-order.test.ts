// Refunds under concurrency and the staff refund limit, on every database: the refunded total
// is reserved under the order's row lock before the gateway is called, so two refunds racing
// can neither lose one another nor together exceed what was paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { refundOrder, settleStalePendingRefunds } from './refund-order.ts';
import type { OrderActor } from './order-actor.ts';
import { cancelOrder } from './cancel-order.ts';
import { fulfilOrder } from './fulfil-order.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

const log = pino({ level: 'silent' });
const SYSTEM: OrderActor = { kind: 'system', name: 'test' };

for (const database of DATABASES) {
  describe(`refunds on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, velocityLimits: { perOrder: 100, perEmail: 1000, perIp: 1000, overall: 100_000 } });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    /** A paid order of exactly ¥3,000. */
    async function paidOrder() {
      const db = shop.db.db;
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 1 } });
      const placed = (await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER })).json();
      const order = await db.selectFrom('orders').where('id', '=', placed.orderId).selectAll().executeTakeFirstOrThrow();
      const tx = order.payment_transaction_id!;
      await db.updateTable('orders').set({ total: 3000 }).where('id', '=', order.id).execute();
      gateway.set(tx, 'pending', { amount: 3000 });
      const n = gateway.notification(gateway.set(tx, 'captured'));
      await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
      expect((await db.selectFrom('orders').where('id', '=', order.id).select('status').executeTakeFirstOrThrow()).status).toBe('paid');
      return { id: order.id, tx };
    }
    const refundedTotal = async (id: string) => (await shop.db.db.selectFrom('orders').where('id', '=', id).select('refunded_total').executeTakeFirstOrThrow()).refunded_total;

    it('two simultaneous ¥1,000 refunds of a ¥3,000 order leave ¥2,000 refunded', async () => {
      const o = await paidOrder();
      const results = await Promise.all([
        refundOrder(shop.app.shop, o.id, 1000, 'first', SYSTEM, log),
        refundOrder(shop.app.shop, o.id, 1000, 'second', SYSTEM, log),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(await refundedTotal(o.id)).toBe(2000);
      expect(gateway.payments.get(o.tx)!.refundedAmount).toBe(2000);
    });

    it('simultaneous refunds can never exceed what was paid, even when every gateway call would succeed', async () => {
      const o = await paidOrder();
      const results = await Promise.all(Array.from({ length: 4 }, (_, i) => refundOrder(shop.app.shop, o.id, 1000, `r${i}`, SYSTEM, log)));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(['AMOUNT_TOO_LARGE']);
      expect(await refundedTotal(o.id)).toBe(3000);
      // The refused one never reached the gateway.
      expect(gateway.payments.get(o.tx)!.refundedAmount).toBe(3000);
    });
    const auditFor = (orderId: string) => shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string | null; target: string | null; ip: string | null } }>()
      .selectFrom('audit_log').where('target', '=', `order:${orderId}`).where('action', 'like', 'order.%').select(['action', 'actor', 'ip']).orderBy('id').execute();

    it('gives the reservation back when the gateway refuses the refund, and audits the failure', async () => {
      const o = await paidOrder();
      const real = gateway.refundPayment.bind(gateway);
      gateway.refundPayment = async () => ({ ok: false, error: 'GATEWAY_REJECTED', detail: 'insufficient balance' });
      try {
        expect(await refundOrder(shop.app.shop, o.id, 1000, 'refused', SYSTEM, log)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
      } finally {
        gateway.refundPayment = real;
      }
      expect(await refundedTotal(o.id)).toBe(0);
      const rows = await shop.db.db.selectFrom('refunds').where('order_id', '=', o.id).select(['amount', 'status']).execute();
      expect(rows).toEqual([{ amount: 1000, status: 'failed' }]);
      expect(await refundOrder(shop.app.shop, o.id, undefined, 'all', SYSTEM, log)).toEqual({ ok: true, refundedTotal: 3000 });
    });

    it('settles refunds a crash left pending from the gateway’s refunded amount', async () => {
      const o = await paidOrder();
      const db = shop.db.db;
      const longAgo = new Date(Date.now() - 20 * 60_000).toISOString();
      // The shop stopped after reserving two refunds; the gateway made only the first.
      await db.insertInto('refunds').values([
        { order_id: o.id, amount: 1000, reason: 'made', status: 'pending', actor: 'system:test', created_at: longAgo },
        { order_id: o.id, amount: 500, reason: 'never made', status: 'pending', actor: 'system:test', created_at: longAgo },
      ]).execute();
      await db.updateTable('orders').set({ refunded_total: 1500 }).where('id', '=', o.id).execute();
      await gateway.refundPayment(o.tx, 1000);
      expect(await settleStalePendingRefunds(shop.context, log)).toBe(2);
      expect(await refundedTotal(o.id)).toBe(1000);
      expect(await db.selectFrom('refunds').where('order_id', '=', o.id).select(['reason', 'status']).orderBy('id').execute())
        .toEqual([{ reason: 'made', status: 'completed' }, { reason: 'never made', status: 'failed' }]);
      expect(await settleStalePendingRefunds(shop.context, log)).toBe(0);
    });

    it('applies a staff member’s limit to the total they refund on one order, under the lock, and says what is left', async () => {
      const { account: clerk, secret } = await enrolledAccount(shop, 'limited@example.jp', 'staff', { refund_limit: 1000 });
      const { account: other } = await enrolledAccount(shop, 'other-clerk@example.jp', 'staff', { refund_limit: 1000 });
      const o = await paidOrder();
      const b = await signIn(shop, 'limited@example.jp', clerk.id, secret);
      const left = async () => /([¥￥][\d,]+) is left for you on this order/.exec((await b.get(`/admin/orders/${o.id}?lang=en`)).body)?.[1]?.slice(1);
      expect(await left()).toBe('1,000');
      expect((await b.post(`/admin/orders/${o.id}/refund`, { amount: '1000', reason: 'first' })).statusCode).toBe(303);
      const second = await b.post(`/admin/orders/${o.id}/refund`, { amount: '879', reason: 'second' });
      expect(second.statusCode).toBe(403);
      expect(await refundedTotal(o.id)).toBe(1000);
      expect(await left()).toBe('0');
      // A cancel would refund the rest: it counts as a refund.
      expect((await b.post(`/admin/orders/${o.id}/cancel`, { reason: 'customer asked' })).statusCode).toBe(403);
      // The limit is per member: another clerk has their own.
      expect(await refundOrder(shop.app.shop, o.id, 500, 'other', { kind: 'admin', id: other.id, ip: '127.0.0.1' }, log)).toEqual({ ok: true, refundedTotal: 1500 });
      const audit = await auditFor(o.id);
      expect(audit).toEqual(expect.arrayContaining([
        { action: 'order.refunded', actor: `admin:${clerk.id}`, ip: '127.0.0.1' },
        { action: 'order.refund_refused', actor: `admin:${clerk.id}`, ip: '127.0.0.1' },
        { action: 'order.refunded', actor: `admin:${other.id}`, ip: '127.0.0.1' },
      ]));
    });

    it('lets two simultaneous staff refunds within the limit one at a time only', async () => {
      const { account: clerk } = await enrolledAccount(shop, 'racer@example.jp', 'staff', { refund_limit: 1000 });
      const o = await paidOrder();
      const actor: OrderActor = { kind: 'admin', id: clerk.id, ip: '127.0.0.1' };
      const results = await Promise.all([refundOrder(shop.app.shop, o.id, 600, 'a', actor, log), refundOrder(shop.app.shop, o.id, 600, 'b', actor, log)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(['OVER_LIMIT']);
      expect(await refundedTotal(o.id)).toBe(600);
    });

    it('audits refund, fulfilment and cancellation whoever calls them, in the same transaction as the change', async () => {
      const o = await paidOrder();
      expect((await refundOrder(shop.app.shop, o.id, 100, 'goodwill', SYSTEM, log)).ok).toBe(true);
      expect(await fulfilOrder(shop.app.shop, o.id, { carrier: 'Yamato', trackingNumber: '1234' }, { kind: 'system', name: 'test' }, log)).toEqual({ ok: true });
      const o2 = await paidOrder();
      expect(await cancelOrder(shop.app.shop, o2.id, 'out of stock', { kind: 'customer', ip: '198.51.100.1' }, log)).toEqual({ ok: true });
      expect(await auditFor(o.id)).toEqual(expect.arrayContaining([
        { action: 'order.paid', actor: 'system:payments', ip: null },
        { action: 'order.refunded', actor: 'system:test', ip: null },
        { action: 'order.fulfilled', actor: 'system:test', ip: null },
      ]));
      expect(await auditFor(o2.id)).toEqual(expect.arrayContaining([
        { action: 'order.refunded', actor: 'customer', ip: '198.51.100.1' },
        { action: 'order.cancelled', actor: 'customer', ip: '198.51.100.1' },
      ]));
      // A change whose audit entry cannot be written (an actor over the log's length limit) is not made: both or neither.
      const o3 = await paidOrder();
      await expect(fulfilOrder(shop.app.shop, o3.id, { carrier: 'Yamato', trackingNumber: '1' }, { kind: 'system', name: 'x'.repeat(300) }, log)).rejects.toThrow();
      expect((await shop.db.db.selectFrom('orders').where('id', '=', o3.id).select('status').executeTakeFirstOrThrow()).status).toBe('paid');
    });
  });
}
