// The shop settings page and the legal-text editor on both databases (issue 17): only the owner may
// open or post them (staff 403, a post without this session's CSRF token 403); a refused form is
// re-rendered with a message per field and stores nothing, not even the logo; a save is audited and
// shows at once on the storefront, the legal pages, the dashboard warning and the next mails.
import { formatDateTime } from '../i18n/locale.ts';
import { CART_COOKIE } from '../http/cookies.ts';
import { csvDateTime } from '../admin/orders-admin.ts';
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { silentLogger } from '../shop-context.ts';
import { notifyCustomer } from '../orders/notify-customer.ts';
import { accountRuntime } from '../customer-accounts/account-runtime.ts';
import { requestPasswordReset } from '../customer-accounts/reset-password.ts';
import { currentShopProfile, SHOP_PROFILE_CHANNEL } from './shop-profile.ts';
import { corporateNumberCheckDigit } from './invoice-registration-number.ts';
import { CLEAN_PNG as PNG } from '../../test/support/test-clamd.ts';

type Browser = Awaited<ReturnType<typeof signIn>>;

/** A corporation's registration number whose check digit is right. */
const BASE12 = '123456789012';
const GOOD_INVOICE = `T${corporateNumberCheckDigit(BASE12)}${BASE12}`;
const BAD_INVOICE = `T${(corporateNumberCheckDigit(BASE12) % 9) + 1}${BASE12}`;

const VALID = {
  shopName: 'まもり茶舗 本店', companyName: '株式会社まもり', representative: '山田 太郎', postalCode: '１０００００１', address: '東京都千代田区千代田1-1',
  phone: '03-1234-5678', email: 'support@mamori.example.jp', hours: '平日 10:00〜17:00', invoiceRegistrant: 'corporation', invoiceRegistrationNumber: GOOD_INVOICE,
  timeZone: 'Asia/Tokyo', taxDisplay: 'inclusive', bankTransferAccount: 'まもり銀行 本店 普通 1234567 カ）マモリ',
};


