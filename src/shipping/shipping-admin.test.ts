// /admin/settings/shipping on both databases: the owner edits a method (fee grid, per-prefecture
// override, tracking template, slots) and the save is audited; bad input re-renders the form with
// field messages and saves nothing; staff may not open it.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { listShippingMethods } from './queries.ts';
import { methodFormValues } from './shipping-method-form.ts';

describeEachDatabase('shipping settings page', (database) => {
  let shop: TestShop;
  beforeAll(async () => { shop = await startTestShop(database); });
  afterAll(async () => { await shop?.dispose(); });

  it('lets the owner edit a method, audited; refuses bad input field by field; staff get 403', async () => {
    const owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const o = await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret);
    const list = await o.get('/admin/settings/shipping');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('ヤマト宅急便');
    const yamato = (await listShippingMethods(shop.db.db))[0]!;
    const form = await o.get(`/admin/settings/shipping/${yamato.id}`);
    expect(form.body).toContain('name="fee_okinawa_60"');

    const values = { ...methodFormValues(yamato), fee_okinawa_60: '2000', overrides: '東京都 60 700', trackingUrlTemplate: 'http://track.example.jp/{tracking}', timeSlots: 'am, 25-26' };
    const bad = await o.post(`/admin/settings/shipping/${yamato.id}`, values);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="trackingUrlTemplate-error"');
    expect(bad.body).toContain('id="timeSlots-error"');
    expect(bad.body).toContain('value="2000"');
    expect((await listShippingMethods(shop.db.db))[0]).toEqual(yamato);

    const good = await o.post(`/admin/settings/shipping/${yamato.id}`, { ...values, trackingUrlTemplate: 'https://track.example.jp/{tracking}', timeSlots: 'am, 14-16' });
    expect(good.statusCode).toBe(303);
    const saved = (await listShippingMethods(shop.db.db))[0]!;
    expect(saved.fees).toContainEqual({ sizeClass: 60, area: 'okinawa', fee: 2000 });
    expect(saved.fees).toContainEqual({ sizeClass: 60, area: '東京都', fee: 700 });
    expect(saved.trackingUrlTemplate).toBe('https://track.example.jp/{tracking}');
    expect(saved.timeSlots).toEqual(['am', '14-16']);
    const audit = await (shop.db.db as Kysely<any>).selectFrom('audit_log').where('action', '=', 'shipping_method.updated').select(['actor', 'target']).execute();
    expect(audit).toEqual([{ actor: `admin:${owner.account.id}`, target: `shipping_method:${yamato.id}` }]);

    const created = await o.post('/admin/settings/shipping', { ...methodFormValues(undefined), nameJa: '店頭受取', nameEn: 'Store pickup', carrier: '店頭', sizeClasses: '100', ...Object.fromEntries(['hokkaido', 'tohoku', 'kanto', 'shinetsu', 'hokuriku', 'tokai', 'kinki', 'chugoku', 'shikoku', 'kyushu', 'okinawa'].map((r) => [`fee_${r}_100`, '0'])) });
    expect(created.statusCode).toBe(303);
    expect((await listShippingMethods(shop.db.db)).map((m) => m.nameJa)).toContain('店頭受取');

    const staff = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    const s = await signIn(shop, 'staff@example.jp', staff.account.id, staff.secret);
    expect((await s.get('/admin/settings/shipping')).statusCode).toBe(403);
  });
});
