// The back office in Japanese (issue 17, bugs 6 and 7): payment states, order states and timeline
// entries from the message catalogs, never raw codes or English; the payment-status filter a
// select of the states; the CSV export in the shop's time zone, with Japanese headers and file
// name date, and one row per line item on request. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutThroughStoreApi } from '../../test/support/store-api-checkout.ts';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

// 03:35 on 2 December in Tokyo is 18:35 UTC on the 1st: the case the merchant reported.
const PLACED_AT = Date.parse('2026-12-01T18:35:00.000Z');

for (const database of DATABASES) {
  describe(`admin orders in Japanese on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    // Real time for signing in (TOTP codes are of the real clock); the order is placed at PLACED_AT.
    let now = Date.now();
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, clock: () => new Date(now), velocityLimits: { perOrder: 100, perEmail: 1000, perIp: 1000, overall: 100_000 } });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    });
    afterAll(async () => { await shop?.dispose(); });

    async function paidOrder(customer: Partial<typeof GOOD_CUSTOMER> = {}) {
      now = PLACED_AT;
      const { orderId } = await checkoutThroughStoreApi(shop, { lines: [{ variantId: 1, quantity: 2 }, { variantId: 3, quantity: 1 }], customer });
      const order = await shop.db.db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirstOrThrow();
      const n = gateway.notification(gateway.set(order.payment_transaction_id!, 'captured'));
      await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
      now = Date.now();
      return shop.db.db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirstOrThrow();
    }
    async function owner(email: string) {
      const { account, secret } = await enrolledAccount(shop, email, 'owner');
      return signIn(shop, email, account.id, secret);
    }

    it('shows payment states, order states and the timeline in Japanese, and filters payment states with a select', async () => {
      const order = await paidOrder();
      const o = await owner('ja-owner@example.jp');
      await o.get(`/admin/orders/${order.id}`);
      expect((await o.post(`/admin/orders/${order.id}/refund`, { amount: '300', reason: '缶のへこみ' })).statusCode).toBe(303);
      await o.get(`/admin/orders/${order.id}`);
      expect((await o.post(`/admin/orders/${order.id}/fulfil`, { carrier: 'ヤマト運輸', trackingNumber: '1234-5678-9012' })).statusCode).toBe(303);

      const detail = await o.get(`/admin/orders/${order.id}`);
      expect(detail.body).toContain('<dd>一部返金済み</dd>');
      for (const raw of ['partially_refunded', 'captured', 'pending_payment', 'refunded 300 yen', 'shipped with', 'order placed']) expect(detail.body, raw).not.toContain(raw);
      expect(detail.body).toContain('注文を受け付け、在庫を確保しました');
      expect(detail.body).toContain('支払い待ち → 支払い済み');
      expect(detail.body).toContain('決済完了（決済通知');
      expect(detail.body).toContain('￥300を返金：缶のへこみ');
      expect(detail.body).toContain('ヤマト運輸で発送（追跡番号 1234-5678-9012）');

      const list = await o.get('/admin/orders');
      expect(list.body).toMatch(/<select id="f-payment" name="paymentStatus">/);
      expect(list.body).toContain('<option value="partially_refunded">一部返金済み</option>');
      expect(list.body).toContain('<td>一部返金済み</td>');
      expect(list.body).not.toMatch(/<td>partially_refunded<\/td>/);
      const filtered = await o.get('/admin/orders?paymentStatus=partially_refunded');
      expect(filtered.body).toContain(order.order_number);
      expect(filtered.body).toContain('<option value="partially_refunded" selected>一部返金済み</option>');
      expect((await o.get('/admin/orders?paymentStatus=captured')).body).not.toContain(order.order_number);
      // Not a state: ignored (all orders), not an error.
      expect((await o.get(`/admin/orders?paymentStatus=${encodeURIComponent('一部返金')}`)).body).toContain(order.order_number);

      const en = await o.get(`/admin/orders/${order.id}?lang=en`);
      expect(en.body).toContain('<dd>Partially refunded</dd>');
      expect(en.body).toContain('Refunded ￥300: 缶のへこみ');
    });

    it('exports CSV in the shop\'s time zone, with Japanese headers and file name, and one row per line item on request', async () => {
      const order = await paidOrder({ email: 'csv-ja@example.jp' });
      const o = await owner('csv-ja-owner@example.jp');
      now = PLACED_AT; // the file is named after the day of the export, in the shop's zone
      const csv = await o.get(`/admin/orders.csv?text=${order.order_number}`);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-disposition']).toContain('orders-2026-12-02.csv');
      const [head, row] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(head!.split(',').slice(0, 4)).toEqual(['"注文番号"', '"注文日時"', '"注文状態"', '"決済状態"']);
      expect(row).toContain('"2026-12-02 03:35:00"');
      expect(row).not.toContain('2026-12-01T18:35');
      expect(row).toContain('"支払い済み"');
      expect(row).toContain('"決済完了"');

      // The order list links to both exports, with its filter: the merchant needs no hand-made URL.
      const list = (await o.get(`/admin/orders?text=${order.order_number}&lang=ja`)).body;
      const href = /<a href="([^"]+)">明細ごとの CSV（1 行 1 商品）<\/a>/.exec(list)?.[1]?.replaceAll('&amp;', '&');
      expect(href).toBe(`/admin/orders.csv?text=${order.order_number}&lines=1`);
      const lines = await o.get(href!);
      expect(lines.headers['content-disposition']).toContain('order-lines-2026-12-02.csv');
      const rows = lines.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(rows[0]).toContain('"SKU","商品名","数量","単価","税率"');
      expect(rows).toHaveLength(3);
      const items = await shop.db.db.selectFrom('order_items').where('order_id', '=', order.id).selectAll().orderBy('id').execute();
      for (const [i, it] of items.entries()) {
        expect(rows[i + 1]).toContain(`"${order.order_number}"`);
        expect(rows[i + 1]).toContain(`"${it.sku}","${it.product_name_ja} ${it.variant_name_ja}","${it.quantity}","${it.unit_price}","${it.tax_rate}%"`);
      }

      const en = await o.get(`/admin/orders.csv?text=${order.order_number}&lang=en`);
      expect(en.body.replace(/^\uFEFF/, '').startsWith('"order_number","created_at"')).toBe(true);
      expect(en.body).toContain('"2026-12-02 03:35:00"');
    });

    it('keeps formula-like cells as text in the line-item export too', async () => {
      const order = await paidOrder({ name: '=HYPERLINK("http://evil")' });
      await shop.db.db.updateTable('order_items').set({ product_name_ja: '@SUM(A1)' }).where('order_id', '=', order.id).execute();
      const o = await owner('csv-formula@example.jp');
      expect((await o.get(`/admin/orders.csv?text=${order.order_number}`)).body).toContain(`"'=HYPERLINK(""http://evil"")"`);
      const lines = await o.get(`/admin/orders.csv?text=${order.order_number}&lines=1`);
      expect(lines.body).toContain(`"'@SUM(A1)`);
    });
  });
}
