// The HTML checkout's delivery section without JavaScript, on both databases: "再計算" re-renders
// with the fee for the prefecture and places nothing; a date outside the window is a field error;
// a valid choice is stored on the order and shown on its page.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { formatYen } from '../i18n/locale.ts';
import { listShippingMethods } from './queries.ts';
import { saveShippingMethod } from './service.ts';

describeEachDatabase('HTML checkout delivery choice', (database) => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database);
    const yamato = (await listShippingMethods(shop.db.db))[0]!;
    await saveShippingMethod(shop.db.db, yamato.id, { ...yamato, fees: yamato.fees.map((f) => (f.area === 'okinawa' ? { ...f, fee: 2000 } : f)) }, { label: 'admin:1' }, new Date());
  });
  afterAll(async () => { await shop?.dispose(); });

  it('recalculates, refuses a date outside the window, and stores method, date and slot', async () => {
    const jar = new Map<string, string>();
    const remember = (r: LightMyRequestResponse) => { for (const c of r.cookies) jar.set(c.name, c.value); return r; };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const get = async (url: string) => remember(await shop.app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
    const post = async (url: string, form: Record<string, string>) => remember(await shop.app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }));

    const product = await get('/products/uji-matcha-latte?lang=ja');
    const variantId = /name="variantId" value="(\d+)"/.exec(product.body)![1]!;
    await post('/cart/items', { variantId, quantity: '1', _csrf: csrfTokenOf(product.body) });
    const checkout = await get('/checkout');
    const methodId = /name="deliveryMethod" value="(\d+)"[^>]*checked/.exec(checkout.body)![1]!;
    const details = { email: 'jiro@example.jp', name: '山田 次郎', phone: '098-123-4567', country: 'JP', postalCode: '900-0001', prefecture: '沖縄県', city: '那覇市', line1: '泉崎1-1', line2: '', lang: 'ja', deliveryMethod: methodId };

    const recalculated = await post('/checkout', { ...details, recalculate: '1', _csrf: csrfTokenOf(checkout.body) });
    expect(recalculated.statusCode).toBe(200);
    expect(recalculated.body).toContain(`送料 ${formatYen(2000)}`);
    expect(recalculated.body).toContain('value="那覇市"');
    expect(await shop.db.db.selectFrom('orders').where('email', '=', 'jiro@example.jp').select('id').execute()).toEqual([]);
    const dates = [...recalculated.body.matchAll(/<option value="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]!);
    expect(dates.length).toBe(13);

    const outside = await post('/checkout', { ...details, deliveryDate: '2099-01-01', deliveryTimeSlot: '14-16', deliveryQuotedFee: '2000', _csrf: csrfTokenOf(recalculated.body) });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('id="deliveryDate-error"');
    // The error summary at the top links to the refused date too.
    const summary = outside.body.slice(outside.body.indexOf('class="error-summary"'), outside.body.indexOf('</ul>', outside.body.indexOf('class="error-summary"')));
    expect([...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])).toEqual(['deliveryDate']);

    const placed = await post('/checkout', { ...details, deliveryDate: dates[3]!, deliveryTimeSlot: '19-21', deliveryQuotedFee: '2000', _csrf: csrfTokenOf(outside.body) });
    expect(placed.statusCode).toBe(303);
    const order = await shop.db.db.selectFrom('orders').where('email', '=', 'jiro@example.jp').select(['shipping_fee', 'shipping_method_name_ja', 'delivery_date', 'delivery_time_slot']).executeTakeFirstOrThrow();
    expect(order).toEqual({ shipping_fee: 2000, shipping_method_name_ja: 'ヤマト宅急便', delivery_date: dates[3], delivery_time_slot: '19-21' });
    const page = await get(String(placed.headers.location));
    expect(page.body).toContain('19〜21時');
    expect(page.body).toContain('ヤマト宅急便');
  });
});
