// Payment methods beside card, through the Store API and the order services, on both databases:
// absent means card; a method the shop has not switched on is a 422 with nothing reserved; bank
// transfer waits N days and is paid only for its exact total by the merchant; cash on delivery
// adds its fee into the 10% tax group, ships unpaid and is paid on collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { recordOfflinePayment } from '../orders/record-offline-payment.ts';
import { fulfilOrder } from '../orders/fulfil-order.ts';
import { silentLogger } from '../shop-context.ts';
import { DEFAULT_PAYMENT_SETTINGS, loadPaymentSettings, savePaymentSettings } from './payment-settings.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';

const ADMIN = { kind: 'admin' as const, id: 1, ip: '192.0.2.9' };

for (const database of DATABASES) {
  describe(`payment methods on ${database.name}`, () => {
    let shop: TestShop;
    let now = new Date('2026-03-02T01:00:00.000Z');
    const sent: OutgoingMail[] = [];
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: new ScriptedGateway(), reconcileAtStart: false, clock: () => now });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
      const mailer = shop.context.mailer;
      const send = mailer.send.bind(mailer);
      mailer.send = async (m) => { sent.push(m); await send(m); };
    });
    afterAll(async () => { await shop?.dispose(); });

    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      shop.app.inject({ method, url, remoteAddress: '127.0.0.1', ...(payload === undefined ? {} : { payload: payload as object }) });
    async function cartOf(variantId: number, quantity: number) {
      const cart = (await api('POST', '/api/store/carts')).json();
      expect((await api('POST', `/api/store/carts/${cart.id}/items`, { variantId, quantity })).statusCode).toBe(201);
      return cart.id as string;
    }
    const variant = (rate: 8 | 10) => shop.db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id')
      .where('p.tax_rate', '=', rate).where('p.status', '=', 'active').select(['v.id', 'v.price', 'v.stock']).orderBy('v.id').executeTakeFirstOrThrow();
    const settings = (over: Partial<typeof DEFAULT_PAYMENT_SETTINGS>) =>
      savePaymentSettings(shop.db.db, { ...DEFAULT_PAYMENT_SETTINGS, ...over }, { actor: 'admin:1', now, konbiniSupported: false });
    const order = (id: string) => shop.db.db.selectFrom('orders').where('id', '=', id).selectAll().executeTakeFirstOrThrow();

    it('takes card when no method is given, and refuses a method that is not switched on with 422, reserving nothing', async () => {
      const v = await variant(10);
      const card = await api('POST', `/api/store/carts/${await cartOf(v.id, 1)}/checkout`, GOOD_CUSTOMER);
      expect(card.statusCode).toBe(201);
      expect(card.json().paymentUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/pay\//);
      const stock = (await variant(10)).stock;
      for (const paymentMethod of ['bank_transfer', 'cod', 'konbini']) {
        const r = await api('POST', `/api/store/carts/${await cartOf(v.id, 1)}/checkout`, { ...GOOD_CUSTOMER, paymentMethod });
        expect(r.statusCode).toBe(422);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.json().code).toBe('MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE');
      }
      expect((await variant(10)).stock).toBe(stock);
      const unknown = await api('POST', `/api/store/carts/${await cartOf(v.id, 1)}/checkout`, { ...GOOD_CUSTOMER, paymentMethod: 'paypay' });
      expect(unknown.statusCode).toBe(400);
    });

    it('validates the settings: one method at least, ascending fee bands, no card number in the note, konbini only with a capable gateway', async () => {
      const codes = async (over: Partial<typeof DEFAULT_PAYMENT_SETTINGS>) => { const r = await settings(over); return r.ok ? [] : r.errors.map((e) => e.code); };
      expect(await codes({ enabled: [] })).toContain('noMethod');
      expect(await codes({ codFees: [{ upTo: 30_000, fee: 440 }, { upTo: 10_000, fee: 330 }] })).toContain('codOrder');
      expect(await codes({ bankTransferNote: 'カード 4242 4242 4242 4242 で' })).toContain('cardNumber');
      expect(await codes({ enabled: ['card', 'konbini'] })).toContain('konbiniUnsupported');
      expect(await codes({ bankTransferDays: 0 })).toContain('days');
      expect(await loadPaymentSettings(shop.db.db)).toEqual(DEFAULT_PAYMENT_SETTINGS);
      expect(await settings({ enabled: ['card', 'bank_transfer', 'cod'], bankTransferDays: 5, bankTransferNote: '振込手数料はお客様のご負担となります。' })).toEqual({ ok: true });
      const audit = await shop.db.db.withTables<{ audit_log: { action: string; actor: string; after_json: string | null } }>().selectFrom('audit_log').where('action', '=', 'settings.payments.updated').select(['actor', 'after_json']).execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.after_json!).bankTransferDays).toBe(5);
    });

    it('bank transfer: awaiting payment N days with the instructions in the answer and the mail; the merchant marks it paid for its exact total', async () => {
      const v = await variant(10);
      const r = await api('POST', `/api/store/carts/${await cartOf(v.id, 2)}/checkout`, { ...GOOD_CUSTOMER, email: 'bank@example.jp', paymentMethod: 'bank_transfer' });
      expect(r.statusCode).toBe(201);
      const body = r.json();
      expect(body.paymentUrl).toBeNull();
      expect(body.paymentMethod).toBe('bank_transfer');
      const deadline = new Date(now.getTime() + 5 * 24 * 3600_000).toISOString();
      expect(body.instructions).toMatchObject({ method: 'bank_transfer', amount: body.total, deadline, note: '振込手数料はお客様のご負担となります。' });
      const o = await order(body.orderId);
      expect(o).toMatchObject({ status: 'pending_payment', expires_at: deadline, payment_transaction_id: null });
      const mail = sent.find((m) => m.to === 'bank@example.jp')!;
      expect(mail.text).toContain('銀行振込');
      expect(mail.text).toContain('2026/03/07 10:00'); // the deadline in the shop's zone
      expect(containsCardNumber(mail.text)).toBe(false);
      // The order page offers no card payment for it; posting to pay is refused.
      const page = await api('GET', `/orders/${body.orderId}?token=${body.accessToken}`);
      expect(page.body).toContain('お支払いについて');
      expect(page.body).not.toContain(`action="/orders/${body.orderId}/pay"`);

      expect(await recordOfflinePayment(shop.context, body.orderId, o.total - 1, ADMIN, silentLogger)).toMatchObject({ ok: false, error: 'AMOUNT_MISMATCH' });
      expect((await order(body.orderId)).status).toBe('pending_payment');
      expect(await recordOfflinePayment(shop.context, body.orderId, o.total, ADMIN, silentLogger)).toEqual({ ok: true, outcome: 'paid' });
      expect(await recordOfflinePayment(shop.context, body.orderId, o.total, ADMIN, silentLogger)).toMatchObject({ ok: false, error: 'NOT_PAYABLE' });
      expect(await order(body.orderId)).toMatchObject({ status: 'paid', payment_provider: 'bank_transfer' });
      const audit = await shop.db.db.withTables<{ audit_log: { action: string; actor: string; target: string | null } }>().selectFrom('audit_log')
        .where('target', '=', `order:${body.orderId}`).where('action', '=', 'order.paid').select('actor').execute();
      expect(audit).toEqual([{ actor: 'admin:1' }]);
      // A card order cannot be marked paid by hand.
      const card = (await api('POST', `/api/store/carts/${await cartOf(v.id, 1)}/checkout`, GOOD_CUSTOMER)).json();
      expect(await recordOfflinePayment(shop.context, card.orderId, (await order(card.orderId)).total, ADMIN, silentLogger)).toMatchObject({ ok: false, error: 'NOT_OFFLINE_METHOD' });
    });

    it('bank transfer: unpaid after the deadline, the order expires through the expiry job and its stock comes back', async () => {
      const v = await variant(10);
      const before = (await variant(10)).stock;
      const body = (await api('POST', `/api/store/carts/${await cartOf(v.id, 3)}/checkout`, { ...GOOD_CUSTOMER, paymentMethod: 'bank_transfer' })).json();
      expect((await variant(10)).stock).toBe(before - 3);
      const placedAt = now;
      now = new Date(placedAt.getTime() + 4 * 24 * 3600_000);
      // The card orders of the tests above (short deadlines) go now; this one stays.
      expect(await expireUnpaidOrders(shop.db.db, now)).not.toContain(body.orderId);
      const held = (await variant(10)).stock;
      now = new Date(placedAt.getTime() + 5 * 24 * 3600_000 + 1000);
      expect(await expireUnpaidOrders(shop.db.db, now)).toEqual([body.orderId]);
      expect((await order(body.orderId)).status).toBe('expired');
      expect((await variant(10)).stock).toBe(held + 3);
      expect(before).toBeGreaterThan(0);
    });

    it('cash on delivery: the fee from the table joins the total and the 10% group (tax rounded once), ships unpaid, paid on collection', async () => {
      const food = await variant(8);
      const quantity = Math.ceil(12_000 / food.price);
      const body = (await api('POST', `/api/store/carts/${await cartOf(food.id, quantity)}/checkout`, { ...GOOD_CUSTOMER, paymentMethod: 'cod' })).json();
      const o = await order(body.orderId);
      const itemsAndShipping = o.items_total + o.shipping_fee;
      const fee = itemsAndShipping <= 30_000 ? 440 : 660;
      expect(o.total).toBe(itemsAndShipping + fee);
      expect(body.instructions).toEqual({ method: 'cod', amount: o.total, fee });
      const taxLines = await shop.db.db.selectFrom('order_tax_lines').where('order_id', '=', o.id).select(['tax_rate', 'taxable_total', 'tax']).orderBy('tax_rate', 'desc').execute();
      const standard = o.shipping_fee + fee;
      expect(taxLines).toEqual([
        { tax_rate: 10, taxable_total: standard, tax: Math.floor(standard * 10 / 110) },
        { tax_rate: 8, taxable_total: o.items_total, tax: Math.floor(o.items_total * 8 / 108) },
      ]);
      expect(taxLines.reduce((s, t) => s + t.taxable_total, 0)).toBe(o.total);
      expect(o.expires_at > '9000').toBe(true); // never expires unpaid
      const page = await api('GET', `/orders/${body.orderId}?token=${body.accessToken}`);
      expect(page.body).toContain('代引手数料');

      expect(await fulfilOrder(shop.context, o.id, { carrier: 'ヤマト運輸', trackingNumber: '1234-5678-9012' }, ADMIN, silentLogger)).toEqual({ ok: true });
      expect((await order(o.id)).paid_at).toBeNull();
      expect(await recordOfflinePayment(shop.context, o.id, o.total, ADMIN, silentLogger)).toEqual({ ok: true, outcome: 'collected' });
      expect(await order(o.id)).toMatchObject({ status: 'fulfilled', payment_status: 'captured' });
      expect(await recordOfflinePayment(shop.context, o.id, o.total, ADMIN, silentLogger)).toMatchObject({ ok: false, error: 'NOT_PAYABLE' });
    });

    it('cash on delivery above the last fee band is refused with 422 and nothing reserved', async () => {
      const v = await variant(10);
      await shop.db.db.updateTable('variants').set({ price: 40_000 }).where('id', '=', v.id).execute();
      const cart = await cartOf(v.id, 8); // 320,000 yen
      const before = (await variant(10)).stock;
      const r = await api('POST', `/api/store/carts/${cart}/checkout`, { ...GOOD_CUSTOMER, paymentMethod: 'cod' });
      expect(r.statusCode).toBe(422);
      expect(r.json().code).toBe('MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE');
      expect((await variant(10)).stock).toBe(before);
      await shop.db.db.updateTable('variants').set({ price: v.price }).where('id', '=', v.id).execute();
    });
  });
}
