// The coupon field of the HTML checkout, on both databases, as a browser without JavaScript uses it:
// 適用 re-renders the page with the discounted total and places nothing; an unknown code or a card
// number comes back as the field's message with 400 and no order (a card number is not echoed);
// placing the order with the code stores the discount and the order mail shows it.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { formatYen } from '../i18n/locale.ts';
import { directSession, enrolledAccount } from '../../test/support/admin-test-client.ts';

const NOW = new Date('2026-12-02T03:00:00.000Z');

/** A browser of its own: cookies kept between requests, a cart with one item, at /checkout. */
async function shopper(shop: TestShop) {
  const jar = new Map<string, string>();
  const remember = (r: LightMyRequestResponse) => { for (const c of r.cookies) jar.set(c.name, c.value); return r; };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) => remember(await shop.app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
  const post = async (url: string, form: Record<string, string>) => remember(await shop.app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }));
  const product = await get('/products/uji-matcha-latte?lang=ja');
  const variantId = /name="variantId" value="(\d+)"/.exec(product.body)![1]!;
  expect((await post('/cart/items', { variantId, quantity: '2', _csrf: csrfTokenOf(product.body) })).statusCode).toBe(303);
  let last = await get('/checkout');
  expect(last.statusCode).toBe(200);
  return {
    get page() { return last; },
    async submit(form: Record<string, string>, url = '/checkout') {
      last = await post(url, { ...form, _csrf: csrfTokenOf(last.body) });
      return last;
    },
  };
}

const HANAKO = {
  familyName: '山田', givenName: '花子', familyNameKana: 'ヤマダ', givenNameKana: 'ハナコ',
  phone: '090-1234-5678', country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '', lang: 'ja',
};

