// API-level tests of back-office access: first-owner setup, login with TOTP, CSRF, session
// fixation, lockout (see also admin-login-hardening.test.ts), expiry, logout everywhere, IP allow-list, vendor time-box. Both databases.
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { adminDb } from './admin-tables.ts';
import { ensureSetupLink } from './setup-link.ts';
import { totpCodeAt } from './totp.ts';
import { adminBrowser, enrolledAccount, freshTotp, signIn, TEST_PASSWORD } from '../../test/support/admin-test-client.ts';

// Failed logins answer at once here; the increasing delay itself is not what these tests time.

async function auditActions(shop: TestShop): Promise<string[]> {
  const rows = await shop.db.db.withTables<{ audit_log: { id: number; action: string } }>().selectFrom('audit_log').select(['action']).orderBy('id').execute();
  return rows.map((r) => r.action);
}

/** When the latest lockout of an account ends, as its audit entry says. */
async function lockedUntilOf(shop: TestShop, accountId: number): Promise<string | undefined> {
  const rows = await shop.db.db.withTables<{ audit_log: { id: number; action: string; target: string | null; after_json: string | null } }>()
    .selectFrom('audit_log').where('action', '=', 'admin.lockout').where('target', '=', `account:${accountId}`).select('after_json').orderBy('id', 'desc').limit(1).execute();
  return rows[0] ? (JSON.parse(rows[0].after_json!) as { lockedUntil: string }).lockedUntil : undefined;
}

