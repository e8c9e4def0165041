// A third party cannot stop a customer paying: declines run up from the attacker's address with
// the victim's e-mail block the attacker's address (and that order, and the e-mail at that
// address), not the victim's e-mail everywhere. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { startPayment } from './start-payment.ts';

const log = pino({ level: 'silent' });
const ATTACKER = '203.0.113.66';
const VICTIM_HOME = '198.51.100.7';
const VICTIM = 'victim@example.jp';

for (const database of DATABASES) {
  describe(`card-testing blocks on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      // The shipped defaults: three declines block.
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    async function checkout(email: string, remoteAddress: string) {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', remoteAddress })).json();
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, remoteAddress, payload: { variantId: 1, quantity: 1 } });
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, remoteAddress, payload: { ...GOOD_CUSTOMER, email } });
      expect(r.statusCode).toBe(201);
      return r.json() as { orderId: string; paymentUrl: string | null };
    }
    const txOf = async (orderId: string) => (await shop.db.db.selectFrom('orders').where('id', '=', orderId).select('payment_transaction_id').executeTakeFirstOrThrow()).payment_transaction_id!;
    async function decline(orderId: string) {
      const n = gateway.notification(gateway.set(await txOf(orderId), 'declined'));
      expect((await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body })).statusCode).toBe(200);
    }

    it('three declines from one address with the victim’s e-mail block that address, and the victim still pays from another', async () => {
      const planted = await checkout(VICTIM, ATTACKER);
      expect(planted.paymentUrl).not.toBeNull();
      await decline(planted.orderId);
      for (let i = 0; i < 2; i++) {
        expect((await startPayment(shop.context, planted.orderId, ATTACKER, log)).ok).toBe(true);
        await decline(planted.orderId);
      }
      expect(await startPayment(shop.context, planted.orderId, ATTACKER, log)).toEqual({ ok: false, error: 'PAYMENT_BLOCKED', detail: 'blocked' });

      // The attacker's address is blocked, whatever e-mail it uses next…
      const again = await checkout('someone-else@example.jp', ATTACKER);
      expect(again.paymentUrl).toBeNull();
      expect(await startPayment(shop.context, again.orderId, ATTACKER, log)).toMatchObject({ ok: false, error: 'PAYMENT_BLOCKED' });

      // …while the victim, from home, is handed to the gateway as usual.
      const own = await checkout(VICTIM, VICTIM_HOME);
      expect(own.paymentUrl).not.toBeNull();
      const keys = (await shop.db.db.selectFrom('payment_blocks').select('block_key').execute()).map((b) => b.block_key);
      expect(keys).toEqual(expect.arrayContaining([`ip:${ATTACKER}`, `order:${planted.orderId}`, `email_ip:${VICTIM}|${ATTACKER}`]));
      expect(keys).not.toContain(`email:${VICTIM}`);
    });

    it('still blocks an e-mail everywhere once declines for it pile up across many addresses', async () => {
      const email = 'testing-run@example.jp';
      const limit = shop.context.velocityLimits.emailDeclinesBeforeBlock;
      for (let i = 0; i < limit; i++) {
        // A fresh address each time: no address reaches its own threshold.
        const o = await checkout(email, `192.0.2.${i + 1}`);
        expect(o.paymentUrl).not.toBeNull();
        await decline(o.orderId);
      }
      const next = await checkout(email, '192.0.2.250');
      expect(next.paymentUrl).toBeNull();
      const keys = (await shop.db.db.selectFrom('payment_blocks').select('block_key').execute()).map((b) => b.block_key);
      expect(keys).toContain(`email:${email}`);
    });
  });
}