/** The grand total the page's totals table shows. */
const grandTotal = (html: string) => /<tr class="grand-total"><th scope="row">[^<]*<\/th><td>([^<]+)<\/td>/.exec(html)?.[1];
const yen = (s: string | undefined) => Number((s ?? '').replace(/[^\d]/g, ''));
/** The fields the error summary links to, top to bottom. */
const summaryLinks = (html: string) => {
  const at = html.indexOf('class="error-summary"');
  return at < 0 ? [] : [...html.slice(at, html.indexOf('</ul>', at)).matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
};
const couponValue = (html: string) => /id="couponCode" name="couponCode"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? '';

/** The text part of an .eml as the customer reads it (nodemailer writes it base64 or quoted-printable). */
function mailText(eml: string): string {
  const parts = eml.split(/\r?\n--/);
  const part = parts.find((p) => /Content-Type: text\/plain/i.test(p)) ?? eml;
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head!)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

describeEachDatabase('HTML checkout: the coupon field', (database) => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database, { clock: () => NOW });
    // The coupons table is not in the typed schema (coupon-service.ts reads it untyped too).
    await (shop.db.db as Kysely<any>).insertInto('coupons').values({
      code: 'WINTER300', kind: 'fixed', amount: 300, minimum_subtotal: 0, created_at: NOW.toISOString(), updated_at: NOW.toISOString(),
    }).execute();
  });
  afterAll(async () => { await shop?.dispose(); });

  const ordersOf = (email: string) => shop.db.db.selectFrom('orders').where('email', '=', email)
    .select(['id', 'order_number', 'items_total', 'shipping_fee', 'discount_total', 'coupon_code', 'total']).execute();
  const mailsTo = (email: string) => {
    const dir = path.join(shop.dataDir, 'outbox');
    return existsSync(dir) ? readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(email)).map(mailText) : [];
  };

  it('適用 re-renders the form with the total after the discount and places nothing', async () => {
    const s = await shopper(shop);
    expect(s.page.body).toContain('id="couponCode" name="couponCode"');
    expect(s.page.body).toMatch(/<button type="submit" name="applyCoupon" value="1"[^>]*>適用<\/button>/);
    const before = yen(grandTotal(s.page.body));
    expect(before).toBeGreaterThan(300);

    const r = await s.submit({ ...HANAKO, email: 'apply@example.jp', couponCode: ' ｗｉｎｔｅｒ３００ ', applyCoupon: '1' });
    expect(r.statusCode).toBe(200);
    expect(yen(grandTotal(r.body))).toBe(before - 300);
    expect(r.body).toContain(`クーポン割引（WINTER300）</th><td>−${formatYen(300)}</td>`);
    expect(r.body).toContain('クーポン「WINTER300」を適用しました。');
    expect(couponValue(r.body)).toBe('WINTER300');
    expect(r.body).not.toContain('couponCode-error');
    expect(await ordersOf('apply@example.jp')).toEqual([]);
  });

  it('an unknown code comes back as the field’s message with 400, on 適用 and on placing the order, and no order is placed', async () => {
    const s = await shopper(shop);
    const before = yen(grandTotal(s.page.body));
    const applied = await s.submit({ ...HANAKO, email: 'unknown@example.jp', couponCode: 'NOSUCHCODE', applyCoupon: '1' });
    expect(applied.statusCode).toBe(400);
    expect(applied.body).toContain('id="couponCode-error">このクーポンコードは見つかりません。');
    expect(applied.body).toMatch(/id="couponCode"[^>]*aria-invalid="true"/);
    expect(yen(grandTotal(applied.body))).toBe(before);

    const placed = await s.submit({ ...HANAKO, email: 'unknown@example.jp', couponCode: 'NOSUCHCODE' });
    expect(placed.statusCode).toBe(400);
    expect(placed.headers.location).toBeUndefined();
    expect(placed.body).toContain('id="couponCode-error">このクーポンコードは見つかりません。');
    expect(couponValue(placed.body)).toBe('NOSUCHCODE');
    expect(summaryLinks(placed.body)).toEqual(['couponCode']);
    expect(placed.body).toContain('<a href="#couponCode">クーポンコード: このクーポンコードは見つかりません。</a>');
    expect(await ordersOf('unknown@example.jp')).toEqual([]);

    // With an address error too, the summary lists both, the coupon (lower in the form) last.
    const both = await s.submit({ ...HANAKO, email: 'unknown@example', couponCode: 'NOSUCHCODE' });
    expect(both.statusCode).toBe(400);
    expect(summaryLinks(both.body)).toEqual(['email', 'couponCode']);

    // In English the same refusal is worded from the English catalog.
    const en = await s.submit({ ...HANAKO, lang: 'en', email: 'unknown@example.jp', couponCode: 'NOSUCHCODE', applyCoupon: '1' }, '/checkout?lang=en');
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('id="couponCode-error">This coupon code was not found.');
  });

  it('a card number typed as the code is refused by the guard, not echoed, and places nothing', async () => {
    const s = await shopper(shop);
    const r = await s.submit({ ...HANAKO, email: 'pan@example.jp', couponCode: '4111 1111 1111 1111' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('id="couponCode-error">カード番号はここに入力しないでください');
    expect(r.body).not.toContain('4111 1111 1111 1111');
    expect(r.body).not.toContain('4111111111111111');
    expect(await ordersOf('pan@example.jp')).toEqual([]);
  });

  it('placing the order with the code stores the discount and the order mail shows it', async () => {
    const s = await shopper(shop);
    const applied = await s.submit({ ...HANAKO, email: 'placed@example.jp', couponCode: 'winter300', applyCoupon: '1' });
    const shown = yen(grandTotal(applied.body));
    const placed = await s.submit({ ...HANAKO, email: 'placed@example.jp', couponCode: couponValue(applied.body) });
    expect(placed.statusCode).toBe(303);
    const [order, ...more] = await ordersOf('placed@example.jp');
    expect(more).toEqual([]);
    expect(order).toMatchObject({ coupon_code: 'WINTER300' });
    expect(Number(order!.discount_total)).toBe(300);
    expect(Number(order!.total)).toBe(Number(order!.items_total) + Number(order!.shipping_fee) - 300);
    expect(Number(order!.total)).toBe(shown); // what 適用 showed is what was ordered
    const [mail, ...others] = mailsTo('placed@example.jp');
    expect(others).toEqual([]);
    expect(mail).toContain(order!.order_number);
    expect(mail).toContain(`クーポン割引（WINTER300）: −${formatYen(300)}`);
    expect(mail).toContain(`合計（税込）: ${formatYen(Number(order!.total))}`);

    // The back office's order page shows the same line above the shipping fee.
    const { account } = await enrolledAccount(shop, 'owner-coupon@example.jp', 'owner');
    const session = await directSession(shop, account.id, 'full');
    const admin = await shop.app.inject({ method: 'GET', url: `/admin/orders/${order!.id}`, headers: { cookie: session.cookie } });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain(`<tr class="discount"><th scope="row">クーポン割引（WINTER300）</th><td></td><td></td><td>−${formatYen(300)}</td></tr>`);
  });
});
