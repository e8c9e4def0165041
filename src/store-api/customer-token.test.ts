// Store API customer tokens on both databases: issue (only a SHA-256 stored) and refusal
// (unverified, disabled, second factor), no enumeration (same status, body, headers and password
// work for a known and an unknown e-mail), the login throttle shared with the HTML login,
// revocation (sign-out, password change, disable, deletion), own orders only, checkout linking,
// the fixed expiry (clock injected), and the token kept out of the log.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { cartWithLines } from '../../test/support/store-api-checkout.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { loggerOptions } from '../http/logger.ts';
import { accountRuntime, scryptHasher, type PasswordHasher } from '../customer-accounts/account-runtime.ts';
import { issueCustomerApiToken } from '../customer-accounts/customer-api-tokens.ts';
import { changePassword } from '../customer-accounts/change-account.ts';
import { setCustomerDisabled } from '../customer-accounts/customer-admin.ts';
import { deleteCustomer } from '../customer-accounts/account-queries.ts';

const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;

describeEachDatabase('Store API customer tokens', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T00:00:00.000Z');
  const work = { hash: 0, verify: 0 };
  const delays: number[] = [];
  const logLines: string[] = [];
  const counting: PasswordHasher = {
    hash: (p) => { work.hash++; return scryptHasher.hash(p); },
    verify: (p, s) => { work.verify++; return scryptHasher.verify(p, s); },
  };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const stream = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
    shop = await startTestShop(database, {
      clock: () => now,
      logger: pino(loggerOptions('debug'), stream),
      env: { CUSTOMER_AUTH_PER_MINUTE: '100000', CUSTOMER_LOGIN_DELAY_STEP_MS: '500', CUSTOMER_LOCKOUT_PER_ADDRESS: '4', CUSTOMER_API_TOKEN_DAYS: '30' },
      customerAccounts: { passwords: counting, waitMs: async (ms) => { delays.push(ms); } },
    });
    shop.context.mailer = { description: 'recording', send: async () => {} };
    const hash = await scryptHasher.hash(PASSWORD);
    const at = '2026-11-20T01:00:00.000Z';
    const people = [
      { email: 'hanako@example.jp', verified: true, disabled: false, totp: false },
      { email: 'jiro@example.jp', verified: true, disabled: false, totp: false },
      { email: 'new@example.jp', verified: false, disabled: false, totp: false },
      { email: 'gone@example.jp', verified: true, disabled: true, totp: false },
      { email: 'totp@example.jp', verified: true, disabled: false, totp: true },
      { email: 'changer@example.jp', verified: true, disabled: false, totp: false },
      { email: 'leaver@example.jp', verified: true, disabled: false, totp: false },
      { email: 'locked@example.jp', verified: true, disabled: false, totp: false },
    ];
    for (const p of people) {
      const r = await shop.db.db.insertInto('customers').values({
        email: p.email, name: '山田 花子', password_hash: hash, locale: 'ja', email_verified_at: p.verified ? at : null, disabled_at: p.disabled ? at : null,
        totp_secret: null, totp_enrolled_at: p.totp ? at : null, totp_last_step: null, created_at: at, updated_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      ids[p.email] = r.id;
    }
  });
  afterAll(async () => shop?.dispose());

  const login = (email: string, password = PASSWORD, ip = '203.0.113.7') =>
    shop.app.inject({ method: 'POST', url: '/api/store/customers/token', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { email, password } });
  async function tokenFor(email: string): Promise<string> {
    const r = await login(email);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().token as string;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token?: string) => shop.app.inject({ url, headers: token ? bearer(token) : {} });
  async function checkout(token?: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const cartId = await cartWithLines(shop);
    return shop.app.inject({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: { ...(token ? bearer(token) : {}), ...headers }, payload: GOOD_CUSTOMER });
  }
  const apiSessions = (email: string) => shop.db.db.selectFrom('customer_sessions').where('customer_id', '=', ids[email]!).where('kind', '=', 'api').selectAll().execute();

  it('issues a 32-byte base64url token, stores only its SHA-256, and the token opens /me with no-store', async () => {
    const r = await login('hanako@example.jp');
    expect(r.statusCode).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['set-cookie']).toBeUndefined();
    const body = r.json() as { token: string; tokenType: string; expiresAt: string };
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(body.token, 'base64url').length).toBe(32);
    expect(body.tokenType).toBe('Bearer');
    expect(body.expiresAt).toBe(new Date(now.getTime() + 30 * DAY).toISOString());
    const rows = await apiSessions('hanako@example.jp');
    expect(rows.map((s) => s.id_hash)).toEqual([createHash('sha256').update(body.token).digest('hex')]);
    expect(JSON.stringify(rows)).not.toContain(body.token);
    const me = await get('/api/store/customers/me', body.token);
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.json()).toEqual({ email: 'hanako@example.jp', name: '山田 花子', locale: 'ja', twoStepVerification: false, createdAt: '2026-11-20T01:00:00.000Z' });
    const none = await get('/api/store/customers/me');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="store-api"');
    const wrong = await get('/api/store/customers/me', 'A'.repeat(43));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().code).toBe('MAMORI_ERR_INVALID_BEARER_TOKEN');
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('gives no token to an unverified, a disabled or a second-factor account, nor for a wrong password', async () => {
    const cases: [string, string, string][] = [
      ['hanako@example.jp', 'not the password at all', 'MAMORI_ERR_INVALID_CREDENTIALS'],
      ['new@example.jp', PASSWORD, 'MAMORI_ERR_EMAIL_NOT_VERIFIED'],
      ['gone@example.jp', PASSWORD, 'MAMORI_ERR_INVALID_CREDENTIALS'],
      ['totp@example.jp', PASSWORD, 'MAMORI_ERR_SECOND_FACTOR_REQUIRED'],
    ];
    for (const [email, password, code] of cases) {
      const r = await login(email, password, '198.51.100.1');
      expect(r.statusCode, email).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code, email).toBe(code);
    }
    for (const email of ['new@example.jp', 'gone@example.jp', 'totp@example.jp']) expect(await apiSessions(email), email).toEqual([]);
    // A card number typed as the e-mail is refused before any sign-in work.
    const before = work.verify;
    expect((await login('4111 1111 1111 1111', PASSWORD)).statusCode).toBe(400);
    expect(work.verify).toBe(before);
  });

  /** The answer without what differs per response anyway: the date, the CSP nonce and the per-client rate-limit count. */
  const normalised = (r: LightMyRequestResponse) => ({
    status: r.statusCode, body: r.body,
    headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'content-security-policy', 'x-ratelimit-remaining', 'x-ratelimit-reset'].includes(k)).map(([k, v]) => [k, String(v)])),
  });

  it('no enumeration: a known e-mail (wrong password, or disabled) and an unknown one get the same answer, work and delay', async () => {
    const measure = async (email: string, password: string, ip: string) => {
      const before = { ...work };
      const d = delays.length;
      const r = await login(email, password, ip);
      return { r: normalised(r), work: { hash: work.hash - before.hash, verify: work.verify - before.verify }, delays: delays.slice(d) };
    };
    const known = await measure('jiro@example.jp', 'wrong password here', '198.51.100.20');
    const unknown = await measure('nobody@example.jp', 'wrong password here', '198.51.100.21');
    const disabled = await measure('gone@example.jp', PASSWORD, '198.51.100.22');
    expect(known.r.status).toBe(401);
    expect(known.work).toEqual({ hash: 0, verify: 1 });
    expect(known.delays).toEqual([500]);
    expect(unknown).toEqual(known);
    expect(disabled).toEqual(known);
  });

  it('the very first sign-in of a process costs the same hashing for a known and an unknown e-mail (the decoy is made either way)', async () => {
    const count = async (email: string) => {
      const w = { hash: 0, verify: 0 };
      const rt = accountRuntime(shop.context, { passwords: { hash: (p) => { w.hash++; return scryptHasher.hash(p); }, verify: (p, s) => { w.verify++; return scryptHasher.verify(p, s); } } });
      const r = await issueCustomerApiToken(rt, email, 'wrong password here', { ip: '198.51.100.30', userAgent: '' });
      expect(r.ok).toBe(false);
      return w;
    };
    const known = await count('jiro@example.jp');
    expect(known).toEqual({ hash: 1, verify: 1 });
    expect(await count('nobody2@example.jp')).toEqual(known);
  });

  it('failed sign-ins are delayed more each time and lock the e-mail from that address, for the HTML login too; another address is not affected', async () => {
    delays.length = 0;
    const ip = '192.0.2.50';
    for (let i = 0; i < 4; i++) expect((await login('locked@example.jp', 'not the password!', ip)).statusCode).toBeGreaterThanOrEqual(401);
    expect(delays).toEqual([500, 1000, 1500, 2000]);
    const locked = await login('locked@example.jp', PASSWORD, ip);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('MAMORI_ERR_SIGN_IN_LOCKED');
    expect(locked.headers['retry-after']).toBe('900');
    // The HTML login shares the counters: locked from the same address as well.
    const page = await shop.app.inject({ url: '/account/login' });
    const csrf = csrfFromInject(page);
    const html = await shop.app.inject({ method: 'POST', url: '/account/login', remoteAddress: ip, headers: formHeaders({ cookie: csrf.cookie }), payload: formWithCsrf(csrf, { email: 'locked@example.jp', password: PASSWORD }) });
    expect(html.statusCode).toBe(401);
    expect((await login('locked@example.jp', PASSWORD, '192.0.2.99')).statusCode).toBe(201);
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await login('locked@example.jp', PASSWORD, ip)).statusCode).toBe(201);
  });

  it('revokes: DELETE ends that token only; a password change, disabling and deleting the account end them all', async () => {
    const a = await tokenFor('changer@example.jp');
    const b = await tokenFor('changer@example.jp');
    const out = await shop.app.inject({ method: 'DELETE', url: '/api/store/customers/token', headers: bearer(a) });
    expect(out.statusCode).toBe(204);
    expect((await get('/api/store/customers/me', a)).statusCode).toBe(401);
    expect((await get('/api/store/customers/me', b)).statusCode).toBe(200);
    expect((await shop.app.inject({ method: 'DELETE', url: '/api/store/customers/token', headers: bearer(a) })).statusCode).toBe(401);

    const rt = accountRuntime(shop.context);
    const customer = await shop.db.db.selectFrom('customers').where('id', '=', ids['changer@example.jp']!).selectAll().executeTakeFirstOrThrow();
    const changed = await changePassword(rt, customer, PASSWORD, 'a brand new passphrase 2026', 'no-web-session', shop.context.logger);
    expect(changed.ok).toBe(true);
    expect((await get('/api/store/customers/me', b)).statusCode).toBe(401);

    const c = await tokenFor('jiro@example.jp');
    expect((await get('/api/store/customers/me', c)).statusCode).toBe(200);
    const r = await setCustomerDisabled(shop.db.db, ids['jiro@example.jp']!, true, 'test', { label: 'owner', ip: '127.0.0.1' }, now);
    expect(r.ok).toBe(true);
    expect((await get('/api/store/customers/me', c)).statusCode).toBe(401);
    await setCustomerDisabled(shop.db.db, ids['jiro@example.jp']!, false, 'test', { label: 'owner', ip: '127.0.0.1' }, now);
    // Enabling again brings no old token back.
    expect((await get('/api/store/customers/me', c)).statusCode).toBe(401);

    const d = await tokenFor('leaver@example.jp');
    await deleteCustomer(shop.db.db, ids['leaver@example.jp']!);
    expect((await get('/api/store/customers/me', d)).statusCode).toBe(401);
  });

  it('checkout with a token links the order; the history shows own orders only, another customer\'s is a 404; a bad token is a 401 and no order', async () => {
    const hanako = await tokenFor('hanako@example.jp');
    const jiro = await tokenFor('jiro@example.jp');
    const placed = await checkout(hanako);
    expect(placed.statusCode, placed.body).toBe(201);
    const { orderId, orderNumber } = placed.json() as { orderId: string; orderNumber: string };
    const link = await shop.db.db.selectFrom('customer_orders').where('order_id', '=', orderId).select('customer_id').executeTakeFirst();
    expect(link?.customer_id).toBe(ids['hanako@example.jp']);

    const guest = await checkout();
    expect(guest.statusCode).toBe(201);
    expect(await shop.db.db.selectFrom('customer_orders').where('order_id', '=', guest.json().orderId).select('customer_id').executeTakeFirst()).toBeUndefined();

    const list = await get('/api/store/customers/me/orders', hanako);
    expect(list.statusCode).toBe(200);
    expect(list.json().orders.map((o: { orderNumber: string }) => o.orderNumber)).toEqual([orderNumber]);
    const one = await get(`/api/store/customers/me/orders/${orderNumber}`, hanako);
    expect(one.statusCode).toBe(200);
    expect(one.json().orderNumber).toBe(orderNumber);
    expect(one.json().items.length).toBe(1);
    expect((await get(`/api/store/customers/me/orders/${orderNumber.toLowerCase()}`, hanako)).statusCode).toBe(200);

    const theirs = await get(`/api/store/customers/me/orders/${orderNumber}`, jiro);
    expect(theirs.statusCode).toBe(404);
    const none = await get('/api/store/customers/me/orders/MA-0000-0000', jiro);
    expect(theirs.body).toBe(none.body.replace('MA-0000-0000', orderNumber));
    expect((await get('/api/store/customers/me/orders', jiro)).json().orders).toEqual([]);
    expect((await get(`/api/store/customers/me/orders/${orderNumber}`)).statusCode).toBe(401);

    const count = async () => Number((await shop.db.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const headers of [bearer('B'.repeat(43)), { authorization: 'Basic aGFuYWtvOng=' }, { authorization: 'Bearer' }]) {
      const refused = await checkout(undefined, headers);
      expect(refused.statusCode, headers.authorization).toBe(401);
      expect(refused.json().code).toBe('MAMORI_ERR_INVALID_BEARER_TOKEN');
    }
    expect(await count()).toBe(before);
  });

  it('pages the history newest first by cursor and refuses a cursor it did not give out', async () => {
    const token = await tokenFor('hanako@example.jp');
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 60_000);
      numbers.unshift((await checkout(token)).json().orderNumber);
    }
    const first = (await get('/api/store/customers/me/orders?limit=2', token)).json();
    expect(first.orders.map((o: { orderNumber: string }) => o.orderNumber)).toEqual(numbers.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    // An order placed between two pages does not shift the next one (keyset, not offset).
    now = new Date(now.getTime() + 60_000);
    expect((await checkout(token)).statusCode).toBe(201);
    const second = (await get(`/api/store/customers/me/orders?limit=2&cursor=${first.nextCursor}`, token)).json();
    // The third new order, then the one from the checkout test; nothing after them.
    expect(second.orders.map((o: { orderNumber: string }) => o.orderNumber)[0]).toBe(numbers[2]);
    expect(second.orders.length).toBe(2);
    expect(second.nextCursor).toBeNull();
    expect((await get('/api/store/customers/me/orders?cursor=not-ours', token)).statusCode).toBe(400);
    expect((await get('/api/store/customers/me/orders?limit=51', token)).statusCode).toBe(400);
  });

  it('a token ends 30 days after issue, used or not (fixed, not sliding)', async () => {
    const issuedAt = now;
    const token = await tokenFor('hanako@example.jp');
    now = new Date(issuedAt.getTime() + 29 * DAY);
    expect((await get('/api/store/customers/me', token)).statusCode).toBe(200);
    now = new Date(issuedAt.getTime() + 30 * DAY - 60_000);
    expect((await get('/api/store/customers/me', token)).statusCode).toBe(200);
    now = new Date(issuedAt.getTime() + 30 * DAY + 60_000);
    expect((await get('/api/store/customers/me', token)).statusCode).toBe(401);
  });

  it('keeps at most ten tokens per account, dropping the oldest', async () => {
    for (let i = 0; i < 12; i++) { now = new Date(now.getTime() + 1000); await tokenFor('hanako@example.jp'); }
    expect((await apiSessions('hanako@example.jp')).length).toBe(10);
  });

  it('never writes a token or the Authorization header to the log', async () => {
    const token = await tokenFor('hanako@example.jp');
    await get('/api/store/customers/me', token);
    await get('/api/store/customers/me/orders?cursor=broken', token);
    await checkout(undefined, bearer('C'.repeat(43)));
    await shop.app.inject({ method: 'DELETE', url: '/api/store/customers/token', headers: bearer(token) });
    const text = logLines.join('');
    expect(text).toContain('/api/store/customers/me');
    expect(text).not.toContain(token);
    expect(text).not.toContain('C'.repeat(43));
    expect(text).not.toMatch(/Bearer [A-Za-z0-9_-]/);
    expect(text).not.toContain(PASSWORD);
  });
});
