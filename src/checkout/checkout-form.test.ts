// The HTML checkout as Japanese forms expect it, on both databases: 姓・名・フリガナ with their
// errors in form order; the postal code filling prefecture and city on the server (the page
// without JavaScript); the shop's own fill script with SRI and the response's nonce; a signed-in
// customer's default address prefilled and the order linked to the account in its transaction;
// a guest's order linked to nobody.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { staticAsset } from '../layout/static-assets.ts';
import { openCustomerSession } from '../customer-accounts/customer-sessions.ts';
import { addAddress } from '../customer-accounts/account-queries.ts';
import { parseCustomerDetails } from './customer-details.ts';

const NOW = new Date('2026-12-02T03:00:00.000Z');

/** A browser of its own: cookies kept between requests, a cart with one item, at /checkout. */
async function shopper(shop: TestShop, extraCookie = '') {
  const jar = new Map<string, string>();
  const remember = (r: LightMyRequestResponse) => { for (const c of r.cookies) jar.set(c.name, c.value); return r; };
  const cookie = () => [extraCookie, ...[...jar].map(([k, v]) => `${k}=${v}`)].filter(Boolean).join('; ');
  const get = async (url: string) => remember(await shop.app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
  const post = async (url: string, form: Record<string, string>) => remember(await shop.app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }));
  const product = await get('/products/uji-matcha-latte?lang=ja');
  const variantId = /name="variantId" value="(\d+)"/.exec(product.body)![1]!;
  expect((await post('/cart/items', { variantId, quantity: '1', _csrf: csrfTokenOf(product.body) })).statusCode).toBe(303);
  let last = await get('/checkout');
  expect(last.statusCode).toBe(200);
  return {
    get page() { return last; },
    get,
    /** Posts the checkout form with the CSRF token of the page last seen. */
    async submit(form: Record<string, string>) {
      last = await post('/checkout', { ...form, _csrf: csrfTokenOf(last.body) });
      return last;
    },
  };
}

const HANAKO = {
  email: 'hanako@example.jp', familyName: '山田', givenName: '花子', familyNameKana: 'やまだ', givenNameKana: 'ﾊﾅｺ',
  phone: '090-1234-5678', country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '', lang: 'ja',
};

const valueOf = (html: string, id: string) => new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const selectedPrefecture = (html: string) => /<option value="([^"]+)" selected/.exec(html.slice(html.indexOf('id="prefecture"')))?.[1];

