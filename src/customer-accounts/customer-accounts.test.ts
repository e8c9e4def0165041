// Customer accounts over HTTP (inject), on both databases: registration with a single-use,
// expiring verification link, sign-in with a rotated server-side session, sign-out; no account
// enumeration through registration, sign-in and reset (same answer, same work — counted, not
// timed); the growing delay and the lock on failed sign-ins (clock injected, delay recorded); a
// password reset ending every session and Store API token of the account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { scryptHasher, type PasswordHasher } from './account-runtime.ts';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('customer accounts', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T00:00:00.000Z');
  const mails: OutgoingMail[] = [];
  const work = { hash: 0, verify: 0 };
  const delays: number[] = [];
  const counting: PasswordHasher = {
    hash: (p) => { work.hash++; return scryptHasher.hash(p); },
    verify: (p, s) => { work.verify++; return scryptHasher.verify(p, s); },
  };

  beforeAll(async () => {
    shop = await startTestShop(database, {
      clock: () => now,
      env: { SHOP_NAME: 'まもり茶舗', CUSTOMER_AUTH_PER_MINUTE: '100000', CUSTOMER_LOGIN_DELAY_STEP_MS: '500', CUSTOMER_LOCKOUT_PER_ADDRESS: '4', CUSTOMER_VERIFY_LINK_MINUTES: '60' },
      customerAccounts: { passwords: counting, waitMs: async (ms) => { delays.push(ms); } },
    });
    shop.context.mailer = { description: 'recording', send: async (m) => { mails.push(m); } };
  });
  afterAll(async () => shop?.dispose());

  // The recording mailer's send runs when the mail is dispatched, before the answer is sent.
  const settle = async () => {};
  const get = (url: string, cookie = '') => shop.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  async function post(pageUrl: string, action: string, fields: Record<string, string>, cookie = '', ip = '203.0.113.7'): Promise<LightMyRequestResponse> {
    const page = await get(pageUrl, cookie);
    const csrf = csrfFromInject(page);
    const allCookies = [cookie, csrf.cookie].filter(Boolean).join('; ');
    return shop.app.inject({ method: 'POST', url: action, headers: formHeaders({ cookie: allCookies }), remoteAddress: ip, payload: formWithCsrf(csrf, fields) });
  }
  const linkIn = (m: OutgoingMail) => /https?:\/\/\S+token=[A-Za-z0-9_-]+\S*/.exec(m.text)![0];
  const pathOf = (link: string) => { const u = new URL(link); return u.pathname + u.search; };
  const sessionCookie = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'mamori_customer');

  async function registerAndVerify(email: string): Promise<void> {
    mails.length = 0;
    const r = await post('/account/register', '/account/register', { email, name: '山田 花子', password: PASSWORD });
    expect(r.statusCode).toBe(200);
    await settle();
    const link = pathOf(linkIn(mails.find((m) => m.to === email)!));
    const confirm = await get(link);
    expect(confirm.statusCode).toBe(200);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const done = await post(link, '/account/verify', { token });
    expect(done.body).toContain(shop.app.shop.config.shopName === 'まもり茶舗' ? 'メールアドレスを確認しました' : '');
  }

  async function signIn(email: string, password = PASSWORD, ip = '203.0.113.7'): Promise<LightMyRequestResponse> {
    return post('/account/login', '/account/login', { email, password }, '', ip);
  }

  it('registers, verifies by a single-use link, signs in with a new HttpOnly SameSite=Lax session, and signs out', async () => {
    await registerAndVerify('hanako@example.jp');
    const first = mails[0]!;
    expect(first.subject).toContain('メールアドレスの確認');
    // The link is spent: a second use is refused.
    const token = new URL(linkIn(first)).searchParams.get('token')!;
    const again = await post('/account/register', '/account/verify', { token });
    expect(again.statusCode).toBe(400);

    // A session id planted before sign-in is not the one after it (rotation).
    const planted = 'mamori_customer=' + 'A'.repeat(43);
    const login = await post('/account/login', '/account/login', { email: 'hanako@example.jp', password: PASSWORD }, planted);
    expect(login.statusCode).toBe(303);
    const cookie = sessionCookie(login)!;
    expect(cookie.value).not.toBe('A'.repeat(43));
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy(); // plain-HTTP test shop; Secure follows PUBLIC_URL's https
    const account = await get('/account', `mamori_customer=${cookie.value}`);
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('hanako@example.jp');
    expect(account.headers['cache-control']).toContain('no-store');

    const out = await post('/account', '/account/logout', {}, `mamori_customer=${cookie.value}`);
    expect(out.statusCode).toBe(303);
    const after = await get('/account', `mamori_customer=${cookie.value}`);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/account/login');
  });

  it('refuses every POST without the CSRF token', async () => {
    const r = await shop.app.inject({ method: 'POST', url: '/account/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=hanako%40example.jp&password=x' });
    expect(r.statusCode).toBe(403);
  });

  it('an expired verification link is refused', async () => {
    mails.length = 0;
    await post('/account/register', '/account/register', { email: 'late@example.jp', name: '遅刻', password: PASSWORD });
    await settle();
    const link = pathOf(linkIn(mails[0]!));
    now = new Date(now.getTime() + 61 * 60_000);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    expect((await get(link)).statusCode).toBe(400);
    expect((await post('/account/register', '/account/verify', { token })).statusCode).toBe(400);
  });

  it('refuses passwords that are short, common, or hold the shop name or the e-mail, at the field', async () => {
    for (const password of ['short', 'password1234', 'まもり茶舗のお茶が好き!!', 'new.person-2026-xyz']) {
      const r = await post('/account/register', '/account/register', { email: 'new.person@example.jp', name: '新規', password });
      expect(r.statusCode, password).toBe(400);
      expect(r.body).toContain('aria-invalid="true"');
    }
  });

  /** The page without what differs per response anyway: CSRF token, CSP nonce, the per-client rate-limit count and its window's second. */
  const normalised = (r: LightMyRequestResponse) => ({
    status: r.statusCode,
    body: r.body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce-[A-Za-z0-9+/=_-]+|nonce="[^"]+"/g, '').replace(/[^\s"<>]+@example\.jp/g, 'EMAIL'),
    headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'content-length', 'set-cookie', 'content-security-policy', 'x-ratelimit-remaining', 'x-ratelimit-reset'].includes(k)).map(([k, v]) => [k, String(v)])),
  });

  it('no enumeration: registration, sign-in and reset answer the same for an existing and an unknown e-mail, with the same hashing work', async () => {
    await registerAndVerify('taro@example.jp');
    const compare = async (run: (email: string) => Promise<LightMyRequestResponse>) => {
      const before = { ...work };
      const known = await run('taro@example.jp');
      const knownWork = { hash: work.hash - before.hash, verify: work.verify - before.verify };
      const mid = { ...work };
      const unknown = await run('nobody@example.jp');
      const unknownWork = { hash: work.hash - mid.hash, verify: work.verify - mid.verify };
      expect(normalised(unknown)).toEqual(normalised(known));
      expect(unknownWork).toEqual(knownWork);
      return knownWork;
    };
    // Registration: one hash each; the existing address gets a mail saying so, the new one a link.
    mails.length = 0;
    expect(await compare((email) => post('/account/register', '/account/register', { email, name: '太郎', password: 'another long passphrase 9' }))).toEqual({ hash: 1, verify: 0 });
    await settle();
    expect(mails.find((m) => m.to === 'taro@example.jp')!.subject).toContain('会員登録のお申し込みについて');
    expect(mails.find((m) => m.to === 'nobody@example.jp')!.subject).toContain('メールアドレスの確認');
    // Sign-in with a wrong password: one scrypt comparison each (a decoy hash for the unknown one), same delay.
    delays.length = 0;
    expect(await compare((email) => signIn(email, 'wrong password here', '198.51.100.20'))).toEqual({ hash: 0, verify: 1 });
    expect(delays[0]).toBe(delays[1]);
    // Reset: the same page; no password work at all.
    expect(await compare((email) => post('/account/password-reset', '/account/password-reset', { email }))).toEqual({ hash: 0, verify: 0 });
  });

  it('a password reset through the mailed link ends every web session and Store API token of the account, and no other account\'s', async () => {
    await registerAndVerify('forgetful@example.jp');
    await registerAndVerify('bystander@example.jp');
    const web = `mamori_customer=${sessionCookie(await signIn('forgetful@example.jp'))!.value}`;
    const other = `mamori_customer=${sessionCookie(await signIn('bystander@example.jp'))!.value}`;
    const issued = await shop.app.inject({ method: 'POST', url: '/api/store/customers/token', remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/json' }, payload: { email: 'forgetful@example.jp', password: PASSWORD } });
    expect(issued.statusCode, issued.body).toBe(201);
    const me = () => shop.app.inject({ url: '/api/store/customers/me', headers: { authorization: `Bearer ${issued.json().token as string}` } });
    expect((await get('/account', web)).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);

    mails.length = 0;
    expect((await post('/account/password-reset', '/account/password-reset', { email: 'forgetful@example.jp' })).statusCode).toBe(200);
    await settle();
    const link = pathOf(linkIn(mails.find((m) => m.to === 'forgetful@example.jp')!));
    expect(link).toMatch(/^\/account\/password-reset\/confirm\?/);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const done = await post(link, '/account/password-reset/confirm', { token, password: 'a fresh passphrase for 2027' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('action="/account/login"');

    // Whoever held the old password's session or token is out, on both ways in.
    const page = await get('/account', web);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('/account/login');
    const api = await me();
    expect(api.statusCode).toBe(401);
    expect(api.json().code).toBe('MAMORI_ERR_INVALID_BEARER_TOKEN');
    expect((await get('/account', other)).statusCode).toBe(200);
    expect((await signIn('forgetful@example.jp')).statusCode).toBe(401);
    expect((await signIn('forgetful@example.jp', 'a fresh passphrase for 2027')).statusCode).toBe(303);
  });

  it('failed sign-ins are delayed more each time and locked per e-mail and address; another address is not affected', async () => {
    delays.length = 0;
    const ip = '192.0.2.50';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn('hanako@example.jp', 'not the password!', ip)).statusCode);
    expect(delays).toEqual([500, 1000, 1500, 2000]);
    // The fourth failure locked the pair: even the right password is refused from there.
    const locked = await signIn('hanako@example.jp', PASSWORD, ip);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toContain('しばらくログインできません');
    expect((await signIn('hanako@example.jp', PASSWORD, '192.0.2.99')).statusCode).toBe(303);
    // After the lock, the clock moves on and the right password works again from the first address.
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await signIn('hanako@example.jp', PASSWORD, ip)).statusCode).toBe(303);
  });
});

describe('customer session cookie over HTTPS', () => {
  it('is __Host- prefixed', async () => {
    const { customerSessionCookie } = await import('./customer-sessions.ts');
    expect(customerSessionCookie(true)).toBe('__Host-mamori_customer');
  });
});