for (const database of DATABASES) {
  describe(`admin access on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('creates the first owner through the one-time setup link, then enrols MFA at first login', async () => {
      const link = await ensureSetupLink(shop.db.db, shop.config.publicUrl, new Date());
      expect(link).toMatch(/\/admin\/setup\?token=[A-Za-z0-9_-]{43}$/);
      const path = new URL(link!).pathname + new URL(link!).search;
      const b = adminBrowser(shop);
      expect((await b.get(path)).statusCode).toBe(200);
      const token = new URL(link!).searchParams.get('token')!;

      const weak = await b.post('/admin/setup', { token, email: 'owner@example.jp', password: 'password1234', passwordConfirm: 'password1234' });
      expect(weak.statusCode).toBe(400);
      const created = await b.post('/admin/setup', { token, email: 'owner@example.jp', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
      expect(created.statusCode).toBe(303);
      expect(created.headers.location).toBe('/admin/login?m=created');
      // Usable once, and no new link once an owner exists.
      expect((await b.get(path)).statusCode).toBe(410);
      expect((await b.post('/admin/setup', { token, email: 'second@example.jp', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD })).statusCode).toBe(410);
      expect(await ensureSetupLink(shop.db.db, shop.config.publicUrl, new Date())).toBeUndefined();

      await b.get('/admin/login');
      expect((await b.post('/admin/login', { email: 'owner@example.jp', password: TEST_PASSWORD })).headers.location).toBe('/admin/mfa');
      // Not signed in yet: the dashboard sends the half-authenticated session back to the second factor.
      expect((await b.get('/admin')).headers.location).toBe('/admin/mfa');
      const enrol = await b.get('/admin/mfa');
      expect(enrol.body).toContain('<svg');
      const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
      const storedSecret = await adminDb(shop.db.db).selectFrom('admin_accounts').where('email', '=', 'owner@example.jp').select('totp_secret').executeTakeFirstOrThrow();
      expect(storedSecret.totp_secret).toMatch(/^v1\./); // encrypted at rest
      expect(storedSecret.totp_secret).not.toContain(secret);
      expect((await b.post('/admin/mfa/enrol', { code: '000000' })).statusCode).toBe(401);
      const done = await b.post('/admin/mfa/enrol', { code: totpCodeAt(secret, new Date()) });
      expect(done.statusCode).toBe(200);
      const codes = [...done.body.matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/g)].map((m) => m[1]);
      expect(codes).toHaveLength(10);
      const dashboard = await b.get('/admin');
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.headers['cache-control']).toBe('no-store');
      const actions = await auditActions(shop);
      expect(actions).toEqual(expect.arrayContaining(['account.created', 'auth.login_failed', 'mfa.enrolled', 'auth.login_succeeded']));
      const stored = await adminDb(shop.db.db).selectFrom('admin_recovery_codes').select('code_hash').execute();
      expect(stored.map((s) => s.code_hash)).not.toContain(codes[0]); // hashed

      // A recovery code signs in once, and only once.
      const r1 = adminBrowser(shop);
      await r1.get('/admin/login');
      await r1.post('/admin/login', { email: 'owner@example.jp', password: TEST_PASSWORD });
      await r1.get('/admin/mfa');
      expect((await r1.post('/admin/mfa/verify', { code: codes[0]! })).headers.location).toBe('/admin');
      const r2 = adminBrowser(shop);
      await r2.get('/admin/login');
      await r2.post('/admin/login', { email: 'owner@example.jp', password: TEST_PASSWORD });
      await r2.get('/admin/mfa');
      expect((await r2.post('/admin/mfa/verify', { code: codes[0]! })).statusCode).toBe(401);
    });

    it('refuses admin forms without a valid CSRF token', async () => {
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      expect((await b.post('/admin/login', { email: 'x@example.jp', password: TEST_PASSWORD }, { csrf: false })).statusCode).toBe(403);
      expect((await b.post('/admin/login', { email: 'x@example.jp', password: TEST_PASSWORD }, { csrf: 'forged' })).statusCode).toBe(403);
      const { account, secret } = await enrolledAccount(shop, 'csrf-owner@example.jp', 'owner');
      const signed = await signIn(shop, 'csrf-owner@example.jp', account.id, secret);
      const r = await signed.post('/admin/accounts', { email: 'new@example.jp', role: 'staff', password: 'Another-long-passphrase-7' }, { csrf: false });
      expect(r.statusCode).toBe(403);
      expect(await adminDb(shop.db.db).selectFrom('admin_accounts').where('email', '=', 'new@example.jp').select('id').executeTakeFirst()).toBeUndefined();
    });

    it('never reuses a session id from before login (session fixation): new ids after password and after TOTP', async () => {
      const { account, secret } = await enrolledAccount(shop, 'fixation@example.jp', 'staff');
      const b = adminBrowser(shop);
      const planted = 'A'.repeat(43);
      b.jar.set('mamori_admin', planted);
      await b.get('/admin/login');
      await b.post('/admin/login', { email: 'fixation@example.jp', password: TEST_PASSWORD });
      const passwordStage = b.jar.get('mamori_admin')!;
      expect(passwordStage).not.toBe(planted);
      await b.get('/admin/mfa');
      await b.post('/admin/mfa/verify', { code: await freshTotp(shop, account.id, secret) });
      const full = b.jar.get('mamori_admin')!;
      expect(full).not.toBe(passwordStage);
      // The password-stage id is dead: it cannot be used, even for the second factor.
      const old = adminBrowser(shop);
      old.jar.set('mamori_admin', passwordStage);
      expect((await old.get('/admin')).headers.location).toBe('/admin/login');
      expect((await old.get('/admin/mfa')).headers.location).toBe('/admin/login');
      expect((await b.get('/admin')).statusCode).toBe(200);
      const cookie = (await (async () => {
        const c = adminBrowser(shop);
        await c.get('/admin/login');
        return c.post('/admin/login', { email: 'fixation@example.jp', password: TEST_PASSWORD });
      })()).cookies.find((c) => c.name === 'mamori_admin')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    });

    it('locks the account at the sixth consecutive failure, for 15 minutes, and audits each failure and the lock', async () => {
      const { account, secret } = await enrolledAccount(shop, 'lockout@example.jp', 'staff');
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      for (let i = 1; i <= 5; i++) {
        const r = await b.post('/admin/login', { email: 'lockout@example.jp', password: `wrong-password-${i}-xyz` });
        expect(r.statusCode).toBe(401);
        expect(r.body).not.toContain('ロックされています'); // no lock message before the sixth failure
      }
      const sixth = await b.post('/admin/login', { email: 'lockout@example.jp', password: 'wrong-password-6-xyz' });
      expect(sixth.statusCode).toBe(401);
      const lockedUntil = await lockedUntilOf(shop, account.id);
      expect(Date.parse(lockedUntil!) - Date.now()).toBeGreaterThan(14 * 60_000);
      // The right password does not help while locked.
      const right = await b.post('/admin/login', { email: 'lockout@example.jp', password: TEST_PASSWORD });
      expect(right.statusCode).toBe(401);
      expect(b.jar.get('mamori_admin')).toBeUndefined();
      const log = await shop.db.db.withTables<{ audit_log: { id: number; action: string; target: string | null } }>()
        .selectFrom('audit_log').where('target', '=', `account:${account.id}`).select(['action']).orderBy('id').execute();
      expect(log.filter((l) => l.action === 'auth.login_failed')).toHaveLength(7);
      expect(log.filter((l) => l.action === 'admin.lockout')).toHaveLength(1);
      // After the lock expires the account can sign in again.
      await adminDb(shop.db.db).updateTable('admin_login_throttle').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('locked_until', '=', lockedUntil!).execute();
      await signIn(shop, 'lockout@example.jp', account.id, secret);
    });

    it('counts wrong TOTP codes towards the same lock', async () => {
      const { account } = await enrolledAccount(shop, 'totp-lock@example.jp', 'staff');
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      await b.post('/admin/login', { email: 'totp-lock@example.jp', password: TEST_PASSWORD });
      await b.get('/admin/mfa');
      let last;
      for (let i = 0; i < 6; i++) last = await b.post('/admin/mfa/verify', { code: String(100000 + i) });
      expect(last!.statusCode).toBe(401);
      expect(b.jar.get('mamori_admin')).toBeUndefined();
      expect(await lockedUntilOf(shop, account.id)).toBeDefined();
    });

    it('expires a session after 15 idle minutes and after 12 hours in all, and logs out everywhere', async () => {
      const { account, secret } = await enrolledAccount(shop, 'expiry@example.jp', 'auditor');
      const db = adminDb(shop.db.db);
      const idle = await signIn(shop, 'expiry@example.jp', account.id, secret);
      const absolute = await signIn(shop, 'expiry@example.jp', account.id, secret);
      const other = await signIn(shop, 'expiry@example.jp', account.id, secret);
      const { hashSessionId } = await import('./admin-sessions.ts');
      await db.updateTable('admin_sessions').set({ last_seen_at: new Date(Date.now() - 16 * 60_000).toISOString() }).where('id_hash', '=', hashSessionId(idle.jar.get('mamori_admin')!)).execute();
      await db.updateTable('admin_sessions').set({ created_at: new Date(Date.now() - 12 * 3600_000 - 1000).toISOString() }).where('id_hash', '=', hashSessionId(absolute.jar.get('mamori_admin')!)).execute();
      expect((await idle.get('/admin')).headers.location).toBe('/admin/login?m=expired');
      expect((await absolute.get('/admin')).headers.location).toBe('/admin/login?m=expired');
      expect((await other.get('/admin')).statusCode).toBe(200);

      const second = await signIn(shop, 'expiry@example.jp', account.id, secret);
      const out = await other.post('/admin/logout-everywhere', {});
      expect(out.headers.location).toBe('/admin/login?m=loggedout');
      expect((await second.get('/admin')).statusCode).toBe(303);
      expect((await db.selectFrom('admin_sessions').where('account_id', '=', account.id).selectAll().execute())).toHaveLength(0);
    });

    it('refuses a vendor whose time-boxed access has ended, and a disabled account', async () => {
      const { account: vendor, secret } = await enrolledAccount(shop, 'vendor-ended@example.jp', 'vendor', { access_expires_at: new Date(Date.now() - 60_000).toISOString() });
      await enrolledAccount(shop, 'disabled@example.jp', 'staff', { disabled: 1 });
      for (const email of ['vendor-ended@example.jp', 'disabled@example.jp']) {
        const b = adminBrowser(shop);
        await b.get('/admin/login');
        expect((await b.post('/admin/login', { email, password: TEST_PASSWORD })).statusCode).toBe(401);
      }
      // A session still open when the time-box ends stops working at once.
      await adminDb(shop.db.db).updateTable('admin_accounts').set({ access_expires_at: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', vendor.id).execute();
      const b = await signIn(shop, 'vendor-ended@example.jp', vendor.id, secret);
      expect((await b.get('/admin/status')).statusCode).toBe(200);
      await adminDb(shop.db.db).updateTable('admin_accounts').set({ access_expires_at: new Date(Date.now() - 1).toISOString() }).where('id', '=', vendor.id).execute();
      expect((await b.get('/admin/status')).statusCode).toBe(303);
    });

    it('lets the owner create, re-role and disable accounts, ending the changed account\'s sessions', async () => {
      const { account: owner, secret } = await enrolledAccount(shop, 'boss@example.jp', 'owner');
      const b = await signIn(shop, 'boss@example.jp', owner.id, secret);
      await b.get('/admin/accounts');
      expect((await b.post('/admin/accounts', { email: 'weak@example.jp', role: 'staff', password: 'qwerty123456' })).statusCode).toBe(400);
      const created = await b.post('/admin/accounts', { email: 'Clerk@Example.jp', role: 'staff', password: 'Another-long-passphrase-7', refundLimit: '3000' });
      expect(created.statusCode).toBe(200);
      const db = adminDb(shop.db.db);
      const clerk = await db.selectFrom('admin_accounts').where('email', '=', 'clerk@example.jp').selectAll().executeTakeFirstOrThrow();
      expect(clerk).toMatchObject({ role: 'staff', refund_limit: 3000, mfa_enrolled_at: null });
      await db.insertInto('admin_sessions').values({ id_hash: 'x'.repeat(64), account_id: clerk.id, stage: 'full', created_at: new Date().toISOString(), last_seen_at: new Date().toISOString(), ip: '127.0.0.1', user_agent: '' }).execute();
      const updated = await b.post(`/admin/accounts/${clerk.id}`, { role: 'vendor', accessExpiresAt: '2030-01-31T09:00', disabled: '1' });
      expect(updated.statusCode).toBe(200);
      expect(await db.selectFrom('admin_accounts').where('id', '=', clerk.id).select(['role', 'access_expires_at', 'disabled', 'refund_limit']).executeTakeFirstOrThrow())
        .toEqual({ role: 'vendor', access_expires_at: '2030-01-31T09:00:00.000Z', disabled: 1, refund_limit: null });
      expect(await db.selectFrom('admin_sessions').where('account_id', '=', clerk.id).selectAll().execute()).toHaveLength(0);
      expect((await b.post(`/admin/accounts/${owner.id}`, { role: 'staff' })).statusCode).toBe(400); // not oneself

      // A staff member lost their phone: the owner resets MFA; they enrol again at the next login.
      const { account: lost, secret: lostSecret } = await enrolledAccount(shop, 'lost-phone@example.jp', 'staff');
      const lostSession = await signIn(shop, 'lost-phone@example.jp', lost.id, lostSecret);
      // Without the owner's fresh confirmation code nothing changes.
      await b.get(`/admin/accounts/${lost.id}`);
      expect((await b.post(`/admin/accounts/${lost.id}/reset-totp`, { reason: 'lost phone', code: '000000' })).statusCode).toBe(400);
      expect((await db.selectFrom('admin_accounts').where('id', '=', lost.id).select('mfa_enrolled_at').executeTakeFirstOrThrow()).mfa_enrolled_at).not.toBeNull();
      expect((await b.post(`/admin/accounts/${lost.id}/reset-totp`, { reason: 'lost phone', code: await freshTotp(shop, owner.id, secret) })).statusCode).toBe(303);
      expect(await db.selectFrom('admin_accounts').where('id', '=', lost.id).select(['totp_secret', 'mfa_enrolled_at']).executeTakeFirstOrThrow()).toEqual({ totp_secret: null, mfa_enrolled_at: null });
      expect((await lostSession.get('/admin')).statusCode).toBe(303);
      const again = adminBrowser(shop);
      await again.get('/admin/login');
      await again.post('/admin/login', { email: 'lost-phone@example.jp', password: TEST_PASSWORD });
      expect((await again.get('/admin/mfa')).body).toContain('id="totp-secret"');
      expect(await auditActions(shop)).toContain('mfa.reset');
      expect(await auditActions(shop)).toEqual(expect.arrayContaining(['account.created', 'account.updated']));
    });
  });

  describe(`admin session cookie over HTTPS on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false, env: { PUBLIC_URL: 'https://shop.example.jp' } }); });
    afterAll(async () => { await shop?.dispose(); });

    it('is __Secure- prefixed, Secure, HttpOnly, SameSite=Strict and scoped to /admin', async () => {
      await enrolledAccount(shop, 'https@example.jp', 'owner');
      const page = await shop.app.inject({ url: '/admin/login' });
      const preSession = page.cookies.find((c) => c.name === '__Host-mamori_admin_pre')!;
      // `__Host-`: Secure, Path=/, no Domain, so no other host under the domain can plant it.
      expect(preSession).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(preSession.domain).toBeUndefined();
      const token = csrfTokenOf(page.body);
      const r = await shop.app.inject({
        method: 'POST', url: '/admin/login',
        headers: { cookie: `__Host-mamori_admin_pre=${preSession.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, email: 'https@example.jp', password: TEST_PASSWORD }).toString(),
      });
      expect(r.statusCode).toBe(303);
      const cookie = r.cookies.find((c) => c.name.endsWith('mamori_admin'))!;
      expect(cookie).toMatchObject({ name: '__Secure-mamori_admin', secure: true, httpOnly: true, sameSite: 'Strict', path: '/admin' });
      expect(cookie.domain).toBeUndefined();
    });
  });

  describe(`admin IP allow-list on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => {
      shop = await startTestShop(database, { seedDemoCatalog: false, env: { ADMIN_ALLOWED_IPS: '203.0.113.0/24, 2001:db8::/32' } });
    });
    afterAll(async () => { await shop?.dispose(); });

    it('refuses /admin from addresses outside the list, before login or anything else, and leaves the store alone', async () => {
      const outside = await shop.app.inject({ url: '/admin/login', remoteAddress: '198.51.100.4' });
      expect(outside.statusCode).toBe(403);
      expect(outside.body).not.toContain('<form');
      expect((await shop.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: '198.51.100.4', payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(403);
      expect((await shop.app.inject({ url: '/admin/no-such-page', remoteAddress: '198.51.100.4' })).statusCode).toBe(403);
      expect((await shop.app.inject({ url: '/admin/login', remoteAddress: '203.0.113.77' })).statusCode).toBe(200);
      expect((await shop.app.inject({ url: '/admin/login', remoteAddress: '2001:db8::9' })).statusCode).toBe(200);
      expect((await shop.app.inject({ url: '/healthz', remoteAddress: '198.51.100.4' })).statusCode).toBe(200);
    });
  });
}