describeEachDatabase('HTML checkout: names, フリガナ, postal code, signed-in customers', (database) => {
  let shop: TestShop;
  beforeAll(async () => { shop = await startTestShop(database, { clock: () => NOW }); });
  afterAll(async () => { await shop?.dispose(); });

  const ordersOf = (email: string) => shop.db.db.selectFrom('orders').where('email', '=', email)
    .select(['id', 'order_number', 'name', 'family_name', 'given_name', 'family_name_kana', 'given_name_kana', 'prefecture', 'city']).execute();
  const linksOf = (orderId: string) => shop.db.db.selectFrom('customer_orders').where('order_id', '=', orderId).select('customer_id').execute();

  it('shows 姓・名・セイ・メイ and loads the fill script from the shop with SRI and this response’s nonce', async () => {
    const s = await shopper(shop);
    for (const id of ['familyName', 'givenName', 'familyNameKana', 'givenNameKana']) expect(s.page.body).toContain(`id="${id}" name="${id}"`);
    expect(s.page.body).not.toContain('name="name"');
    const script = staticAsset('postal-code-fill.js');
    const tag = /<script [^>]*><\/script>/.exec(s.page.body)![0];
    expect(tag).toContain(`src="${script.href}"`);
    expect(tag).toContain(`integrity="${script.integrity}"`);
    const nonce = /nonce="([^"]+)"/.exec(tag)![1]!;
    expect(String(s.page.headers['content-security-policy'])).toContain(`'nonce-${nonce}'`);
    // The hash the page names is the file's as served.
    const served = await shop.app.inject({ method: 'GET', url: script.href });
    expect(served.statusCode).toBe(200);
    expect(served.body).toContain('/api/store/postal-codes/');
  });

  it('without JavaScript, 住所を検索 fills prefecture and city from the postal code and places nothing', async () => {
    const s = await shopper(shop);
    const r = await s.submit({ ...HANAKO, email: 'lookup@example.jp', postalCode: '〒１６０−００２２', prefecture: '大阪府', city: '', line1: '', postalLookup: '1' });
    expect(r.statusCode).toBe(200);
    expect(selectedPrefecture(r.body)).toBe('東京都');
    expect(valueOf(r.body, 'city')).toBe('新宿区');
    expect(valueOf(r.body, 'line1')).toBe('新宿');
    expect(r.body).toContain('郵便番号から「東京都新宿区」を入力しました。');
    expect(r.body).not.toContain('error-summary');
    expect(await ordersOf('lookup@example.jp')).toEqual([]);

    const unknown = await s.submit({ ...HANAKO, email: 'lookup@example.jp', postalCode: '000-0000', postalLookup: '1' });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toContain('この郵便番号の住所が見つかりませんでした。');
  });

  it('without JavaScript, a submit with prefecture and city empty comes back filled to check, and the next submit places the order', async () => {
    const s = await shopper(shop);
    const filled = await s.submit({ ...HANAKO, email: 'fill@example.jp', prefecture: '', city: '' });
    expect(filled.statusCode).toBe(200);
    expect(selectedPrefecture(filled.body)).toBe('東京都');
    expect(valueOf(filled.body, 'city')).toBe('千代田区');
    expect(filled.body).toContain('郵便番号から都道府県・市区町村を入力しました。');
    expect(await ordersOf('fill@example.jp')).toEqual([]);

    const placed = await s.submit({ ...HANAKO, email: 'fill@example.jp', prefecture: selectedPrefecture(filled.body)!, city: valueOf(filled.body, 'city')! });
    expect(placed.statusCode).toBe(303);
    const [order] = await ordersOf('fill@example.jp');
    // Hiragana and half-width katakana are stored as katakana; 姓 and 名 joined family first.
    expect(order).toMatchObject({ name: '山田 花子', family_name: '山田', given_name: '花子', family_name_kana: 'ヤマダ', given_name_kana: 'ハナコ', prefecture: '東京都', city: '千代田区' });
    expect(await linksOf(order!.id)).toEqual([]); // a guest's order belongs to no account
  });

  it('refuses フリガナ that is not kana and lists every field error in form order', async () => {
    const s = await shopper(shop);
    const r = await s.submit({ ...HANAKO, email: 'kana@example', givenName: '', familyNameKana: 'Yamada', givenNameKana: '', phone: '12' });
    expect(r.statusCode).toBe(400);
    const summary = r.body.slice(r.body.indexOf('error-summary'), r.body.indexOf('</ul>', r.body.indexOf('error-summary')));
    const linked = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toEqual(['email', 'givenName', 'familyNameKana', 'givenNameKana', 'phone']);
    expect(r.body).toContain('id="familyNameKana-error">フリガナはカタカナで入力してください');
    expect(r.body).toMatch(/id="familyNameKana"[^>]*aria-invalid="true"/);
    expect(valueOf(r.body, 'familyNameKana')).toBe('Yamada'); // kept for the customer to correct

    expect(await ordersOf('kana@example')).toEqual([]);
  });

  it('still takes a single name from a post of the form as it was before 姓・名', async () => {
    const s = await shopper(shop);
    const { familyName: _f, givenName: _g, familyNameKana: _fk, givenNameKana: _gk, ...address } = HANAKO;
    const placed = await s.submit({ ...address, email: 'legacy@example.jp', name: '山田 花子' });
    expect(placed.statusCode).toBe(303);
    expect((await ordersOf('legacy@example.jp'))[0]).toMatchObject({ name: '山田 花子', family_name: null, family_name_kana: null });
  });

  it('prefills a signed-in customer’s default address, links the order to the account and lists it in the history', async () => {
    const { id: customerId } = await shop.db.db.insertInto('customers').values({
      email: 'member@example.jp', name: '佐藤 一郎', password_hash: 'scrypt$unused', locale: 'ja', email_verified_at: NOW.toISOString(), disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const details = parseCustomerDetails({ email: 'member@example.jp', name: '佐藤 一郎', phone: '06-1234-5678', shippingAddress: { country: 'JP', postalCode: '530-0001', prefecture: '大阪府', city: '大阪市北区', line1: '梅田1-1', line2: '201' } });
    if (!details.ok) throw new Error('bad fixture');
    await addAddress(shop.db.db, customerId, { ...details.value, name: '佐藤 二郎' }, false, NOW);
    await addAddress(shop.db.db, customerId, details.value, true, NOW);
    const session = await openCustomerSession(shop.db.db, customerId, 'full', 'web', { ip: '127.0.0.1', userAgent: 'test' }, NOW);

    const s = await shopper(shop, `mamori_customer=${session}`);
    const form = s.page.body;
    expect(valueOf(form, 'email')).toBe('member@example.jp');
    expect([valueOf(form, 'familyName'), valueOf(form, 'givenName')]).toEqual(['佐藤', '一郎']);
    expect([valueOf(form, 'phone'), valueOf(form, 'postalCode'), selectedPrefecture(form), valueOf(form, 'city'), valueOf(form, 'line1'), valueOf(form, 'line2')])
      .toEqual(['0612345678', '530-0001', '大阪府', '大阪市北区', '梅田1-1', '201']);

    const placed = await s.submit({
      email: valueOf(form, 'email')!, familyName: '佐藤', givenName: '一郎', familyNameKana: 'サトウ', givenNameKana: 'イチロウ', phone: valueOf(form, 'phone')!, country: 'JP',
      postalCode: valueOf(form, 'postalCode')!, prefecture: selectedPrefecture(form)!, city: valueOf(form, 'city')!, line1: valueOf(form, 'line1')!, line2: valueOf(form, 'line2')!, lang: 'ja',
    });
    expect(placed.statusCode).toBe(303);
    const [order] = await ordersOf('member@example.jp');
    expect(await linksOf(order!.id)).toEqual([{ customer_id: customerId }]);
    const history = await s.get('/account');
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain(order!.order_number);
    expect((await s.get(`/account/orders/${order!.id}`)).statusCode).toBe(200);

    // Signed out (no session cookie), the same browser's next checkout starts empty and links nothing.
    const guest = await shopper(shop);
    expect(valueOf(guest.page.body, 'email') ?? '').toBe(''); // an empty value is not rendered at all
  });
});
