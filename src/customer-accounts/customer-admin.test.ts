// 会員管理 on both databases: search (NFKC, LIKE wildcards taken literally), the account page with
// personal data for owner/staff only, disable (sessions end at once, sign-in refused) and enable
// with a reason in the audit log, and a formula-safe CSV export; every read of personal data audited.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { scryptHasher } from './account-runtime.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { openCustomerSession } from './customer-sessions.ts';
import { totpDb } from './totp-tables.ts';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('customer administration (会員管理)', (database) => {
  let shop: TestShop;
  const ids: Record<string, number> = {};

  let mailed: (m: OutgoingMail) => void = () => {};
  beforeAll(async () => {
    shop = await startTestShop(database, { env: { CUSTOMER_AUTH_PER_MINUTE: '100000' }, customerAccounts: { waitMs: async () => {} } });
    shop.context.mailer = { description: 'recording', send: async (m) => { mailed(m); } };
    const hash = await scryptHasher.hash(PASSWORD);
    const at = '2026-11-20T01:00:00.000Z';
    const people = [
      { email: 'hanako@example.jp', name: '山田 花子', verified: true },
      { email: 'taro_100@example.jp', name: '佐藤 太郎', verified: true },
      { email: 'taro9100@example.jp', name: '=HYPERLINK("http://evil.example")', verified: true },
      { email: 'new@example.jp', name: '鈴木 一郎', verified: false },
      { email: 'lost-phone@example.jp', name: '高橋 二郎', verified: true },
    ];
    for (const p of people) {
      const r = await shop.db.db.insertInto('customers').values({
        email: p.email, name: p.name, password_hash: hash, locale: 'ja', email_verified_at: p.verified ? at : null, disabled_at: null,
        totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      ids[p.email] = r.id;
    }
  });
  afterAll(async () => shop?.dispose());

  const audit = async (action: string) => (await shop.db.db.withTables<{ audit_log: { id: number; action: string; target: string | null; after_json: string | null } }>()
    .selectFrom('audit_log').where('action', '=', action).select(['target', 'after_json']).orderBy('id').execute());

  async function customerSignIn(email: string) {
    const page = await shop.app.inject({ url: '/account/login' });
    const csrf = csrfFromInject(page);
    return shop.app.inject({ method: 'POST', url: '/account/login', headers: formHeaders({ cookie: csrf.cookie }), remoteAddress: '203.0.113.9', payload: formWithCsrf(csrf, { email, password: PASSWORD }) });
  }

  it('lists and searches customers for staff, with wildcards taken literally and full-width input normalised, audited', async () => {
    const { account, secret } = await enrolledAccount(shop, 'members-staff@example.jp', 'staff');
    const b = await signIn(shop, 'members-staff@example.jp', account.id, secret);
    const all = await b.get('/admin/customers');
    expect(all.statusCode).toBe(200);
    for (const e of ['hanako@example.jp', 'taro_100@example.jp', 'new@example.jp']) expect(all.body).toContain(e);
    // `_` is a LIKE wildcard: unescaped, "taro_1" would also match taro9100.
    const literal = await b.get('/admin/customers?text=taro_1');
    expect(literal.body).toContain('taro_100@example.jp');
    expect(literal.body).not.toContain('taro9100@example.jp');
    // Full-width Latin (ＨＡＮＡＫＯ) finds hanako.
    const wide = await b.get(`/admin/customers?text=${encodeURIComponent('ＨＡＮＡＫＯ')}`);
    expect(wide.body).toContain('hanako@example.jp');
    expect(wide.body).not.toContain('taro_100@example.jp');
    const unverified = await b.get('/admin/customers?state=unverified');
    expect(unverified.body).toContain('new@example.jp');
    expect(unverified.body).not.toContain('hanako@example.jp');
    // A card number typed into the search is neither searched for nor written to the audit log.
    await b.get(`/admin/customers?text=${encodeURIComponent('4111 1111 1111 1111')}`);
    const searches = await audit('customers.searched');
    expect(searches.map((s) => JSON.parse(s.after_json!).filter.text)).toEqual(['taro_1', 'ＨＡＮＡＫＯ']);
    expect(JSON.stringify(searches)).not.toContain('4111');
  });

  it('shows personal data to staff (audited as a read) and not to the auditor, who cannot disable or export', async () => {
    const staff = await enrolledAccount(shop, 'members-staff2@example.jp', 'staff');
    const b = await signIn(shop, 'members-staff2@example.jp', staff.account.id, staff.secret);
    const page = await b.get(`/admin/customers/${ids['hanako@example.jp']}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('山田 花子');
    expect(page.body).toContain('hanako@example.jp');
    expect((await audit('customer.viewed')).map((r) => r.target)).toContain(`customer:${ids['hanako@example.jp']}`);

    const auditor = await enrolledAccount(shop, 'members-auditor@example.jp', 'auditor');
    const a = await signIn(shop, 'members-auditor@example.jp', auditor.account.id, auditor.secret);
    const list = await a.get('/admin/customers?text=hanako');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('hanako@example.jp');
    expect(list.body).not.toContain('山田');
    const view = await a.get(`/admin/customers/${ids['hanako@example.jp']}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('山田 花子');
    expect(view.body).not.toContain('disable');
    expect((await a.get('/admin/customers.csv')).statusCode).toBe(403);
    expect((await a.post(`/admin/customers/${ids['hanako@example.jp']}/disable`, { reason: 'x' })).statusCode).toBe(403);
    expect((await shop.app.inject({ url: '/admin/customers' })).statusCode).not.toBe(200);
  });

  it('disables an account with a reason: its sessions end and sign-in is refused; enabling restores sign-in', async () => {
    const { account, secret } = await enrolledAccount(shop, 'members-owner@example.jp', 'owner');
    const b = await signIn(shop, 'members-owner@example.jp', account.id, secret);
    const id = ids['taro_100@example.jp']!;
    const first = await customerSignIn('taro_100@example.jp');
    expect(first.statusCode).toBe(303);
    const sessions = () => shop.db.db.selectFrom('customer_sessions').where('customer_id', '=', id).select('id_hash').execute();
    expect((await sessions()).length).toBe(1);

    await b.get(`/admin/customers/${id}`);
    // No reason: the form comes back with a field message, nothing changes.
    const missing = await b.post(`/admin/customers/${id}/disable`, { reason: ' ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('理由を入力してください');
    expect((await shop.db.db.selectFrom('customers').where('id', '=', id).select('disabled_at').executeTakeFirstOrThrow()).disabled_at).toBeNull();

    const mail = new Promise<OutgoingMail>((resolve) => { mailed = resolve; });
    const done = await b.post(`/admin/customers/${id}/disable`, { reason: '不正注文の疑い' });
    expect(done.statusCode).toBe(303);
    const told = await mail;
    expect(told.to).toBe('taro_100@example.jp');
    expect(told.text).toContain('利用停止');
    expect(await sessions()).toEqual([]);
    const refused = await customerSignIn('taro_100@example.jp');
    expect(refused.statusCode).not.toBe(303);
    const again = await b.post(`/admin/customers/${id}/disable`, { reason: 'again' });
    expect(again.statusCode).toBe(409);
    const entries = await audit('customer.disabled');
    expect(entries.at(-1)!.target).toBe(`customer:${id}`);
    expect(JSON.parse(entries.at(-1)!.after_json!).reason).toBe('不正注文の疑い');

    await b.get(`/admin/customers/${id}`);
    expect((await b.post(`/admin/customers/${id}/enable`, { reason: '確認済み' })).statusCode).toBe(303);
    expect((await customerSignIn('taro_100@example.jp')).statusCode).toBe(303);
    expect((await audit('customer.enabled')).length).toBe(1);
    // Without the form's CSRF token nothing changes.
    expect((await b.post(`/admin/customers/${id}/disable`, { reason: 'csrf' }, { csrf: false })).statusCode).toBe(403);
    expect((await shop.db.db.selectFrom('customers').where('id', '=', id).select('disabled_at').executeTakeFirstOrThrow()).disabled_at).toBeNull();
  });

  it('exports a formula-safe CSV with Japanese headers, audited', async () => {
    const { account, secret } = await enrolledAccount(shop, 'members-export@example.jp', 'staff');
    const b = await signIn(shop, 'members-export@example.jp', account.id, secret);
    const r = await b.get('/admin/customers.csv?text=taro');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(r.body.startsWith('\uFEFF"会員ID","メール","氏名"')).toBe(true);
    const rows = r.body.trim().split('\r\n');
    expect(rows.length).toBe(3);
    expect(r.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(r.body).not.toContain('hanako');
    const exported = await audit('customers.exported');
    expect(JSON.parse(exported.at(-1)!.after_json!).rows).toBe(2);
  });
  it('turns a lost-phone customer\'s TOTP off with a reason: codes and every session gone, told by mail, audited; staff only', async () => {
    const id = ids['lost-phone@example.jp']!;
    const at = '2026-11-21T01:00:00.000Z';
    await shop.db.db.updateTable('customers').set({ totp_secret: 'sealed', totp_enrolled_at: at, totp_last_step: 1 }).where('id', '=', id).execute();
    await totpDb(shop.db.db).insertInto('customer_recovery_codes').values({ customer_id: id, code_hash: 'h', used_at: null }).execute();
    const client = { ip: '203.0.113.9', userAgent: 'test' };
    await openCustomerSession(shop.db.db, id, 'full', 'web', client, new Date(at));
    await openCustomerSession(shop.db.db, id, 'full', 'api', client, new Date(at));
    const state = async () => ({
      customer: await shop.db.db.selectFrom('customers').where('id', '=', id).select(['totp_secret', 'totp_enrolled_at']).executeTakeFirstOrThrow(),
      codes: (await totpDb(shop.db.db).selectFrom('customer_recovery_codes').where('customer_id', '=', id).select('id').execute()).length,
      sessions: (await shop.db.db.selectFrom('customer_sessions').where('customer_id', '=', id).select('id_hash').execute()).length,
    });

    // The auditor sees the state but has no form, and a post is refused.
    const auditor = await enrolledAccount(shop, 'totp-auditor@example.jp', 'auditor');
    const a = await signIn(shop, 'totp-auditor@example.jp', auditor.account.id, auditor.secret);
    const seen = await a.get(`/admin/customers/${id}`);
    expect(seen.body).toContain('2段階認証');
    expect(seen.body).not.toContain('reset-totp');
    expect((await a.post(`/admin/customers/${id}/reset-totp`, { reason: 'x' })).statusCode).toBe(403);

    const { account, secret } = await enrolledAccount(shop, 'totp-staff@example.jp', 'staff');
    const b = await signIn(shop, 'totp-staff@example.jp', account.id, secret);
    const page = await b.get(`/admin/customers/${id}`);
    expect(page.body).toContain(`action="/admin/customers/${id}/reset-totp"`);
    const missing = await b.post(`/admin/customers/${id}/reset-totp`, { reason: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('id="customer-totp-reason-error"');
    expect(await state()).toMatchObject({ codes: 1, sessions: 2, customer: { totp_enrolled_at: at } });
    // Without the form's CSRF token nothing changes.
    expect((await b.post(`/admin/customers/${id}/reset-totp`, { reason: 'csrf' }, { csrf: false })).statusCode).toBe(403);
    expect((await state()).codes).toBe(1);

    const mail = new Promise<OutgoingMail>((resolve) => { mailed = resolve; });
    const done = await b.post(`/admin/customers/${id}/reset-totp`, { reason: '電話で登録住所と直近の注文番号を確認' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/admin/customers/${id}?done=totp-reset`);
    expect(await state()).toEqual({ customer: { totp_secret: null, totp_enrolled_at: null }, codes: 0, sessions: 0 });
    const told = await mail;
    expect(told.to).toBe('lost-phone@example.jp');
    expect(told.text).toContain('2段階認証（確認コード）を解除しました');
    const entries = await audit('customer.totp_reset');
    expect(entries.length).toBe(1);
    expect(entries[0]!.target).toBe(`customer:${id}`);
    expect(JSON.parse(entries[0]!.after_json!).reason).toBe('電話で登録住所と直近の注文番号を確認');
    // A second reset finds nothing to turn off; the page no longer offers the form.
    expect((await b.post(`/admin/customers/${id}/reset-totp`, { reason: 'again' })).statusCode).toBe(409);
    expect((await b.get(`/admin/customers/${id}`)).body).not.toContain('reset-totp');
    expect((await audit('customer.totp_reset')).length).toBe(1);
  });
});
