// 領収書 from the order page: a qualified-invoice receipt (registration number, per-rate totals and
// tax, the ※ mark on reduced-rate items) as a PDF whose text is read back with pdftotext; the
// 宛名 is fixed by the first download and later ones say 再発行; unpaid orders and other people
// get none, and a card number typed as the 宛名 is refused and never stored.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { recordingProvider } from '../../test/support/recording-gateway.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { saveShopSettings } from '../shop-settings/save-shop-settings.ts';
import { forgetShopProfile } from '../shop-settings/shop-profile.ts';

const REGISTRATION = 'T7010705000725';
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

for (const database of DATABASES) {
  describe(`receipts on ${database.name}`, () => {
    let shop: TestShop;
    const gw = recordingProvider();
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: gw.provider, reconcileAtStart: false });
      await saveShopSettings(shop.context, {
        shopName: '守りストア', companyName: '株式会社守り', representative: '山田太郎', postalCode: '100-0001', address: '東京都千代田区千代田1-1',
        phone: '03-1234-5678', email: 'shop@example.jp', hours: '平日 10-17時', invoiceRegistrant: 'corporation', invoiceRegistrationNumber: REGISTRATION,
        timeZone: 'Asia/Tokyo', taxDisplay: 'inclusive', bankTransferAccount: '',
      }, undefined, { actor: 'test', ip: '127.0.0.1', at: new Date() });
      forgetShopProfile(shop.db.db);
    });
    afterAll(async () => { await shop?.dispose(); });

    async function order(paid: boolean): Promise<{ orderId: string; accessToken: string }> {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts', payload: {} })).json() as { id: string };
      for (const slug of ['uji-matcha-latte', 'hasami-porcelain-mug']) {
        const product = (await shop.app.inject({ url: `/api/store/products/${slug}` })).json() as { variants: { id: number }[] };
        await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: product.variants[0]!.id, quantity: 1 } });
      }
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER });
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
