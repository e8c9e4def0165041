// /admin/settings/payments and the order page's "record payment" on both databases: the owner
// saves methods, bank account and terms (audited, one transaction); bad input re-renders the form
// field by field and saves nothing; staff may not open the settings. Staff record a bank transfer
// from the order page: a wrong amount is a form error and changes nothing; the right one pays the
// order once, audited, with the note on the timeline; COD is collected after shipping.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { csrfOf, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';
import { DEFAULT_PAYMENT_SETTINGS, loadPaymentSettings } from './payment-settings.ts';

let currentShop: TestShop | undefined;

describeEachDatabase('payment settings and recorded payments in the back office', (database) => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database, { payments: new ScriptedGateway(), reconcileAtStart: false });
    currentShop = shop;
    await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
  });
  afterAll(async () => { await shop?.dispose(); });

  const db = () => shop.db.db as Kysely<any>;
  const form = (over: Record<string, string | string[]> = {}) => ({
    enabled: ['card', 'bank_transfer', 'cod'], bankTransferAccount: '三井住友銀行 渋谷支店\n普通 1234567\nカ）マモリ',
    bankTransferDays: '5', bankTransferNote: '振込手数料はお客様のご負担となります。',
    codUpTo1: '10,000', codFee1: '330', codUpTo2: '３００００', codFee2: '440円', konbiniDeadlineDays: '3', ...over,
  });
  const pairsOf = (fields: Record<string, string | string[]>) => Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]));
  const post = (client: ReturnType<typeof withRepeatedFields>, url: string, fields: Record<string, string | string[]>) => client.postForm(url, pairsOf(fields));

  it('lets the owner save methods and terms, audited; refuses bad input field by field; staff get 403', async () => {
    const owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const o = withRepeatedFields(await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret));
    const page = await o.get('/admin/settings/payments');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('お支払い方法の設定');
    expect(page.body).toContain('name="codUpTo10"');
    // The sandbox-less test gateway issues no konbini numbers: the page says why it cannot be on.
    expect(page.body).toContain('id="enabled-konbini-hint"');

    const bad = await post(o, '/admin/settings/payments', form({ enabled: [], bankTransferDays: '0', codUpTo2: '5000', codFee3: 'abc', bankTransferAccount: '4242 4242 4242 4242' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="bankTransferDays-error"');
    expect(bad.body).toContain('id="codFee3-error"');
    expect(bad.body).toContain('id="bankTransferAccount-error"');
    expect(bad.body).not.toContain('4242 4242 4242 4242');
    expect(bad.body).toContain('value="5000"'); // what was typed stays
    const order = await post(o, '/admin/settings/payments', form({ codUpTo2: '5000' }));
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain('id="codUpTo1-error"'); // bands out of order
    const none = await post(o, '/admin/settings/payments', form({ enabled: [] }));
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('id="enabled-error"');
    const konbini = await post(o, '/admin/settings/payments', form({ enabled: ['card', 'konbini'] }));
    expect(konbini.statusCode).toBe(400);
    expect(konbini.body).toContain('現在の決済代行会社はコンビニ決済に対応していません。');
    expect(await loadPaymentSettings(shop.db.db)).toEqual(DEFAULT_PAYMENT_SETTINGS);
    expect(await db().selectFrom('audit_log').where('action', '=', 'settings.payments.updated').select('id').execute()).toEqual([]);

    const good = await post(o, '/admin/settings/payments', form());
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/admin/settings/payments?done=saved');
    expect(await loadPaymentSettings(shop.db.db)).toEqual({
      enabled: ['card', 'bank_transfer', 'cod'], bankTransferDays: 5, bankTransferNote: '振込手数料はお客様のご負担となります。',
      codFees: [{ upTo: 10_000, fee: 330 }, { upTo: 30_000, fee: 440 }], konbiniDeadlineDays: 3,
    });
    expect((await currentShopProfile(shop)).bankTransferAccount).toBe('三井住友銀行 渋谷支店\n普通 1234567\nカ）マモリ');
    const audit = await db().selectFrom('audit_log').where('action', '=', 'settings.payments.updated').select(['actor', 'target', 'ip', 'before_json', 'after_json']).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: `admin:${owner.account.id}`, target: 'settings:payments' });
    expect(JSON.parse(audit[0]!.before_json).enabled).toEqual(['card']);
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({ bankTransferDays: 5, bankTransferAccount: expect.stringContaining('普通 1234567') });
    const saved = await o.get('/admin/settings/payments?done=saved');
    expect(saved.body).toContain('お支払い方法の設定を保存しました。');
    expect(saved.body).toContain('value="bank_transfer" checked');

    const staff = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    const s = withRepeatedFields(await signIn(shop, 'staff@example.jp', staff.account.id, staff.secret));
    expect((await s.get('/admin/settings/payments')).statusCode).toBe(403);
    expect((await post(s, '/admin/settings/payments', form({ enabled: ['card'] }))).statusCode).toBe(403);
    expect((await loadPaymentSettings(shop.db.db)).enabled).toEqual(['card', 'bank_transfer', 'cod']);
    // Without the form's CSRF token the owner's post is refused too.
    const forged = await o.postForm('/admin/settings/payments', pairsOf(form({ enabled: 'card' })), { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await loadPaymentSettings(shop.db.db)).enabled).toEqual(['card', 'bank_transfer', 'cod']);
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    shop.app.inject({ method, url, remoteAddress: '127.0.0.1', ...(payload === undefined ? {} : { payload: payload as object }) });
  async function placeOrder(paymentMethod: string) {
    const v = await shop.db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('p.status', '=', 'active').select('v.id').orderBy('v.id').executeTakeFirstOrThrow();
    const cart = (await api('POST', '/api/store/carts')).json();
    expect((await api('POST', `/api/store/carts/${cart.id}/items`, { variantId: v.id, quantity: 1 })).statusCode).toBe(201);
    const r = await api('POST', `/api/store/carts/${cart.id}/checkout`, { ...GOOD_CUSTOMER, paymentMethod });
    expect(r.statusCode).toBe(201);
    return r.json() as { orderId: string; total: number };
  }
  const orderRow = (id: string) => db().selectFrom('orders').where('id', '=', id).select(['status', 'paid_at', 'payment_provider', 'total']).executeTakeFirstOrThrow();

  it('records a bank transfer from the order page: wrong amount is a form error, the exact total pays it once, audited, with the note', async () => {
    const staff = await enrolledAccount(shop, 'staff2@example.jp', 'staff');
    const s = withRepeatedFields(await signIn(shop, 'staff2@example.jp', staff.account.id, staff.secret));
    const placed = await placeOrder('bank_transfer');
    const page = await s.get(`/admin/orders/${placed.orderId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('銀行振込（前払い）');
    expect(page.body).toContain(`action="/admin/orders/${placed.orderId}/record-payment"`);
    expect(page.body).toContain('入金を記録');

    const wrong = await s.post(`/admin/orders/${placed.orderId}/record-payment`, { amount: String(placed.total - 1), note: '振込名義 ヤマダハナコ' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('id="record-amount-error"');
    expect(wrong.body).toContain('金額がご注文金額');
    expect(wrong.body).toContain(`value="${placed.total - 1}"`);
    const junk = await s.post(`/admin/orders/${placed.orderId}/record-payment`, { amount: '千円', note: '' });
    expect(junk.statusCode).toBe(400);
    expect(junk.body).toContain('金額を整数（円）で入力してください。');
    expect(await orderRow(placed.orderId)).toMatchObject({ status: 'pending_payment', paid_at: null });

    const right = await s.post(`/admin/orders/${placed.orderId}/record-payment`, { amount: placed.total.toLocaleString('ja-JP'), note: '振込名義 ヤマダハナコ' });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`/admin/orders/${placed.orderId}?done=paid`);
    expect(await orderRow(placed.orderId)).toMatchObject({ status: 'paid', payment_provider: 'bank_transfer' });
    const after = await s.get(`/admin/orders/${placed.orderId}?done=paid`);
    expect(after.body).toContain('入金を記録しました。');
    expect(after.body).toContain('入金メモ：振込名義 ヤマダハナコ');
    expect(after.body).not.toContain(`action="/admin/orders/${placed.orderId}/record-payment"`);
    const again = await s.post(`/admin/orders/${placed.orderId}/record-payment`, { amount: String(placed.total), note: '' });
    expect(again.statusCode).toBe(409);
    const audit = await db().selectFrom('audit_log').where('action', '=', 'order.paid').where('target', '=', `order:${placed.orderId}`).select('actor').execute();
    expect(audit).toEqual([{ actor: `admin:${staff.account.id}` }]);

    // The auditor sees no orders at all; the vendor neither.
    const auditor = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
    const a = withRepeatedFields(await signIn(shop, 'auditor@example.jp', auditor.account.id, auditor.secret));
    const other = await placeOrder('bank_transfer');
    expect((await a.post(`/admin/orders/${other.orderId}/record-payment`, { amount: String(other.total), note: '' })).statusCode).toBe(403);
    expect((await orderRow(other.orderId)).status).toBe('pending_payment');
  });

  it('cash on delivery: shipped unpaid from the order page, then its collection recorded', async () => {
    const staff = await enrolledAccount(shop, 'staff3@example.jp', 'staff');
    const s = withRepeatedFields(await signIn(shop, 'staff3@example.jp', staff.account.id, staff.secret));
    const placed = await placeOrder('cod');
    const page = await s.get(`/admin/orders/${placed.orderId}`);
    expect(page.body).toContain('代金引換（未回収）');
    expect(page.body).toContain(`action="/admin/orders/${placed.orderId}/fulfil"`);
    expect((await s.post(`/admin/orders/${placed.orderId}/fulfil`, { carrier: 'ヤマト運輸', trackingNumber: '1234-5678-9012' })).statusCode).toBe(303);
    const shipped = await s.get(`/admin/orders/${placed.orderId}`);
    expect(shipped.body).toContain('代金回収を記録');
    const r = await s.post(`/admin/orders/${placed.orderId}/record-payment`, { amount: String(placed.total), note: '伝票 1234-5678-9012' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/admin/orders/${placed.orderId}?done=collected`);
    const row = await orderRow(placed.orderId);
    expect(row.status).toBe('fulfilled');
    expect(row.paid_at).not.toBeNull();
    const timeline = (await s.get(`/admin/orders/${placed.orderId}?done=collected`)).body;
    expect(timeline).toContain('代金回収を記録しました');
    expect(timeline).toMatch(/代金引換 ￥[\d,]+ を回収/);
    expect(timeline).toContain('入金メモ：伝票 1234-5678-9012');
  });
});

type AdminClient = Awaited<ReturnType<typeof signIn>>;

/** The admin client with a poster for repeated fields (a checkbox group), with its cookies and a fresh CSRF token. */
function withRepeatedFields(client: AdminClient) {
  return Object.assign(client, {
    async postForm(url: string, pairs: [string, string][], o: { csrf?: false } = {}) {
      const token = csrfOf((await client.get('/admin')).body);
      const body = new URLSearchParams(pairs);
      if (o.csrf !== false) body.set('_csrf', token);
      const shop = currentShop!;
      return shop.app.inject({ method: 'POST', url, headers: { cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    },
  });
}
