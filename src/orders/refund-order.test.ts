// Refunds under concurrency and the staff refund limit, on every database: the refunded total
// is reserved under the order's row lock before the gateway is called, so two refunds racing
// can neither lose one another nor together exceed what was paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { refundOrder } from './refund-order.ts';
import type { OrderActor } from './order-actor.ts';

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
  });
}
