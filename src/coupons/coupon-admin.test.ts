// /admin/coupons through the back office as a browser without JavaScript: create (valid → listed
// and audited; invalid → 400 with field messages, nothing stored), disable (audited, then refused
// at checkout as unknown), and the auditor reads but may not change. Both databases.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { evaluateCoupon, type CouponRow } from './coupon-service.ts';
import { formatYen } from '../i18n/locale.ts';

const VALID = {
  code: 'summer-10', kind: 'percent', amount: '10', minimumSubtotal: '3000',
  validFrom: '2026-07-01T00:00', validUntil: '2026-09-01T00:00', usageLimit: '100', perCustomerLimit: '1',
};

for (const database of DATABASES) {
  describe(`admin coupons on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { env: { SHOP_TIME_ZONE: 'Asia/Tokyo' } }); });
    afterAll(async () => { await shop?.dispose(); });

    const coupons = async () => await (shop.db.db as Kysely<any>).selectFrom('coupons').selectAll().orderBy('id').execute() as CouponRow[];
    const auditOf = (actor: string) => shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string | null; target: string | null; after_json: string | null } }>()
      .selectFrom('audit_log').where('actor', '=', actor).select(['action', 'target']).orderBy('id').execute();

    it('staff create a coupon (shop time zone), see it listed, and the creation is audited', async () => {
      const { account, secret } = await enrolledAccount(shop, 'staff-c@example.jp', 'staff');
      const b = await signIn(shop, 'staff-c@example.jp', account.id, secret);
      const empty = await b.get('/admin/coupons');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('href="/admin/coupons"');

      const created = await b.post('/admin/coupons', VALID);
      expect(created.statusCode).toBe(303);
      expect(created.headers.location).toBe('/admin/coupons?done=created');
      const [row] = await coupons();
      expect(row).toMatchObject({ code: 'SUMMER-10', kind: 'percent', amount: 10, minimum_subtotal: 3000, usage_limit: 100, per_customer_limit: 1, used_count: 0 });
      // 00:00 in Tokyo is 15:00 UTC the day before.
      expect(row!.valid_from).toBe('2026-06-30T15:00:00.000Z');
      expect(row!.valid_until).toBe('2026-08-31T15:00:00.000Z');

      const list = await b.get('/admin/coupons?lang=en');
      expect(list.body).toContain('<code>SUMMER-10</code>');
      expect(list.body).toContain('10% off');
      expect(list.body).toContain(formatYen(3000));
      expect(list.body).toContain('from 2026-07-01 00:00 until 2026-09-01 00:00');
      expect(list.body).toContain('0 / 100');
      expect(list.body).toContain('(1 per customer)');
      expect(await auditOf(`admin:${account.id}`)).toContainEqual({ action: 'coupon.created', target: `coupon:${row!.id}` });

      // The same code again (any case, full width) is refused on the code field.
      const again = await b.post('/admin/coupons', { ...VALID, code: 'ＳＵＭＭＥＲ-10' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('This code is already used.');
      expect(await coupons()).toHaveLength(1);
    });

    it('bad input re-renders with a message on each bad field and stores nothing', async () => {
      const { account, secret } = await enrolledAccount(shop, 'owner-c@example.jp', 'owner');
      const b = await signIn(shop, 'owner-c@example.jp', account.id, secret);
      await b.get('/admin/coupons');
      const before = (await coupons()).length;
      const bad = await b.post('/admin/coupons', { ...VALID, code: 'NEW1', amount: '150', minimumSubtotal: '-1', validUntil: '2026-06-01T00:00', usageLimit: '0', perCustomerLimit: 'x' });
      expect(bad.statusCode).toBe(400);
      for (const f of ['amount', 'minimumSubtotal', 'validUntil', 'usageLimit', 'perCustomerLimit']) {
        expect(bad.body).toContain(`id="coupon-${f}-error"`);
        expect(bad.body).toMatch(new RegExp(`id="coupon-${f}"[^>]*aria-invalid="true"`));
      }
      expect(bad.body).not.toContain('id="coupon-code-error"');
      expect(bad.body).toContain('割引額は1円以上、割引率は1〜100％の整数で入力してください。');
      expect(bad.body).toContain('終了日時は開始日時より後にしてください。');
      // What was typed comes back.
      expect(bad.body).toContain('value="NEW1"');
      const tooShort = await b.post('/admin/coupons', { ...VALID, code: 'ab' });
      expect(tooShort.statusCode).toBe(400);
      expect(tooShort.body).toContain('id="coupon-code-error"');
      // A card number typed as a code is refused and not echoed.
      const card = await b.post('/admin/coupons', { ...VALID, code: '4111111111111111' });
      expect(card.statusCode).toBe(400);
      expect(card.body).toContain('カード番号は入力できません。');
      expect(card.body).not.toContain('4111111111111111');
      expect(await coupons()).toHaveLength(before);
      expect((await auditOf(`admin:${account.id}`)).filter((e) => e.action.startsWith('coupon.'))).toEqual([]);
    });

    it('disabling stops the code at checkout and is audited; a second disable is refused', async () => {
      const { account, secret } = await enrolledAccount(shop, 'staff-d@example.jp', 'staff');
      const b = await signIn(shop, 'staff-d@example.jp', account.id, secret);
      await b.get('/admin/coupons');
      expect((await b.post('/admin/coupons', { code: 'WELCOME500', kind: 'fixed', amount: '500', minimumSubtotal: '', validFrom: '', validUntil: '', usageLimit: '', perCustomerLimit: '' })).statusCode).toBe(303);
      const row = (await coupons()).find((c) => c.code === 'WELCOME500')!;
      expect(row).toMatchObject({ valid_from: null, valid_until: null, usage_limit: null, per_customer_limit: null, minimum_subtotal: 0 });
      expect((await evaluateCoupon(shop.db.db, shop.clock, 'welcome500', 1000, 'email:a@example.jp')).ok).toBe(true);

      const page = await b.get('/admin/coupons?lang=en');
      expect(page.body).toContain(`action="/admin/coupons/${row.id}/disable"`);
      const disabled = await b.post(`/admin/coupons/${row.id}/disable`, {});
      expect(disabled.statusCode).toBe(303);
      expect(Number((await coupons()).find((c) => c.id === row.id)!.active)).toBe(0);
      expect(await evaluateCoupon(shop.db.db, shop.clock, 'welcome500', 1000, 'email:a@example.jp')).toEqual({ ok: false, error: 'UNKNOWN' });
      expect(await auditOf(`admin:${account.id}`)).toContainEqual({ action: 'coupon.disabled', target: `coupon:${row.id}` });
      const after = await b.get('/admin/coupons?lang=en');
      expect(after.body).not.toContain(`action="/admin/coupons/${row.id}/disable"`);
      expect(after.body).toMatch(/<code>WELCOME500<\/code>[\s\S]*?data-state="disabled">Disabled</);

      expect((await b.post(`/admin/coupons/${row.id}/disable`, {})).statusCode).toBe(409);
      expect((await b.post('/admin/coupons/999999/disable', {})).statusCode).toBe(404);
      expect((await auditOf(`admin:${account.id}`)).filter((e) => e.action === 'coupon.disabled')).toHaveLength(1);
    });

    it('the auditor sees the list without forms and gets 403 on create and disable', async () => {
      const { account, secret } = await enrolledAccount(shop, 'auditor-c@example.jp', 'auditor');
      const b = await signIn(shop, 'auditor-c@example.jp', account.id, secret);
      const page = await b.get('/admin/coupons');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<code>SUMMER-10</code>');
      expect(page.body).not.toContain('action="/admin/coupons"');
      expect(page.body).not.toContain('/disable"');
      const before = await coupons();
      expect((await b.post('/admin/coupons', { ...VALID, code: 'AUDIT1' })).statusCode).toBe(403);
      expect((await b.post(`/admin/coupons/${before[0]!.id}/disable`, {})).statusCode).toBe(403);
      expect(await coupons()).toEqual(before);
      expect((await auditOf(`admin:${account.id}`)).filter((e) => e.action.startsWith('coupon.'))).toEqual([]);
    });
  });
}
