// Regression tests for the login path: a stranger's wrong passwords cannot end or lock out a
// working admin; unknown and real e-mails answer alike (status, message, delay); admin CSRF
// tokens belong to the admin session, not to the storefront's cookie; the audit log never keeps
// what was typed into the e-mail field unless it is an e-mail address. Both databases.
import { csrfTokenOf } from '../../test/support/csrf.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';
import { runShopPanScan } from '../pan-scan/pan-scan-job.ts';
import { silentLogger } from '../shop-context.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { adminBrowser, enrolledAccount, signIn, TEST_PASSWORD } from '../../test/support/admin-test-client.ts';
import { buildShopApp } from '../app.ts';
import { adminDb } from './admin-tables.ts';
import { ADMIN_ROUTE_ACCESS } from './route-access.ts';
import { totpKeyFile } from './totp-secret-box.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; ip: string | null; before_json: string | null; after_json: string | null };

async function auditRows(shop: TestShop, afterId = 0): Promise<AuditRow[]> {
  return shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
    .select(['id', 'action', 'actor', 'target', 'ip', 'before_json', 'after_json']).where('id', '>', afterId).orderBy('id').execute();
}
const lastAuditId = async (shop: TestShop) => (await auditRows(shop)).at(-1)?.id ?? 0;
const alertText = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