async function postMultipart(shop: TestShop, browser: Browser, url: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const page = await browser.get(url);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const boundary = `----mamori${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries({ ...fields, _csrf: csrf })) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return shop.app.inject({
    method: 'POST', url, payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

describeEachDatabase('shop settings and legal texts', (database) => {
  let shop: TestShop;
  let owner: Browser;
  let ownerId: number;
  let staff: Browser;
  const sent: OutgoingMail[] = [];
  const db = () => shop.db.db as Kysely<any>;
  const auditOf = (action: string) => db().selectFrom('audit_log').where('action', '=', action).select(['actor', 'target', 'after_json']).execute();

  beforeAll(async () => {
    shop = await startTestShop(database, { payments: new ScriptedGateway(), reconcileAtStart: false, catalogCacheTtlMs: 0 });
    shop.context.mailer = { description: 'recording', send: async (m) => { sent.push(m); } };
    const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    ownerId = o.account.id;
    owner = await signIn(shop, 'owner@example.jp', o.account.id, o.secret);
    const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    staff = await signIn(shop, 'staff@example.jp', s.account.id, s.secret);
  });
  afterAll(async () => { await shop?.dispose(); });

  it('refuses staff (403) and a post without this session\'s CSRF token (403), storing nothing', async () => {
    expect((await staff.get('/admin/settings')).statusCode).toBe(403);
    expect((await staff.post('/admin/settings', VALID)).statusCode).toBe(403);
    expect((await staff.get('/admin/settings/legal/privacy')).statusCode).toBe(403);
    expect((await staff.post('/admin/settings/legal/privacy', { 'body.ja': 'x', action: 'save' })).statusCode).toBe(403);
    await owner.get('/admin/settings');
    expect((await owner.post('/admin/settings', VALID, { csrf: false })).statusCode).toBe(403);
    expect((await owner.post('/admin/settings', VALID, { csrf: 'forged.token' })).statusCode).toBe(403);
    expect((await owner.post('/admin/settings/legal/privacy', { 'body.ja': 'x', action: 'save' }, { csrf: false })).statusCode).toBe(403);
    expect(await db().selectFrom('shop_settings').selectAll().execute()).toEqual([]);
    expect(await db().selectFrom('legal_texts').selectAll().execute()).toEqual([]);
    // The menu offers the page to the owner only.
    expect((await owner.get('/admin')).body).toContain('href="/admin/settings"');
    expect((await staff.get('/admin')).body).not.toContain('href="/admin/settings"');
  });

  it('warns on the dashboard what the legal notice lacks, with the link for the owner', async () => {
    const dash = await owner.get('/admin?lang=ja');
    expect(dash.body).toContain('legal-notice-warning');
    for (const item of ['販売業者', '運営責任者', '所在地', '電話番号', 'メールアドレス']) expect(dash.body).toContain(`<li>${item}</li>`);
    expect(dash.body).toMatch(/<a href="\/admin\/settings">ショップ設定で入力する<\/a>/);
    const en = await staff.get('/admin?lang=en');
    expect(en.body).toContain('Ask the owner to complete the settings.');
  });

  it('re-renders a bad form with a message per field, in form order, echoing no card number, and stores nothing (not the logo either)', async () => {
    const bad = await postMultipart(shop, owner, '/admin/settings?lang=ja', {
      ...VALID, shopName: '', address: '4242 4242 4242 4242', email: 'not-an-address', invoiceRegistrationNumber: BAD_INVOICE, timeZone: 'Mars/Olympus',
    }, { name: 'logo.png', type: 'image/png', bytes: PNG });
    expect(bad.statusCode).toBe(400);
    for (const f of ['shopName', 'address', 'email', 'invoiceRegistrationNumber', 'timeZone']) expect(bad.body).toContain(`id="${f}-error"`);
    expect(bad.body).not.toContain('id="logo-error"');
    expect(bad.body).toContain('ショップ名を入力してください。');
    expect(bad.body).toContain('チェックデジットが合いません');
    const summary = bad.body.slice(bad.body.indexOf('class="error-summary"'));
    const order = ['#shopName', '#address', '#email', '#invoiceRegistrationNumber', '#timeZone'].map((a) => summary.indexOf(`href="${a}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(bad.body).not.toContain('4242 4242 4242 4242');
    expect(bad.body).toContain('value="株式会社まもり"');
    expect(await db().selectFrom('shop_settings').selectAll().execute()).toEqual([]);
    expect(await auditOf('settings.shop_profile_updated')).toEqual([]);
    expect(existsSync(path.join(shop.config.mediaDir, 'shop'))).toBe(false);

    const notImage = await postMultipart(shop, owner, '/admin/settings?lang=en', VALID, { name: 'logo.png', type: 'image/png', bytes: Buffer.from('<svg onload=alert(1)>') });
    expect(notImage.statusCode).toBe(400);
    expect(notImage.body).toContain('id="logo-error"');
    expect(notImage.body).toContain('The logo must be a PNG, JPEG or WebP image.');
    expect(await db().selectFrom('shop_settings').selectAll().execute()).toEqual([]);
  });

  it('saves a good form with its logo, audited, and the storefront, legal notice, dashboard and mails show it at once', async () => {
    const warm = await shop.app.inject({ url: '/legal/tokushoho?lang=ja' });
    expect(warm.body).not.toContain('株式会社まもり');
    const saved = await postMultipart(shop, owner, '/admin/settings', VALID, { name: 'logo.png', type: 'image/png', bytes: PNG });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/settings?done=saved');
    const row = await db().selectFrom('shop_settings').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ shop_name: 'まもり茶舗 本店', company_name: '株式会社まもり', postal_code: '100-0001', invoice_registration_number: GOOD_INVOICE, updated_by: `admin:${ownerId}` });
    expect(row.logo_path).toMatch(/^shop\/logo-[0-9a-f]{24}\.png$/);
    expect(existsSync(path.join(shop.config.mediaDir, row.logo_path))).toBe(true);
    const audit = await auditOf('settings.shop_profile_updated');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: `admin:${ownerId}`, target: 'shop_settings:1' });
    expect(String(audit[0]!.after_json)).toContain('株式会社まもり');

    const form = await owner.get('/admin/settings?done=saved&lang=ja');
    expect(form.body).toContain('ショップ設定を保存しました。');
    expect(form.body).toContain(`src="/media/${row.logo_path}"`);
    expect(form.body).toContain(`value="${GOOD_INVOICE}"`);

    const notice = await shop.app.inject({ url: '/legal/tokushoho?lang=ja' });
    for (const v of ['株式会社まもり', '山田 太郎', '〒100-0001 東京都千代田区千代田1-1', '03-1234-5678', 'support@mamori.example.jp', GOOD_INVOICE]) expect(notice.body).toContain(v);
    expect((await shop.app.inject({ url: '/?lang=ja' })).body).toContain('まもり茶舗 本店');
    // The logo heads every storefront page, its alt text the shop's name, served from the shop's own origin.
    const home = (await shop.app.inject({ url: '/?lang=ja' })).body;
    expect(home).toContain(`<a class="brand" href="/?lang=ja"><img class="brand-logo" src="/media/${row.logo_path}" alt="まもり茶舗 本店" height="40"/></a>`);
    expect((await shop.app.inject({ url: `/media/${row.logo_path}` })).statusCode).toBe(200);
    expect((await owner.get('/admin')).body).not.toContain('legal-notice-warning');
    // The contact page offers the saved phone and e-mail beside its form.
    const contact = (await shop.app.inject({ url: '/contact?lang=ja' })).body;
    expect(contact).toContain('<a href="tel:0312345678">03-1234-5678</a>');
    expect(contact).toContain('<a href="mailto:support@mamori.example.jp">support@mamori.example.jp</a>');
    expect(contact).toContain('所在地：〒100-0001 東京都千代田区千代田1-1');

    // The signature of an order mail and of an account mail: the saved name and contact details.
    const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
    await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 1 } });
    const order = (await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER })).json() as { orderId: string };
    sent.length = 0;
    await notifyCustomer(shop.context, order.orderId, { kind: 'cancelled' }, silentLogger);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toContain('まもり茶舗 本店');
    for (const v of ['まもり茶舗 本店', '〒100-0001 東京都千代田区千代田1-1', '03-1234-5678', 'support@mamori.example.jp']) expect(sent[0]!.text).toContain(v);
    // HTML mails head with the logo, by absolute URL (a mail reader has no page to resolve it against).
    const logoImg = `<p><img src="${new URL(`/media/${row.logo_path}`, shop.context.config.publicUrl).href}" alt="まもり茶舗 本店" height="48"></p>`;
    expect(sent[0]!.html).toContain(logoImg);
    const at = new Date().toISOString();
    await db().insertInto('customers').values({ email: 'kaori@example.jp', name: '佐藤 香織', password_hash: 'x', locale: 'ja', email_verified_at: at, disabled_at: null, totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at }).execute();
    const rt = accountRuntime(shop.context);
    await requestPasswordReset(rt, 'kaori@example.jp', silentLogger);
    await rt.settleMails();
    const reset = sent.find((m) => m.to === 'kaori@example.jp')!;
    expect(reset.subject).toContain('まもり茶舗 本店');
    expect(reset.text).toContain('03-1234-5678');
    expect(reset.html).toContain(logoImg);
  });

  it('stores the logo re-encoded: a phone photo\'s EXIF and GPS position are not kept, and what is served decodes', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 160, b: 90 } } })
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: 'MamoriTestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 39/1 3012/100', GPSLongitudeRef: 'E', GPSLongitude: '139/1 44/1 2880/100' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif?.includes(Buffer.from('MamoriTestPhone'))).toBe(true);
    expect((await postMultipart(shop, owner, '/admin/settings', VALID, { name: 'logo.jpg', type: 'image/jpeg', bytes: photo })).statusCode).toBe(303);
    const row = await db().selectFrom('shop_settings').select('logo_path').executeTakeFirstOrThrow();
    expect(row.logo_path).toMatch(/^shop\/logo-[0-9a-f]{24}\.jpg$/);
    const served = (await shop.app.inject({ url: `/media/${row.logo_path}` })).rawPayload;
    const meta = await sharp(served).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 48]);
    expect(served.includes(Buffer.from('MamoriTestPhone'))).toBe(false);
    expect((await postMultipart(shop, owner, '/admin/settings', VALID, { name: 'logo.png', type: 'image/png', bytes: PNG })).statusCode).toBe(303);
  });

  it('shows the customer\'s order times in the time zone saved on the settings page', async () => {
    const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
    await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 1 } });
    const order = (await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout`, payload: GOOD_CUSTOMER })).json() as { orderId: string; accessToken: string };
    const { created_at } = await db().selectFrom('orders').where('id', '=', order.orderId).select('created_at').executeTakeFirstOrThrow();
    const tokyo = formatDateTime(created_at, 'ja', 'Asia/Tokyo');
    const newYork = formatDateTime(created_at, 'ja', 'America/New_York');
    expect(newYork).not.toBe(tokyo);
    expect((await shop.app.inject({ url: `/orders/${order.orderId}?token=${order.accessToken}&lang=ja` })).body).toContain(tokyo);
    expect((await postMultipart(shop, owner, '/admin/settings', { ...VALID, timeZone: 'America/New_York' })).statusCode).toBe(303);
    const page = (await shop.app.inject({ url: `/orders/${order.orderId}?token=${order.accessToken}&lang=ja` })).body;
    expect(page).toContain(newYork);
    expect(page).not.toContain(tokyo);
    // The back office reads the same saved zone: the order page, the order list's dates and the CSV.
    const adminPage = (await owner.get(`/admin/orders/${order.orderId}?lang=ja`)).body;
    expect(adminPage).toContain(newYork);
    expect(adminPage).not.toContain(tokyo);
    const csv = (await owner.get('/admin/orders.csv?lang=ja')).body;
    expect(csv).toContain(csvDateTime(created_at, 'America/New_York'));
    expect(csv).not.toContain(csvDateTime(created_at, 'Asia/Tokyo'));
    expect((await postMultipart(shop, owner, '/admin/settings', VALID)).statusCode).toBe(303);
    expect((await owner.get(`/admin/orders/${order.orderId}?lang=ja`)).body).toContain(tokyo);
  });

  it('shows prices before tax with the tax-inclusive total beside them when the settings say 税抜, and only the total when 税込', async () => {
    // 抹茶ラテ 200g: ￥1,296 with 8% tax, of which floor(1296 × 8 / 108) = ￥96 is tax.
    const product = async (lang: string) => (await shop.app.inject({ url: `/products/uji-matcha-latte?lang=${lang}` })).body;
    expect(await product('ja')).toContain('￥1,296 <small>税込</small>');
    expect(await product('ja')).not.toContain('￥1,200');
    expect((await postMultipart(shop, owner, '/admin/settings', { ...VALID, taxDisplay: 'exclusive' })).statusCode).toBe(303);
    expect(await product('ja')).toContain('￥1,200 <small>税抜</small> <small class="price-total">（税込 ￥1,296）</small>');
    expect(await product('en')).toContain('￥1,200 <small>excl. tax</small> <small class="price-total">(￥1,296 incl. tax)</small>');
    const catalog = (await shop.app.inject({ url: '/?lang=ja' })).body;
    expect(catalog).toContain('￥1,200〜 <small>税抜</small> <small class="price-total">（税込 ￥1,296〜）</small>');
    const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json() as { id: string };
    await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 2 } });
    const cartPage = (await shop.app.inject({ url: '/cart?lang=ja', cookies: { [CART_COOKIE]: cart.id } })).body;
    expect(cartPage).toContain('（税込 ￥1,296）');
    // What the customer pays does not change: the total stays tax-inclusive.
    expect(cartPage).toContain('￥2,592');
    expect((await postMultipart(shop, owner, '/admin/settings', VALID)).statusCode).toBe(303);
    expect(await product('ja')).toContain('￥1,296 <small>税込</small>');
  });

  it('edits a legal text with a preview that stores nothing; the saved text shows on the store page, escaped and audited', async () => {
    const editor = await owner.get('/admin/settings/legal/privacy?lang=ja');
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('{companyName}（以下「当店」');
    expect((await owner.get('/admin/settings/legal/nonsense')).statusCode).toBe(404);
    const ja = '## 当店の方針\n\n{companyName}は<script>alert(1)</script>を実行しません。\n- 項目A\n- 項目B';
    const preview = await owner.post('/admin/settings/legal/privacy?lang=ja', { 'body.ja': ja, 'body.en': '', action: 'preview' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<h3>当店の方針</h3>');
    expect(preview.body).toContain('株式会社まもりは&lt;script>alert(1)&lt;/script>を実行しません。');
    expect(preview.body).not.toContain('<script>alert(1)</script>');
    expect(await db().selectFrom('legal_texts').selectAll().execute()).toEqual([]);

    const card = await owner.post('/admin/settings/legal/privacy?lang=ja', { 'body.ja': 'カード 4111 1111 1111 1111', 'body.en': '', action: 'save' });
    expect(card.statusCode).toBe(400);
    expect(card.body).toContain('id="text-body-ja-error"');
    expect(card.body).not.toContain('4111 1111 1111 1111');
    expect(await db().selectFrom('legal_texts').selectAll().execute()).toEqual([]);

    const save = await owner.post('/admin/settings/legal/privacy', { 'body.ja': ja, 'body.en': '', action: 'save' });
    expect(save.statusCode).toBe(303);
    expect(save.headers.location).toBe('/admin/settings/legal/privacy?done=saved');
    const page = await shop.app.inject({ url: '/legal/privacy?lang=ja' });
    expect(page.body).toContain('<h2>当店の方針</h2>');
    expect(page.body).toContain('株式会社まもりは&lt;script>alert(1)&lt;/script>を実行しません。');
    expect(page.body).toContain('<li>項目A</li>');
    // English was left empty: the template still applies.
    expect((await shop.app.inject({ url: '/legal/privacy?lang=en' })).body).toContain('handles your personal information as follows');
    const audit = await auditOf('settings.legal_text_updated');
    expect(audit).toEqual([expect.objectContaining({ actor: `admin:${ownerId}`, target: 'legal_page:privacy' })]);

    // A 特定商取引法 section, and loading the template back into the form (nothing stored).
    expect((await owner.post('/admin/settings/legal/tokushoho', { 'returns.ja': '返品は商品到着後14日以内に承ります。', action: 'save' })).statusCode).toBe(303);
    expect((await shop.app.inject({ url: '/legal/tokushoho?lang=ja' })).body).toContain('返品は商品到着後14日以内に承ります。');
    const template = await owner.post('/admin/settings/legal/tokushoho', { action: 'template' });
    expect(template.statusCode).toBe(200);
    expect(template.body).toContain('商品到着後8日以内');
    expect((await shop.app.inject({ url: '/legal/tokushoho?lang=ja' })).body).toContain('返品は商品到着後14日以内に承ります。');
  });

  it('brings the warning back when a required item is cleared', async () => {
    expect((await owner.post('/admin/settings', { ...VALID, representative: '' })).statusCode).toBe(303);
    const dash = await owner.get('/admin?lang=ja');
    expect(dash.body).toContain('legal-notice-warning');
    expect(dash.body).toContain('<li>運営責任者</li>');
    expect(dash.body).not.toContain('<li>販売業者</li>');
    expect((await currentShopProfile(shop.context)).logoPath).toMatch(/^shop\/logo-/);
  });

  if (database.name === 'postgres') {
    it('drops its cached profile when another instance announces a save (NOTIFY)', async () => {
      expect((await currentShopProfile(shop.context)).shopName).toBe('まもり茶舗 本店');
      // Another instance's save: the row changes and the channel is notified, by another connection.
      await db().updateTable('shop_settings').set({ shop_name: '別インスタンスの名前' }).execute();
      // Heard after the shop's own subscriber (subscribers run in order), so the cache is dropped by then.
      let heard!: () => void;
      const heardIt = new Promise<void>((resolve) => { heard = resolve; });
      await shop.context.notifications!.subscribe(SHOP_PROFILE_CHANNEL, { notify: () => heard(), resync: () => {} });
      const { sql } = await import('kysely');
      await sql`select pg_notify(${SHOP_PROFILE_CHANNEL}, '')`.execute(db());
      await heardIt;
      expect((await currentShopProfile(shop.context)).shopName).toBe('別インスタンスの名前');
    });
  }
});
