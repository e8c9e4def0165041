// Orders in the back office against a scripted gateway: filters, detail timeline, fulfil,
// refunds within the staff limit, cancel, and the CSV export's columns per role. Both databases.
import { checkoutThroughStoreApi } from '../../test/support/store-api-checkout.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';


for (const database of DATABASES) {
  describe(`admin orders on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, velocityLimits: { perOrder: 100, perEmail: 1000, perIp: 1000, overall: 100_000 } });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    async function paidOrder(customer: Partial<typeof GOOD_CUSTOMER> = {}) {
      const { orderId } = await checkoutThroughStoreApi(shop, { lines: [{ variantId: 1, quantity: 2 }], customer });
      const order = await shop.db.db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirstOrThrow();
      const n = gateway.notification(gateway.set(order.payment_transaction_id!, 'captured'));
      await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
      return shop.db.db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirstOrThrow();
    }

    it('lists with filters, refunds within the staff limit only, fulfils and cancels, all on the timeline and audited', async () => {
      const order = await paidOrder();
      expect(order.status).toBe('paid');
      const { account: staff, secret } = await enrolledAccount(shop, 'clerk@example.jp', 'staff', { refund_limit: 500 });
      const b = await signIn(shop, 'clerk@example.jp', staff.id, secret);

      const list = await b.get(`/admin/orders?status=paid&text=${order.order_number.toLowerCase()}`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(order.order_number);
      expect((await b.get('/admin/orders?status=cancelled')).body).not.toContain(order.order_number);
      expect((await b.get('/admin/orders?from=2000-01-01&to=2000-01-02')).body).not.toContain(order.order_number);

      const detail = await b.get(`/admin/orders/${order.id}`);
      expect(detail.body).toContain('支払い待ち → 支払い済み');
      expect((await b.post(`/admin/orders/${order.id}/refund`, { amount: '501', reason: 'goodwill' })).statusCode).toBe(403);
      expect((await b.post(`/admin/orders/${order.id}/refund`, { amount: '', reason: 'everything' })).statusCode).toBe(403); // the full rest is over the limit
      expect((await b.post(`/admin/orders/${order.id}/refund`, { amount: '300', reason: 'dented tin' })).headers.location).toBe(`/admin/orders/${order.id}?done=refunded`);
      expect(gateway.payments.get(order.payment_transaction_id!)!.refundedAmount).toBe(300);
      await b.get(`/admin/orders/${order.id}`);
      expect((await b.post(`/admin/orders/${order.id}/cancel`, { reason: 'customer asked' })).statusCode).toBe(403); // would refund the rest
      expect((await b.post(`/admin/orders/${order.id}/fulfil`, { carrier: 'Yamato', trackingNumber: '1234-5678-9012' })).statusCode).toBe(303);
      const after = await b.get(`/admin/orders/${order.id}`);
      expect(after.body).toContain('Yamatoで発送（追跡番号 1234-5678-9012）');
      expect(after.body).toContain('￥300を返金：dented tin');
      expect((await b.post(`/admin/orders/${order.id}/fulfil`, { carrier: 'Yamato', trackingNumber: '1' })).statusCode).toBe(409);

      const { account: owner, secret: ownerSecret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
      const o = await signIn(shop, 'owner@example.jp', owner.id, ownerSecret);
      const second = await paidOrder();
      await o.get(`/admin/orders/${second.id}`);
      expect((await o.post(`/admin/orders/${second.id}/cancel`, { reason: 'out of stock' })).statusCode).toBe(303);
      const cancelled = await shop.db.db.selectFrom('orders').where('id', '=', second.id).select(['status', 'refunded_total', 'total']).executeTakeFirstOrThrow();
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.refunded_total).toBe(cancelled.total);

      const log = await shop.db.db.withTables<{ audit_log: { id: number; action: string; target: string | null } }>()
        .selectFrom('audit_log').where('action', 'like', 'order.%').select(['action', 'target']).orderBy('id').execute();
      expect(log).toEqual(expect.arrayContaining([
        { action: 'order.refund_refused', target: `order:${order.id}` },
        { action: 'order.refunded', target: `order:${order.id}` },
        { action: 'order.fulfilled', target: `order:${order.id}` },
        { action: 'order.cancelled', target: `order:${second.id}` },
      ]));
    });

    it('exports CSV with personal data for owner and staff only, and keeps formula-like cells as text', async () => {
      const order = await paidOrder({ name: '=HYPERLINK("http://evil")', email: 'csv@example.jp' });
      const { account: owner, secret } = await enrolledAccount(shop, 'csv-owner@example.jp', 'owner');
      const o = await signIn(shop, 'csv-owner@example.jp', owner.id, secret);
      const full = await o.get(`/admin/orders.csv?text=${order.order_number}`);
      expect(full.statusCode).toBe(200);
      expect(full.headers['content-type']).toMatch(/^text\/csv/);
      expect(full.body.startsWith('\uFEFF"注文番号"')).toBe(true);
      expect(full.body).toContain('"csv@example.jp"');
      expect(full.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(full.body.trim().split('\r\n')).toHaveLength(2);

      const { account: auditor, secret: aSecret } = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
      const a = await signIn(shop, 'auditor@example.jp', auditor.id, aSecret);
      const redacted = await a.get(`/admin/orders.csv?text=${order.order_number}`);
      expect(redacted.statusCode).toBe(200);
      expect(redacted.body).toContain(order.order_number);
      expect(redacted.body).not.toContain('csv@example.jp');
      expect(redacted.body).not.toContain('HYPERLINK');
      expect(redacted.body).not.toContain('"メール"');
      expect((await a.get(`/admin/orders/${order.id}`)).statusCode).toBe(403);
      // Filtering by e-mail would reveal whether a customer ordered: the auditor's text filter matches order numbers only.
      expect((await a.get('/admin/orders.csv?text=csv%40example.jp')).body.trim().split('\r\n')).toHaveLength(1);
      expect((await o.get('/admin/orders.csv?text=csv%40example.jp')).body.trim().split('\r\n')).toHaveLength(2);
    });
  });
}