for (const database of DATABASES) {
  describe(`admin lockout on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('six wrong passwords from one address lock that address only: the live session survives and the owner signs in from elsewhere', async () => {
      const email = 'owner-live@example.jp';
      const { account, secret } = await enrolledAccount(shop, email, 'owner');
      const owner = await signIn(shop, email, account.id, secret, { remoteAddress: '198.51.100.20' });
      const since = await lastAuditId(shop);
      const attacker = adminBrowser(shop, { remoteAddress: '203.0.113.66' });
      await attacker.get('/admin/login');
      for (let i = 1; i <= 6; i++) expect((await attacker.post('/admin/login', { email, password: `guess-${i}-xyzzy-plugh` })).statusCode).toBe(401);
      // The attacker's address is locked, even for the right password.
      const fromA = await attacker.post('/admin/login', { email, password: TEST_PASSWORD });
      expect(fromA.statusCode).toBe(401);
      expect(attacker.jar.get('mamori_admin')).toBeUndefined();
      // The session that passed MFA is untouched, and the owner can sign in from another address.
      expect((await owner.get('/admin')).statusCode).toBe(200);
      await signIn(shop, email, account.id, secret, { remoteAddress: '198.51.100.21' });
      const lockouts = (await auditRows(shop, since)).filter((r) => r.action === 'admin.lockout');
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]).toMatchObject({ target: `account:${account.id}`, ip: '203.0.113.66' });
      expect(JSON.parse(lockouts[0]!.after_json!)).toMatchObject({ scope: 'address', failures: 6 });
      // The owner is told on the dashboard, with the lockout's audit entry as evidence.
      const alerts = (await listOpenAlerts(shop.db.db)).filter((al) => al.kind === 'admin.lockout');
      expect(alerts).toHaveLength(1);
      expect(JSON.parse(alerts[0]!.evidence)).toMatchObject({ auditEntryId: lockouts[0]!.id, scope: 'address', address: '203.0.113.66' });
      expect((await owner.get('/admin')).body).toContain('admin.lockout');
    });

    it('locks the account everywhere once failures come from several addresses, and audits each lockout', async () => {
      const email = 'many-addresses@example.jp';
      const { account, secret } = await enrolledAccount(shop, email, 'staff');
      const since = await lastAuditId(shop);
      const guess = async (address: string, times: number) => {
        const b = adminBrowser(shop, { remoteAddress: address });
        await b.get('/admin/login');
        for (let i = 0; i < times; i++) await b.post('/admin/login', { email, password: `guess-${address}-${i}-xyzzy` });
      };
      await guess('203.0.113.1', 6);
      await guess('203.0.113.2', 6);
      await guess('203.0.113.3', 6);
      // 18 failures from three addresses: below the account-wide threshold (20), so the owner still gets in.
      await signIn(shop, email, account.id, secret, { remoteAddress: '198.51.100.40' });
      await guess('203.0.113.4', 2);
      const fresh = adminBrowser(shop, { remoteAddress: '198.51.100.41' });
      await fresh.get('/admin/login');
      const refused = await fresh.post('/admin/login', { email, password: TEST_PASSWORD });
      expect(refused.statusCode).toBe(401);
      expect(alertText(refused.body)).toBe((await import('./admin-messages-ja.ts')).adminMessagesJa.login.locked);
      const lockouts = (await auditRows(shop, since)).filter((r) => r.action === 'admin.lockout').map((r) => JSON.parse(r.after_json!).scope);
      expect(lockouts).toEqual(['address', 'address', 'address', 'account']);
    });
  });

  describe(`admin login answers alike for unknown and real e-mails on ${database.name}`, () => {
    let shop: TestShop;
    let app: FastifyInstance;
    const delays: number[] = [];
    beforeAll(async () => {
      shop = await startTestShop(database, { seedDemoCatalog: false });
      // The same shop, with the delay recorded instead of slept (500 ms step, as configured by default).
      app = await buildShopApp({ shop: shop.context, logger: false, admin: { failureDelayStepMs: 500, waitMs: async (ms) => { delays.push(ms); } } });
    });
    afterAll(async () => { await app?.close(); await shop?.dispose(); });

    async function attempts(email: string, n: number) {
      const b = adminBrowser({ ...shop, app } as TestShop, { remoteAddress: '203.0.113.9' });
      await b.get('/admin/login');
      const out: [number, string, number | undefined][] = [];
      for (let i = 1; i <= n; i++) {
        delays.length = 0;
        const r = await b.post('/admin/login', { email, password: `not-the-password-${i}` });
        out.push([r.statusCode, alertText(r.body), delays[0]]);
      }
      return out;
    }

    it('gives the same status, message and delay, attempt by attempt, including the lock', async () => {
      await enrolledAccount(shop, 'real@example.jp', 'staff');
      const real = await attempts('real@example.jp', 8);
      const unknown = await attempts('ghost@example.jp', 8);
      expect(unknown).toEqual(real);
      const m = (await import('./admin-messages-ja.ts')).adminMessagesJa.login;
      expect(real).toEqual([
        [401, m.invalid, 500], [401, m.invalid, 1000], [401, m.invalid, 1500], [401, m.invalid, 2000], [401, m.invalid, 2500],
        [401, m.locked, 3000], [401, m.locked, 3000], [401, m.locked, 3000],
      ]);
    });
  });

  describe(`admin CSRF belongs to the admin session on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { catalogCacheTtlMs: 0 }); });
    afterAll(async () => { await shop?.dispose(); });

    it('refuses a storefront CSRF cookie and token planted beside the admin cookie on every admin POST; the form\'s own token works', async () => {
      // What a sibling subdomain can plant: the storefront's _csrf cookie with a matching token.
      const home = await shop.app.inject({ url: '/' });
      const productPath = /href="(\/products\/[^"?]+)/.exec(home.body)![1]!;
      const product = await shop.app.inject({ url: productPath });
      const planted = { cookie: product.cookies.find((c) => c.name === '_csrf')!.value, token: csrfTokenOf(product.body) };

      const { account, secret } = await enrolledAccount(shop, 'csrf-boss@example.jp', 'owner');
      const db = adminDb(shop.db.db);
      const variant = await db.selectFrom('variants').select(['id', 'product_id', 'stock']).orderBy('id').executeTakeFirstOrThrow();
      const posts = Object.entries(ADMIN_ROUTE_ACCESS).filter(([k]) => k.startsWith('POST ')).map(([k, access]) => ({ path: k.slice(5), access }));
      expect(posts.length).toBeGreaterThanOrEqual(15);
      // One signed-in session for every fully signed-in route: a refused POST changes nothing, and
      // signing in per route would run into the login route's own rate limit (30 a minute).
      let signedIn: Awaited<ReturnType<typeof signIn>> | undefined;
      for (const { path, access } of posts) {
        const url = path.replace(':id', path.startsWith('/admin/orders/') ? '00000000-0000-4000-8000-000000000000' : path.startsWith('/admin/accounts/') ? String(account.id) : path.startsWith('/admin/variants/') ? String(variant.id) : String(variant.product_id));
        let b;
        if (access === 'second-factor') {
          b = adminBrowser(shop);
          await b.get('/admin/login');
          expect((await b.post('/admin/login', { email: 'csrf-boss@example.jp', password: TEST_PASSWORD })).statusCode).toBe(303);
        } else {
          b = signedIn ??= await signIn(shop, 'csrf-boss@example.jp', account.id, secret);
        }
        b.jar.set('_csrf', planted.cookie);
        const r = await b.post(url, { delta: '-1', reason: 'planted', email: 'csrf-boss@example.jp', password: TEST_PASSWORD, code: '000000', role: 'staff' }, { csrf: planted.token });
        expect(r.statusCode, `POST ${path}`).toBe(403);
      }
      expect((await db.selectFrom('variants').where('id', '=', variant.id).select('stock').executeTakeFirstOrThrow()).stock).toBe(variant.stock);

      const owner = await signIn(shop, 'csrf-boss@example.jp', account.id, secret);
      await owner.get(`/admin/products/${variant.product_id}`);
      const ok = await owner.post(`/admin/variants/${variant.id}/stock`, { delta: '-1', reason: 'count correction' });
      expect(ok.statusCode).toBe(303);
      expect((await db.selectFrom('variants').where('id', '=', variant.id).select('stock').executeTakeFirstOrThrow()).stock).toBe(variant.stock - 1);
    });
  });

  describe(`the TOTP key on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('is loaded (or its file created) at the first login attempt, not when the routes are built', async () => {
      expect(existsSync(totpKeyFile(shop.config.dataDir))).toBe(false);
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      expect(existsSync(totpKeyFile(shop.config.dataDir))).toBe(false);
      await b.post('/admin/login', { email: 'first@example.jp', password: 'x' });
      expect(existsSync(totpKeyFile(shop.config.dataDir))).toBe(true);
    });
  });

  describe(`failed logins in the audit log on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('keeps a keyed hash and the length, never the text, when a password was typed into the e-mail field', async () => {
      const since = await lastAuditId(shop);
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      expect((await b.post('/admin/login', { email: 'correct-horse-battery-9', password: 'correct-horse-battery-9' })).statusCode).toBe(401);
      expect((await b.post('/admin/login', { email: 'correct-horse-battery-9', password: 'x' })).statusCode).toBe(401);
      const rows = await auditRows(shop, since);
      expect(rows.map((r) => r.action)).toEqual(['auth.login_failed', 'auth.login_failed']);
      for (const r of rows) expect(JSON.stringify(r)).not.toContain('correct-horse');
      const after = rows.map((r) => JSON.parse(r.after_json!));
      expect(after[0]).toMatchObject({ reason: 'unknown_account', nameLength: 23 });
      expect(rows[0]!.target).toMatch(/^name-hmac:[0-9a-f]{32}$/);
      expect(rows[1]!.target).toBe(rows[0]!.target); // the same text gives the same hash: attempts can be correlated
      // An unknown e-mail address is kept as it is: it says who was being tried.
      await b.post('/admin/login', { email: 'Nobody@Example.jp', password: 'x' });
      expect((await auditRows(shop, rows[1]!.id)).map((r) => r.target)).toEqual(['email:nobody@example.jp']);
    });

    it('keeps a card number typed as the login name out of the audit log, the lockout alert and the owners\' mail', async () => {
      const since = await lastAuditId(shop);
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      // Past the per-address lockout (ADMIN_LOCKOUT_PER_ADDRESS, 6 by default), so the alert is raised and mailed.
      for (let i = 0; i < 8; i++) await b.post('/admin/login', { email: '4111111111111111@example.com', password: 'x' });
      const rows = await auditRows(shop, since);
      expect(rows.filter((r) => r.action === 'auth.login_failed').length).toBeGreaterThanOrEqual(6);
      expect(rows.map((r) => r.target)).toContain(rows[0]!.target);
      expect(rows[0]!.target).toMatch(/^name-hmac:[0-9a-f]{32}$/);
      const alerts = await shop.db.db.withTables<{ security_alerts: { kind: string; summary: string; evidence: string; dedupe_key: string } }>()
        .selectFrom('security_alerts').selectAll().where('kind', '=', 'admin.lockout').execute();
      expect(alerts.length).toBeGreaterThan(0); // not vacuous: the lockout happened and was alerted
      // Everything the shop stored or wrote (every table, the outbox with its base64 mail bodies, logs): no card number.
      const report = await runShopPanScan(shop.context, silentLogger);
      expect(report.findings).toEqual([]);
    });

    it('records every failed attempt: names that are not e-mail addresses, and malformed forms', async () => {
      const since = await lastAuditId(shop);
      const b = adminBrowser(shop);
      await b.get('/admin/login');
      const forms = [{ email: 'admin', password: 'admin' }, { email: 'root', password: 'toor' }, { email: 'x'.repeat(300), password: 'x' }, { email: 'owner@example.jp' }, {}];
      for (const form of forms) expect((await b.post('/admin/login', form as Record<string, string>)).statusCode).toBe(401);
      const rows = await auditRows(shop, since);
      expect(rows.map((r) => r.action)).toEqual(forms.map(() => 'auth.login_failed'));
      for (const r of rows) {
        expect(r.target).not.toMatch(/admin|root|xxx/);
        expect(r.ip).toBe('127.0.0.1');
      }
    });
  });
}
