// Optional TOTP for customer accounts over HTTP (inject), on both databases, clock injected:
// enrol (confirmed by a code), sign-in with password then code, a wrong code, a replayed code,
// a recovery code once, the throttle's lock, new recovery codes, turning it off with password and
// code; the mails, the export (never the secret) and deletion.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { scryptHasher } from './account-runtime.ts';
import { totpCodeAt } from '../admin/totp.ts';
import { customerNeedsSecondFactor } from './customer-totp.ts';
import { totpDb } from './totp-tables.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'totp@example.jp';

describeEachDatabase('customer TOTP', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T00:00:10.000Z');
  const mails: OutgoingMail[] = [];
  let customerId: number;

  beforeAll(async () => {
    shop = await startTestShop(database, {
      clock: () => now,
      env: { CUSTOMER_AUTH_PER_MINUTE: '100000', CUSTOMER_LOCKOUT_PER_ADDRESS: '4' },
      customerAccounts: { waitMs: async () => {} },
    });
    shop.context.mailer = { description: 'recording', send: async (m) => { mails.push(m); } };
    const at = now.toISOString();
    customerId = (await shop.db.db.insertInto('customers').values({
      email: EMAIL, name: '二段 花子', password_hash: await scryptHasher.hash(PASSWORD), locale: 'ja', email_verified_at: at, disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => shop?.dispose());

  const get = (url: string, cookie = '') => shop.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  async function post(pageUrl: string, action: string, fields: Record<string, string>, cookie = '', ip = '203.0.113.7'): Promise<LightMyRequestResponse> {
    const csrf = csrfFromInject(await get(pageUrl, cookie));
    return shop.app.inject({ method: 'POST', url: action, headers: formHeaders({ cookie: [cookie, csrf.cookie].filter(Boolean).join('; ') }), remoteAddress: ip, payload: formWithCsrf(csrf, fields) });
  }
  const session = (r: LightMyRequestResponse) => `mamori_customer=${r.cookies.find((c) => c.name === 'mamori_customer')!.value}`;
  const later = (s: number) => { now = new Date(now.getTime() + s * 1000); };
  let secret = '';

  it('enrols: the page shows a QR code and the key; a wrong code is refused; a right one turns it on with 10 recovery codes, mailed', async () => {
    const login = await post('/account/login', '/account/login', { email: EMAIL, password: PASSWORD });
    expect(login.headers.location).toMatch(/^\/account\?/);
    const cookie = session(login);
    const enrol = await get('/account/totp', cookie);
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toContain('<svg');
    secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    // Sealed at rest: the stored value is not the secret.
    const row = await shop.db.db.selectFrom('customers').where('id', '=', customerId).select(['totp_secret', 'totp_enrolled_at']).executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_enrolled_at).toBeNull();
    const wrong = await post('/account/totp', '/account/totp', { code: '000000' === totpCodeAt(secret, now) ? '111111' : '000000' }, cookie);
    expect(wrong.statusCode).toBe(400);
    expect(await customerNeedsSecondFactor(shop.db.db, customerId)).toBe(false);
    mails.length = 0;
    const ok = await post('/account/totp', '/account/totp', { code: totpCodeAt(secret, now) }, cookie);
    expect(ok.statusCode).toBe(200);
    const codes = [...ok.body.matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    recovery.push(...codes);
    expect(await customerNeedsSecondFactor(shop.db.db, customerId)).toBe(true);
    const stored = await totpDb(shop.db.db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).select('code_hash').execute();
    expect(stored.map((s) => s.code_hash)).not.toContain(codes[0]);
    expect(mails.map((m) => m.text).join('\n')).toContain('2段階認証（確認コード）を有効にしました');
  });
  const recovery: string[] = [];

  async function passwordStep(ip = '203.0.113.7'): Promise<string> {
    const r = await post('/account/login', '/account/login', { email: EMAIL, password: PASSWORD }, '', ip);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toMatch(/^\/account\/login\/totp/);
    const pending = session(r);
    // Not signed in yet: the account page sends back to the sign-in.
    expect((await get('/account', pending)).statusCode).toBe(303);
    return pending;
  }

  it('signs in with password then code (session rotated); a wrong code and a replayed code are refused', async () => {
    later(60);
    const pending = await passwordStep();
    const wrong = await post('/account/login/totp', '/account/login/totp', { code: totpCodeAt(secret, new Date(now.getTime() + 10 * 60_000)) }, pending);
    expect(wrong.statusCode).toBe(401);
    const code = totpCodeAt(secret, now);
    const ok = await post('/account/login/totp', '/account/login/totp', { code }, pending);
    expect(ok.statusCode).toBe(303);
    const full = session(ok);
    expect(full).not.toBe(pending);
    expect((await get('/account', full)).statusCode).toBe(200);
    expect((await get('/account', pending)).statusCode).toBe(303);
    // The same code again, within its window, from a second password step: refused.
    later(5);
    const again = await passwordStep();
    expect((await post('/account/login/totp', '/account/login/totp', { code }, again)).statusCode).toBe(401);
  });

  it('a recovery code works once, and its use is mailed', async () => {
    later(60);
    mails.length = 0;
    const pending = await passwordStep();
    const ok = await post('/account/login/totp', '/account/login/totp', { code: recovery[0]! }, pending);
    expect(ok.statusCode).toBe(303);
    expect(mails.map((m) => m.text).join('\n')).toContain('回復コードを1つ使ってログインしました（残り9個）');
    const second = await passwordStep();
    expect((await post('/account/login/totp', '/account/login/totp', { code: recovery[0]! }, second)).statusCode).toBe(401);
  });

  it('wrong codes lock the second step for that address (the right code is refused then); the clock moving on lifts it', async () => {
    later(60);
    const ip = '192.0.2.77';
    let pending = await passwordStep(ip);
    const bad = totpCodeAt(secret, new Date(now.getTime() + 20 * 60_000));
    for (let i = 0; i < 4; i++) {
      const r = await post('/account/login/totp', '/account/login/totp', { code: bad }, pending, ip);
      expect(r.statusCode).toBe(401);
    }
    pending = await passwordStep(ip);
    const locked = await post('/account/login/totp', '/account/login/totp', { code: totpCodeAt(secret, now) }, pending, ip);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toContain('しばらく入力できません');
    later(16 * 60);
    pending = await passwordStep(ip);
    expect((await post('/account/login/totp', '/account/login/totp', { code: totpCodeAt(secret, now) }, pending, ip)).statusCode).toBe(303);
  });

  it('new recovery codes: password and code needed (field messages, codes kept otherwise, wrong codes throttled); the old ones stop working, a new one signs in; mailed', async () => {
    later(60);
    const full = session(await post('/account/login/totp', '/account/login/totp', { code: totpCodeAt(secret, now) }, await passwordStep()));
    const account = await get('/account', full);
    expect(account.body).toContain('action="/account/totp/recovery-codes"');
    const hashes = async () => (await totpDb(shop.db.db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).select('code_hash').execute()).map((r) => r.code_hash).sort();
    const before = await hashes();
    expect(before).toHaveLength(10);
    later(31); // the sign-in spent this time step's code
    mails.length = 0;
    const wrongPassword = await post('/account', '/account/totp/recovery-codes', { renewPassword: 'not the password!', renewCode: totpCodeAt(secret, now) }, full);
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.body).toMatch(/<p class="field-error" id="renewPassword-error">現在のパスワードが正しくありません。<\/p>/);
    expect(wrongPassword.body).toMatch(/id="renewPassword"[^>]*aria-invalid="true"/);
    const wrongCode = await post('/account', '/account/totp/recovery-codes', { renewPassword: PASSWORD, renewCode: '12345' }, full);
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.body).toMatch(/<p class="field-error" id="renewCode-error">確認コードが正しくないか、すでに使われています。<\/p>/);
    expect(await hashes()).toEqual(before);
    expect(mails).toEqual([]);

    const ok = await post('/account', '/account/totp/recovery-codes', { renewPassword: PASSWORD, renewCode: totpCodeAt(secret, now) }, full);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('新しい回復コード');
    const fresh = [...ok.body.matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => recovery.includes(c))).toEqual([]);
    const after = await hashes();
    expect(after).toHaveLength(10);
    expect(after.filter((h) => before.includes(h))).toEqual([]);
    expect(mails.map((m) => m.text).join('\n')).toContain('2段階認証の回復コードを作り直しました');
    expect((await get('/account?done=totpRecoveryRenewed', full)).body).toContain('新しい回復コードを作りました');

    // An old, unused code no longer signs in; a new one does (once).
    expect((await post('/account/login/totp', '/account/login/totp', { code: recovery[1]! }, await passwordStep())).statusCode).toBe(401);
    expect((await post('/account/login/totp', '/account/login/totp', { code: fresh[0]! }, await passwordStep())).statusCode).toBe(303);

    // Wrong codes here count in the code step's throttle: locked, even the right code is refused, at the field.
    later(31);
    const ip = '192.0.2.88';
    for (let i = 0; i < 4; i++) expect((await post('/account', '/account/totp/recovery-codes', { renewPassword: PASSWORD, renewCode: '000000' === totpCodeAt(secret, now) ? '111111' : '000000' }, full, ip)).statusCode).toBe(400);
    const locked = await post('/account', '/account/totp/recovery-codes', { renewPassword: PASSWORD, renewCode: totpCodeAt(secret, now) }, full, ip);
    expect(locked.statusCode).toBe(400);
    expect(locked.body).toMatch(/id="renewCode-error">確認コードの誤りが続いたため、しばらく入力できません。/);
    expect(await hashes()).toEqual(after);
    later(16 * 60);
  });

  it('the export says TOTP is on without the secret; turning it off needs the password and a code, and is mailed', async () => {
    later(60);
    const pending = await passwordStep();
    const full = session(await post('/account/login/totp', '/account/login/totp', { code: totpCodeAt(secret, now) }, pending));
    const data = await get('/account/data.json', full);
    expect(data.statusCode).toBe(200);
    const json = JSON.parse(data.body) as { account: { twoStepVerification: boolean }; recoveryCodes: { total: number; usedAt: string[] } };
    expect(json.account.twoStepVerification).toBe(true);
    expect(json.recoveryCodes.total).toBe(10);
    expect(json.recoveryCodes.usedAt).toHaveLength(1);
    const sealed = (await shop.db.db.selectFrom('customers').where('id', '=', customerId).select('totp_secret').executeTakeFirstOrThrow()).totp_secret!;
    expect(data.body).not.toContain(secret);
    expect(data.body).not.toContain(sealed);
    expect(data.body).not.toContain('totp_secret');

    later(60);
    expect((await post('/account', '/account/totp/disable', { totpPassword: 'not the password!', totpCode: totpCodeAt(secret, now) }, full)).statusCode).toBe(400);
    expect((await post('/account', '/account/totp/disable', { totpPassword: PASSWORD, totpCode: '12345' }, full)).statusCode).toBe(400);
    expect(await customerNeedsSecondFactor(shop.db.db, customerId)).toBe(true);
    mails.length = 0;
    const off = await post('/account', '/account/totp/disable', { totpPassword: PASSWORD, totpCode: totpCodeAt(secret, now) }, full);
    expect(off.statusCode).toBe(303);
    expect(await customerNeedsSecondFactor(shop.db.db, customerId)).toBe(false);
    expect(mails.map((m) => m.text).join('\n')).toContain('2段階認証（確認コード）を無効にしました');
    expect(await totpDb(shop.db.db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).selectAll().execute()).toEqual([]);
    const login = await post('/account/login', '/account/login', { email: EMAIL, password: PASSWORD });
    expect(login.headers.location).toMatch(/^\/account\?/);
  });

  it('deleting the account removes its recovery codes', async () => {
    // On again, then deleted.
    later(60);
    const cookie = session(await post('/account/login', '/account/login', { email: EMAIL, password: PASSWORD }));
    const enrol = await get('/account/totp', cookie);
    const s = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    expect((await post('/account/totp', '/account/totp', { code: totpCodeAt(s, now) }, cookie)).statusCode).toBe(200);
    expect((await post('/account', '/account/delete', { deletePassword: PASSWORD }, cookie)).statusCode).toBe(200);
    expect(await totpDb(shop.db.db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).selectAll().execute()).toEqual([]);
    expect(await shop.db.db.selectFrom('customers').where('id', '=', customerId).selectAll().execute()).toEqual([]);
  });
});
