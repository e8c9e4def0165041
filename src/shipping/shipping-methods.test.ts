// Shipping methods on both databases: the seeded defaults and the fee table (region, prefecture
// override, size class, free-shipping threshold, tax at 10%), the Store API's delivery choice
// stored on the order (and refused with 422 when not offered), and the shipped mail's tracking
// link built from the method's template.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { cartWithLines } from '../../test/support/store-api-checkout.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { listShippingMethods } from './queries.ts';
import { saveShippingMethod } from './service.ts';
import { tableShippingFeeStrategy } from './default-shipping-fee-strategy.ts';
import { fulfilOrder } from '../orders/fulfil-order.ts';
import { silentLogger } from '../shop-context.ts';
import type { ShippingMethod } from './shipping-method.ts';

describeEachDatabase('shipping methods', (database) => {
  let shop: TestShop;
  let yamato: ShippingMethod;
  const sent: OutgoingMail[] = [];
  beforeAll(async () => {
    shop = await startTestShop(database);
    shop.context.mailer = { description: 'captured', send: async (mail) => { sent.push(mail); } };
    const methods = await listShippingMethods(shop.db.db);
    yamato = methods.find((m) => m.nameJa === 'ヤマト宅急便')!;
    // Okinawa costs more, Tokyo has its own fee, and a 100-size parcel is dearer.
    const fees = yamato.fees.filter((f) => f.area !== 'okinawa').concat(
      [{ sizeClass: 60, area: 'okinawa', fee: 2000 }, { sizeClass: 80, area: 'okinawa', fee: 2300 }, { sizeClass: 100, area: 'okinawa', fee: 2600 }, { sizeClass: 60, area: '東京都', fee: 700 }],
    );
    const r = await saveShippingMethod(shop.db.db, yamato.id, { ...yamato, fees, trackingUrlTemplate: 'https://track.example.jp/parcel?no={tracking}&src=mamori' }, { label: 'admin:1' }, new Date());
    expect(r.ok).toBe(true);
    yamato = (await listShippingMethods(shop.db.db)).find((m) => m.id === yamato.id)!;
  });
  afterAll(async () => { await shop?.dispose(); });

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) => shop.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('seeds ヤマト宅急便, ゆうパケット and 佐川急便 once, the first carrying the former flat rule', async () => {
    const methods = await listShippingMethods(shop.db.db);
    expect(methods.map((m) => [m.nameJa, m.enabled])).toEqual([['ヤマト宅急便', true], ['ゆうパケット', true], ['佐川急便', false]]);
    const sagawa = methods[2]!;
    expect(sagawa.fees.find((f) => f.sizeClass === 60 && f.area === 'kanto')?.fee).toBe(880);
    expect(methods[0]!.freeOver).toBe(shop.config.shipping.freeOver);
    expect(methods[0]!.timeSlots).toEqual(['am', '14-16', '16-18', '18-20', '19-21']);
  });

  it('reads the fee by prefecture override, then region, at the smallest size class that holds the parcel', () => {
    const fee = (prefecture: string | undefined, sizes: number[], itemsTotal = 1000) =>
      tableShippingFeeStrategy.feeFor({ method: yamato, prefecture, items: sizes.map((sizeClass) => ({ sizeClass, quantity: 1 })), itemsTotal });
    const flat = shop.config.shipping.flatFee;
    expect(fee('東京都', [60])).toEqual({ ok: true, fee: 700 });
    expect(fee('神奈川県', [60])).toEqual({ ok: true, fee: flat });
    expect(fee('沖縄県', [60])).toEqual({ ok: true, fee: 2000 });
    expect(fee('沖縄県', [60, 90])).toEqual({ ok: true, fee: 2600 });
    expect(fee('大阪府', [80])).toEqual({ ok: true, fee: flat + 300 });
    expect(fee('大阪府', [120])).toEqual({ ok: false, error: 'NOT_DELIVERABLE' });
    expect(fee('沖縄県', [60], shop.config.shipping.freeOver)).toEqual({ ok: true, fee: 0 });
    // Before the address is known: the lowest fee of the size.
    expect(fee(undefined, [60])).toEqual({ ok: true, fee: 700 });
  });

  it('stores the Store API delivery choice on the order, with the fee for the prefecture taxed at 10%', async () => {
    const cartId = await cartWithLines(shop, [{ variantId: 1, quantity: 1 }]);
    const methods = (await api('GET', `/api/store/shipping-methods?cartId=${cartId}&prefecture=${encodeURIComponent('沖縄県')}`)).json().methods;
    const offered = methods.find((m: { id: number }) => m.id === yamato.id);
    expect(offered.fee).toBe(2000);
    expect(offered.dates).toHaveLength(13);
    const customer = { ...GOOD_CUSTOMER, shippingAddress: { ...GOOD_CUSTOMER.shippingAddress, postalCode: '900-0001', prefecture: '沖縄県', city: '那覇市' } };
    const placed = await api('POST', `/api/store/carts/${cartId}/checkout`, { ...customer, delivery: { methodId: yamato.id, date: offered.dates[1], timeSlot: '14-16' } });
    expect(placed.statusCode).toBe(201);
    const { orderId, accessToken } = placed.json();
    const order = await shop.db.db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirstOrThrow();
    expect({ method: order.shipping_method_id, name: order.shipping_method_name_ja, date: order.delivery_date, slot: order.delivery_time_slot, fee: order.shipping_fee })
      .toEqual({ method: yamato.id, name: 'ヤマト宅急便', date: offered.dates[1], slot: '14-16', fee: 2000 });
    const ten = await shop.db.db.selectFrom('order_tax_lines').where('order_id', '=', orderId).where('tax_rate', '=', 10).select(['taxable_total', 'tax']).executeTakeFirstOrThrow();
    const items = await shop.db.db.selectFrom('order_items').where('order_id', '=', orderId).select(['tax_rate', 'line_total']).execute();
    const items10 = items.filter((i) => i.tax_rate === 10).reduce((s, i) => s + i.line_total, 0);
    expect(ten.taxable_total).toBe(items10 + 2000);
    expect(ten.tax).toBe(Math.floor(ten.taxable_total * 10 / 110));
    const view = (await api('GET', `/api/store/orders/${orderId}?token=${accessToken}`)).json();
    expect(view.delivery).toEqual({ methodId: yamato.id, method: 'ヤマト宅急便', date: offered.dates[1], timeSlot: '14-16', fee: 2000 });

    // The shipped mail links to the parcel through the method's template.
    await shop.db.db.updateTable('orders').set({ status: 'paid' }).where('id', '=', orderId).execute();
    sent.length = 0;
    expect(await fulfilOrder(shop.context, orderId, { carrier: 'ヤマト運輸', trackingNumber: '1234-5678-9012' }, { kind: 'admin', id: 1 }, silentLogger)).toEqual({ ok: true });
    const shipped = sent.find((m) => m.to === GOOD_CUSTOMER.email)!;
    expect(shipped.text).toContain('https://track.example.jp/parcel?no=123456789012&src=mamori');
    expect(shipped.html).toContain('<a href="https://track.example.jp/parcel?no=123456789012&amp;src=mamori">');
  });

  it('without `delivery` the default method is used, as before', async () => {
    const cartId = await cartWithLines(shop);
    const placed = await api('POST', `/api/store/carts/${cartId}/checkout`, GOOD_CUSTOMER);
    expect(placed.statusCode).toBe(201);
    const order = await shop.db.db.selectFrom('orders').where('id', '=', placed.json().orderId).selectAll().executeTakeFirstOrThrow();
    expect([order.shipping_method_id, order.shipping_fee, order.delivery_date, order.delivery_time_slot]).toEqual([yamato.id, 700, null, null]);
  });

  it('refuses a slot not offered, a date outside the window and a disabled method with 422 problem+json, and keeps the cart', async () => {
    const sagawa = (await listShippingMethods(shop.db.db)).find((m) => m.nameJa === '佐川急便')!;
    const cases: [Record<string, unknown>, string][] = [
      [{ methodId: yamato.id, timeSlot: '12-14' }, 'delivery.timeSlot'],
      [{ methodId: yamato.id, date: '2099-01-01' }, 'delivery.date'],
      [{ methodId: sagawa.id }, 'delivery.methodId'],
    ];
    for (const [delivery, field] of cases) {
      const cartId = await cartWithLines(shop);
      const r = await api('POST', `/api/store/carts/${cartId}/checkout`, { ...GOOD_CUSTOMER, delivery });
      expect(r.statusCode, field).toBe(422);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toEqual(expect.objectContaining({ code: 'MAMORI_ERR_DELIVERY_NOT_AVAILABLE', errors: [expect.objectContaining({ field })] }));
      expect((await api('GET', `/api/store/carts/${cartId}`)).json().items).toHaveLength(1);
    }
  });
});
