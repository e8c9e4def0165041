// 納品書 in bulk from the admin order list: two ticked orders make one PDF of two pages, each with
// its ship-to address and, by default, the qualified-invoice table (items, total, per-rate totals and
// tax), or, with the gift box ticked, no amount at all; none ticked re-renders the list (400); the auditor is refused
// (403); the print is audited naming the orders. And 姓・名・フリガナ on the order page and in the CSV.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { recordingProvider } from '../../test/support/recording-gateway.ts';
import { checkoutThroughStoreApi } from '../../test/support/store-api-checkout.ts';
import { csrfOf, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
const pdfPages = (pdf: Buffer) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', ['-'], { input: pdf }).toString('utf8'))?.[1]);

const NAMES = { familyName: '山田', givenName: '花子', familyNameKana: 'ヤマダ', givenNameKana: 'ハナコ' };
const ADDRESSES = [
  { country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' },
  { country: 'JP', postalCode: '530-0001', prefecture: '大阪府', city: '大阪市北区', line1: '梅田3-3-3', line2: '梅田ビル5階' },
];

for (const database of DATABASES) {
  describe(`delivery slips on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: recordingProvider().provider, reconcileAtStart: false });
    });
    afterAll(async () => { await shop?.dispose(); });

    /** A signed-in admin who can post repeated form fields (the ticked checkboxes). */
    async function admin(email: string, role: 'owner' | 'staff' | 'auditor') {
      const { account, secret } = await enrolledAccount(shop, email, role);
      const b = await signIn(shop, email, account.id, secret);
      const cookie = () => [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      return {
        b,
        async postSlips(ids: string[], csrf: string, extra: [string, string][] = []) {
          const body = new URLSearchParams([['_csrf', csrf], ...ids.map((id) => ['orderId', id] as [string, string]), ...extra]);
          return shop.app.inject({ method: 'POST', url: '/admin/orders/delivery-slips', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
        },
      };
    }

    it('prints one page per ticked order with its address, priced as a qualified invoice or, for gifts, without amounts, audited; none ticked is a 400 page', async () => {
      const placed = [];
      for (const shippingAddress of ADDRESSES) placed.push(await checkoutThroughStoreApi(shop, { customer: { ...NAMES, shippingAddress } }));
      const staff = await admin('slips-staff@example.jp', 'staff');
      const list = await staff.b.get('/admin/orders');
      expect(list.statusCode).toBe(200);
      for (const p of placed) expect(list.body).toContain(`name="orderId" value="${p.orderId}"`);
      expect(list.body).toContain('action="/admin/orders/delivery-slips"');
      expect(list.body).toContain('name="withoutPrices"');

      const orders = await shop.db.db.selectFrom('orders').where('id', 'in', placed.map((p) => p.orderId)).select(['id', 'total']).execute();
      const priced = await staff.postSlips(placed.map((p) => p.orderId), csrfOf(list.body));
      expect(priced.statusCode).toBe(200);
      expect(pdfPages(priced.rawPayload)).toBe(2);
      const pricedText = pdfText(priced.rawPayload);
      const taxLines = await shop.db.db.selectFrom('order_tax_lines').where('order_id', 'in', placed.map((p) => p.orderId)).select(['tax_rate', 'tax']).execute();
      expect(taxLines.length).toBeGreaterThan(0);
      for (const o of orders) expect(pricedText).toContain(o.total.toLocaleString('ja-JP'));
      for (const t of taxLines) expect(pricedText).toMatch(new RegExp(`${t.tax_rate}%[^\\n]*${t.tax.toLocaleString('ja-JP')}`));

      const r = await staff.postSlips(placed.map((p) => p.orderId), csrfOf(list.body), [['withoutPrices', 'on']]);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/pdf/);
      expect(pdfPages(r.rawPayload)).toBe(2);
      const text = pdfText(r.rawPayload);
      expect(text).toContain('納品書');
      for (const [i, a] of ADDRESSES.entries()) {
        expect(text).toContain(`〒${a.postalCode}`);
        expect(text).toContain(`${a.prefecture}${a.city}${a.line1}`);
        expect(text).toContain(placed[i]!.orderNumber);
      }
      expect(text).toContain('梅田ビル5階');
      for (const o of orders) expect(text).not.toContain(o.total.toLocaleString('ja-JP'));
      expect(text).not.toMatch(/[￥¥]/);

      const audit = await shop.db.db.withTables<{ audit_log: { id: number; action: string; after_json: string | null } }>()
        .selectFrom('audit_log').where('action', '=', 'orders.delivery_slips_printed').select(['after_json']).execute();
      expect(audit).toHaveLength(2);
      for (const a of audit) expect(JSON.parse(String(a.after_json))).toEqual({ orders: placed.map((p) => p.orderNumber) });

      const none = await staff.postSlips([], csrfOf((await staff.b.get('/admin/orders')).body));
      expect(none.statusCode).toBe(400);
      expect(none.headers['content-type']).toMatch(/^text\/html/);
      expect(none.body).toContain('納品書を作成する注文を選択してください。');
      expect(none.body).toContain('action="/admin/orders/delivery-slips"');
      const tooMany = await staff.postSlips(Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`), csrfOf(none.body));
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.body).toContain('納品書は一度に100件まで作成できます。');
      expect(await shop.db.db.withTables<{ audit_log: { action: string } }>().selectFrom('audit_log').where('action', '=', 'orders.delivery_slips_printed').select('action').execute()).toHaveLength(2);
    });

    it('refuses the auditor', async () => {
      const placed = await checkoutThroughStoreApi(shop, { customer: { ...NAMES, shippingAddress: ADDRESSES[0] } });
      const auditor = await admin('slips-auditor@example.jp', 'auditor');
      const page = await auditor.b.get('/admin');
      const r = await auditor.postSlips([placed.orderId], csrfOf(page.body));
      expect(r.statusCode).toBe(403);
      // Refused for the role, not for a bad form token (which is a 403 too).
      expect(r.body).toContain('このページを表示する権限がありません。');
      expect(r.headers['content-type']).not.toMatch(/pdf/);
      // Nothing printed for the auditor: the only entries are the staff member's two prints from the first test.
      const printed = await shop.db.db.withTables<{ audit_log: { action: string; actor: string } }>().selectFrom('audit_log').where('action', '=', 'orders.delivery_slips_printed').select('actor').execute();
      expect(printed).toHaveLength(2);
      expect(new Set(printed.map((p) => p.actor)).size).toBe(1);
    });

    it('shows 姓・名・フリガナ on the order page and in the CSV', async () => {
      const placed = await checkoutThroughStoreApi(shop, { customer: { ...NAMES, email: 'kana@example.jp', shippingAddress: ADDRESSES[0] } });
      const owner = await admin('slips-owner@example.jp', 'owner');
      const page = await owner.b.get(`/admin/orders/${placed.orderId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<dt>姓</dt><dd>山田</dd>');
      expect(page.body).toContain('<dt>名</dt><dd>花子</dd>');
      expect(page.body).toContain('<dt>フリガナ</dt><dd>ヤマダ ハナコ</dd>');
      const csv = await owner.b.get(`/admin/orders.csv?text=${placed.orderNumber}`);
      const [head, row] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(head).toContain('"氏名","姓","名","フリガナ（姓）","フリガナ（名）"');
      expect(row).toContain('"山田 花子","山田","花子","ヤマダ","ハナコ"');
    });
  });
}
