// 領収書 from the order page: a qualified-invoice receipt (registration number, per-rate totals and
// tax, the ※ mark on reduced-rate items) as a PDF whose text is read back with pdftotext; the
// 宛名 is fixed by the first download and later ones say 再発行; unpaid orders and other people
// get none, and a card number typed as the 宛名 is refused and never stored.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, mediaDir, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { recordingProvider } from '../../test/support/recording-gateway.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { saveShopSettings } from '../shop-settings/save-shop-settings.ts';
import { forgetShopProfile } from '../shop-settings/shop-profile.ts';
import { openCustomerSession } from '../customer-accounts/customer-sessions.ts';
import { linkOrderToCustomer } from '../customer-accounts/account-queries.ts';
import { CLEAN_PNG as PNG } from '../../test/support/test-clamd.ts';

const REGISTRATION = 'T7010705000725';
const SETTINGS = {
  shopName: '守りストア', companyName: '株式会社守り', representative: '山田太郎', postalCode: '100-0001', address: '東京都千代田区千代田1-1',
  phone: '03-1234-5678', email: 'shop@example.jp', hours: '平日 10-17時', invoiceRegistrant: 'corporation', invoiceRegistrationNumber: REGISTRATION,
  timeZone: 'Asia/Tokyo', taxDisplay: 'inclusive', bankTransferAccount: '',
} as const;
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

for (const database of DATABASES) {
  describe(`receipts on ${database.name}`, () => {
    let shop: TestShop;
    const gw = recordingProvider();
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: gw.provider, reconcileAtStart: false });
      await saveShopSettings(shop.context, SETTINGS, undefined, { actor: 'test', ip: '127.0.0.1', at: new Date() });
      forgetShopProfile(shop.db.db);
    });
    afterAll(async () => { await shop?.dispose(); });

    async function order(paid: boolean, couponCode?: string): Promise<{ orderId: string; accessToken: string }> {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
      for (const slug of ['uji-matcha-latte', 'hasami-porcelain-mug']) {
        const product = (await shop.app.inject({ url: `/api/store/products/${slug}` })).json() as { variants: { id: number }[] };
        await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      }
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: { ...GOOD_CUSTOMER, ...(couponCode ? { couponCode } : {}) } });
      expect(r.statusCode).toBe(201);
      const placed = r.json() as { orderId: string; accessToken: string };
      if (paid) {
        gw.status.set(`tx_${gw.created.length}`, 'captured');
        const back = new URL(gw.created.at(-1)!.returnUrl);
        expect((await shop.app.inject({ url: back.pathname + back.search })).statusCode).toBe(303);
      }
      return placed;
    }
    async function download(o: { orderId: string; accessToken: string }, addressee: string) {
      const page = await shop.app.inject({ url: `/orders/${o.orderId}?token=${o.accessToken}` });
      const csrf = csrfFromInject(page);
      return shop.app.inject({ method: 'POST', url: `/orders/${o.orderId}/receipt`, headers: formHeaders(csrf), payload: formWithCsrf(csrf, { token: o.accessToken, addressee }) });
    }

    it('issues a qualified-invoice receipt as PDF, the 宛名 fixed by the first download, then 再発行', async () => {
      const o = await order(true);
      const first = await download(o, '株式会社テスト商事');
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toMatch(/^application\/pdf/);
      const text = pdfText(first.rawPayload);
      expect(text).toContain('領収書');
      expect(text).toContain(REGISTRATION);
      expect(text).toContain('株式会社テスト商事');
      expect(text).toContain('※');
      const taxLines = await shop.db.db.selectFrom('order_tax_lines').where('order_id', '=', o.orderId).select(['tax_rate', 'taxable_total', 'tax']).execute();
      expect(taxLines.map((t) => t.tax_rate).sort()).toEqual([10, 8].sort());
      const yen = (n: number) => n.toLocaleString('ja-JP');
      for (const t of taxLines) {
        expect(text, `taxable total at ${t.tax_rate}%`).toContain(yen(Number(t.taxable_total)));
        expect(text, `tax at ${t.tax_rate}%`).toContain(yen(Number(t.tax)));
      }
      expect(text).not.toContain('再発行');
      const again = await download(o, '別の名前');
      expect(again.statusCode).toBe(200);
      const second = pdfText(again.rawPayload);
      expect(second).toContain('再発行');
      expect(second).toContain('株式会社テスト商事');
      expect(second).not.toContain('別の名前');
      const stored = await shop.db.db.selectFrom('order_receipts' as any).where('order_id', '=', o.orderId).selectAll().executeTakeFirstOrThrow() as { addressee: string; issue_count: number };
      expect(stored.addressee).toBe('株式会社テスト商事');
      expect(Number(stored.issue_count)).toBe(2);
    });

    async function customer(email: string): Promise<{ id: number; cookie: string }> {
      const now = new Date().toISOString();
      const { id } = await shop.db.db.insertInto('customers').values({
        email, name: '会員 太郎', password_hash: 'scrypt$unused', locale: 'ja', email_verified_at: now, disabled_at: null,
        totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      const session = await openCustomerSession(shop.db.db, id, 'full', 'web', { ip: '127.0.0.1', userAgent: 'test' }, new Date());
      return { id, cookie: `mamori_customer=${session}` };
    }

    it('the account’s order page gives the signed-in customer the receipt of their own paid order; another’s is not found; signed out goes to sign-in', async () => {
      const member = await customer('receipt-member@example.jp');
      const stranger = await customer('receipt-stranger@example.jp');
      const paid = await order(true);
      const unpaid = await order(false);
      for (const o of [paid, unpaid]) await linkOrderToCustomer(shop.db.db, o.orderId, member.id, new Date());
      const orderNumber = (await shop.db.db.selectFrom('orders').where('id', '=', paid.orderId).select('order_number').executeTakeFirstOrThrow()).order_number;

      const page = await shop.app.inject({ url: `/account/orders/${paid.orderId}`, headers: { cookie: member.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`action="/account/orders/${paid.orderId}/receipt"`);
      // The session is the access: no order token goes into the form.
      expect(page.body).not.toContain(paid.accessToken);
      const csrf = csrfFromInject(page);
      const post = (who: { cookie: string } | undefined, orderId: string, addressee: string) => shop.app.inject({
        method: 'POST', url: `/account/orders/${orderId}/receipt`,
        headers: { ...formHeaders(csrf), cookie: [csrf.cookie, who?.cookie].filter(Boolean).join('; ') }, payload: formWithCsrf(csrf, { addressee }),
      });
      const pdf = await post(member, paid.orderId, '株式会社会員商事');
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
      const text = pdfText(pdf.rawPayload);
      for (const want of ['領収書', orderNumber, REGISTRATION, '株式会社会員商事']) expect(text).toContain(want);
      // Issued once: the page now says to whom.
      expect((await shop.app.inject({ url: `/account/orders/${paid.orderId}`, headers: { cookie: member.cookie } })).body).toContain('株式会社会員商事');

      // Another customer's session: the order does not exist for them, page and download alike.
      expect((await shop.app.inject({ url: `/account/orders/${paid.orderId}`, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
      const theirs = await post(stranger, paid.orderId, '他人');
      expect(theirs.statusCode).toBe(404);
      expect(theirs.headers['content-type']).not.toMatch(/pdf/);
      // Signed out: to the sign-in page, no PDF.
      const out = await post(undefined, paid.orderId, '誰か');
      expect(out.statusCode).toBe(303);
      expect(out.headers.location).toMatch(/^\/account\/login/);
      expect((await shop.app.inject({ url: `/account/orders/${paid.orderId}` })).headers.location).toMatch(/^\/account\/login/);
      // An unpaid order offers no receipt, and refuses one.
      expect((await shop.app.inject({ url: `/account/orders/${unpaid.orderId}`, headers: { cookie: member.cookie } })).body).not.toContain('/receipt"');
      expect((await post(member, unpaid.orderId, '株式会社会員商事')).statusCode).toBe(409);
    });

    it('shows a coupon discount as its own line, with the per-rate totals after it adding up to the total', async () => {
      const at = new Date().toISOString();
      await (shop.db.db as import('kysely').Kysely<any>).insertInto('coupons').values({ code: 'RECEIPT300', kind: 'fixed', amount: 300, minimum_subtotal: 0, created_at: at, updated_at: at }).execute();
      const o = await order(true, 'receipt300');
      const row = await shop.db.db.selectFrom('orders').where('id', '=', o.orderId).select(['total', 'discount_total']).executeTakeFirstOrThrow();
      expect(row.discount_total).toBe(300);
      const text = pdfText((await download(o, '山田 花子')).rawPayload);
      const line = text.split('\n').find((l) => l.includes('クーポン割引（RECEIPT300）'));
      expect(line, 'coupon line').toBeDefined();
      expect(line).toMatch(/300/);
      // No unexplained "fees" line: the whole difference is the coupon.
      expect(text).not.toContain('手数料');
      const taxLines = await shop.db.db.selectFrom('order_tax_lines').where('order_id', '=', o.orderId).select(['taxable_total']).execute();
      expect(taxLines.reduce((sum, t) => sum + Number(t.taxable_total), 0)).toBe(row.total);
    });

    it('prints the logo saved on the settings page above the seller (an image in the PDF), and none without one', async () => {
      const images = (pdf: Buffer) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'mamori-receipt-'));
        try {
          writeFileSync(path.join(dir, 'r.pdf'), pdf);
          // pdfimages -list: a line per image object, its type third; a PNG's alpha is a second `smask` line.
          return execFileSync('pdfimages', ['-list', path.join(dir, 'r.pdf')]).toString('utf8').split('\n').filter((l) => l.trim().split(/\s+/)[2] === 'image').length;
        } finally { rmSync(dir, { recursive: true, force: true }); }
      };
      expect(images((await download(await order(true), '山田 花子')).rawPayload)).toBe(0);
      mkdirSync(path.join(mediaDir(shop), 'shop'), { recursive: true });
      writeFileSync(path.join(mediaDir(shop), 'shop', 'logo-receipt.png'), PNG);
      await saveShopSettings(shop.context, SETTINGS, 'shop/logo-receipt.png', { actor: 'test', ip: '127.0.0.1', at: new Date() });
      forgetShopProfile(shop.db.db);
      try {
        expect(images((await download(await order(true), '山田 花子')).rawPayload)).toBe(1);
      } finally {
        await saveShopSettings(shop.context, SETTINGS, null, { actor: 'test', ip: '127.0.0.1', at: new Date() });
        forgetShopProfile(shop.db.db);
      }
    });

    it('refuses an unpaid order and a card number as the 宛名, and a stranger without the order token', async () => {
      const unpaid = await order(false);
      const r = await download(unpaid, '山田 花子');
      expect(r.statusCode).toBe(409);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      const paid = await order(true);
      const card = await download(paid, '4242 4242 4242 4242');
      expect(card.statusCode).toBe(400);
      expect(card.body).not.toContain('4242 4242 4242 4242');
      expect(await shop.db.db.selectFrom('order_receipts' as any).where('order_id', 'in', [unpaid.orderId, paid.orderId]).selectAll().execute()).toEqual([]);
      const page = await shop.app.inject({ url: `/orders/${paid.orderId}?token=${paid.accessToken}` });
      const csrf = csrfFromInject(page);
      const stranger = await shop.app.inject({ method: 'POST', url: `/orders/${paid.orderId}/receipt`, headers: formHeaders(csrf), payload: formWithCsrf(csrf, { token: 'x'.repeat(43), addressee: '他人' }) });
      expect(stranger.statusCode).toBe(404);
      expect(stranger.headers['content-type']).not.toMatch(/pdf/);
    });
  });
}
