// The admin-access signals, each proven by the attack it detects, driven through the real
// back-office routes (app.inject, a cookie jar per "browser") with the shop's clock injected:
// credential stuffing from one address and from many, a sign-in from a new address or browser,
// a vendor at 03:00 shop time, a new owner, a role change, an MFA reset; and the dashboard's
// per-day counts over a seeded 30-day history. Both databases.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../../test/support/test-shop.ts';
import { adminBrowser, enrolledAccount, TEST_PASSWORD } from '../../../test/support/admin-test-client.ts';
import { listOpenAlerts } from '../../alerts/raise-alert.ts';
import type { SecurityAlert } from '../../alerts/alert-tables.ts';
import { appendAuditEntry } from '../../audit/audit-log.ts';
import { adminDb, type AdminRole } from '../admin-tables.ts';
import { totpCodeAt } from '../totp.ts';
import { runAdminCreate } from '../admin-create-command.ts';
import { ensureSetupLink } from '../setup-link.ts';
import { accessSignalDb } from './access-signal-tables.ts';
import { deviceHash, KNOWN_CLIENT_LIMITS, rememberClient } from './known-clients.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; ip: string | null; after_json: string | null };
type Browser = ReturnType<typeof adminBrowser>;

describeEachDatabase('admin-access signals', (database) => {
  let shop: TestShop;
  let t = Date.parse('2026-06-01T00:00:00Z');
  const clock = () => new Date(t);
  /** Moves the shop's clock to an absolute instant (each test on a day of its own, so windows never overlap). */
  const setClock = (iso: string) => { t = Date.parse(iso); };
  // Thresholds lowered from the defaults (10 over 3 names per address, 50 overall, in 10 minutes)
  // because each failed attempt costs a full scrypt; the window keeps its default.
  const PER_ADDRESS = 5;
  const BURST_TOTAL = 12;
  const SLOW = 180_000; // every failed attempt is a full scrypt, on a shared machine
  let owner: { id: number; email: string; secret: string };

  beforeAll(async () => {
    shop = await startTestShop(database, { seedDemoCatalog: false, clock, env: { ADMIN_FAILURE_BURST_PER_ADDRESS: String(PER_ADDRESS), ADMIN_FAILURE_BURST_TOTAL: String(BURST_TOTAL) } });
    const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    owner = { id: o.account.id, email: 'owner@example.jp', secret: o.secret };
  }, SLOW);
  afterAll(async () => { await shop?.dispose(); });

  const audit = async (afterId = 0): Promise<AuditRow[]> => shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
    .select(['id', 'action', 'actor', 'target', 'ip', 'after_json']).where('id', '>', afterId).orderBy('id').execute();
  const lastAuditId = async () => (await audit()).at(-1)?.id ?? 0;
  const alertsOf = async (kind: string): Promise<SecurityAlert[]> => (await listOpenAlerts(shop.db.db, 500)).filter((a) => a.kind === kind);
  const evidenceOf = (a: SecurityAlert) => JSON.parse(a.evidence) as { auditEntryIds: number[] } & Record<string, unknown>;
  const outboxCount = () => { try { return readdirSync(path.join(shop.dataDir, 'outbox')).length; } catch { return 0; } };

  /** Password, then a TOTP code computed at the shop's clock, in the given browser. */
  async function signInWith(b: Browser, account: { id: number; email: string; secret: string }) {
    await b.get('/admin/login');
    const pw = await b.post('/admin/login', { email: account.email, password: TEST_PASSWORD });
    expect(pw.statusCode).toBe(303);
    await adminDb(shop.db.db).updateTable('admin_accounts').set({ totp_last_step: null }).where('id', '=', account.id).execute();
    await b.get('/admin/mfa');
    const mfa = await b.post('/admin/mfa/verify', { code: totpCodeAt(account.secret, clock()) });
    expect(mfa.headers.location).toBe('/admin');
    await b.get('/admin');
  }
  async function signOut(b: Browser) {
    await b.get('/admin');
    expect((await b.post('/admin/logout', {})).statusCode).toBe(303);
  }
  async function account(email: string, role: AdminRole) {
    const a = await enrolledAccount(shop, email, role);
    return { id: a.account.id, email, secret: a.secret };
  }
  async function failLogin(ip: string, name: string) {
    const b = adminBrowser(shop, { remoteAddress: ip });
    await b.get('/admin/login');
    expect((await b.post('/admin/login', { email: name, password: 'not-the-password-1234' })).statusCode).toBe(401);
  }

  it('credential stuffing from one address: many names → one burst alert naming the failures\' audit entries, counting up; below the threshold, none', async () => {
    setClock('2026-06-01T01:00:00Z');
    const since = await lastAuditId();
    const mailsBefore = outboxCount();
    const names = ['admin', 'root', 'owner@example.jp', 'info@example.jp', 'guest', 'support@example.jp', 'webmaster'];
    for (const [i, name] of names.entries()) {
      await failLogin('203.0.113.9', name);
      t += 20_000;
      if (i === PER_ADDRESS - 2) expect(await alertsOf('admin.failure_burst_address')).toHaveLength(0); // one below the threshold
    }
    const alerts = await alertsOf('admin.failure_burst_address');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.occurrences).toBe(3); // raised at the 5th failure, repeated at the 6th and 7th
    const failures = (await audit(since)).filter((r) => r.action === 'auth.login_failed' && r.ip === '203.0.113.9');
    expect(failures).toHaveLength(7);
    // Non-e-mail names are audited too (as a keyed hash), and the evidence is those entries.
    expect(failures.filter((r) => r.target?.startsWith('name-hmac:'))).toHaveLength(4);
    const evidence = evidenceOf(alerts[0]!);
    expect(evidence.auditEntryIds).toEqual(failures.slice(0, PER_ADDRESS).map((r) => r.id));
    expect(evidence).toMatchObject({ address: '203.0.113.9', failures: PER_ADDRESS, names: PER_ADDRESS });
    // The whole channel: one e-mail to the owner for the new alert, none for its repeats.
    expect(outboxCount()).toBe(mailsBefore + 1);

    // Four names from another address: below the threshold, no alert. (Each part in a window of its own, or together they would be an overall burst.)
    t += 11 * 60_000;
    for (const name of names.slice(0, PER_ADDRESS - 1)) { await failLogin('203.0.113.10', name); t += 1000; }
    t += 11 * 60_000;
    // Six failures on two names: one person (or a guesser already held by the per-name lock), not a list.
    for (let i = 0; i < PER_ADDRESS + 1; i++) { await failLogin('203.0.113.11', i % 2 ? 'admin' : 'root'); t += 1000; }
    expect(await alertsOf('admin.failure_burst_address')).toHaveLength(1);
  }, SLOW);

  it('failures spread wider than the window are not a burst (the window is read on the shop\'s clock)', async () => {
    setClock('2026-06-02T01:00:00Z');
    // Every 3 minutes: any 10 minutes hold at most 4 of them, one below the threshold.
    for (let i = 0; i < PER_ADDRESS + 1; i++) { await failLogin('203.0.113.20', `slow-${i}@example.jp`); t += 3 * 60_000; }
    const alerts = await alertsOf('admin.failure_burst_address');
    expect(alerts.map((a) => evidenceOf(a).address)).not.toContain('203.0.113.20');
  }, SLOW);

  it('distributed credential stuffing: one failure each from many addresses → one overall burst alert at the threshold', async () => {
    setClock('2026-06-03T01:00:00Z');
    const since = await lastAuditId();
    for (let i = 1; i < BURST_TOTAL; i++) { await failLogin(`198.18.0.${i}`, `victim${i}@example.com`); t += 5000; }
    expect(await alertsOf('admin.failure_burst_total')).toHaveLength(0);
    await failLogin(`198.18.1.${BURST_TOTAL}`, `victim${BURST_TOTAL}@example.com`);
    const alerts = await alertsOf('admin.failure_burst_total');
    expect(alerts).toHaveLength(1);
    const failures = (await audit(since)).filter((r) => r.action === 'auth.login_failed');
    expect(evidenceOf(alerts[0]!).auditEntryIds).toEqual(failures.map((r) => r.id));
    expect(evidenceOf(alerts[0]!)).toMatchObject({ failures: BURST_TOTAL, addresses: BURST_TOTAL });
    // No single address was loud enough for the per-address alert.
    expect((await alertsOf('admin.failure_burst_address')).map((a) => String(evidenceOf(a).address))).not.toContain('198.18.0.1');
  }, SLOW);

  it('a sign-in from a new address alerts, the same address again does not; a new browser alerts; the first sign-in only learns', async () => {
    setClock('2026-06-04T01:00:00Z');
    const staff = await account('clerk@example.jp', 'staff');
    const laptop = adminBrowser(shop, { remoteAddress: '192.0.2.10' });
    const since = await lastAuditId();
    await signInWith(laptop, staff);
    // First sign-in of the account: learned, audited, no alert.
    expect((await audit(since)).map((r) => r.action)).toContain('auth.first_sign_in');
    const forStaff = async () => [...(await alertsOf('admin.login_new_address')), ...(await alertsOf('admin.login_new_device'))].filter((a) => evidenceOf(a).account === `account:${staff.id}`);
    expect(await forStaff()).toHaveLength(0);
    await signOut(laptop);

    // Same browser, same address: nothing.
    t += 3_600_000;
    await signInWith(laptop, staff);
    await signOut(laptop);
    expect(await forStaff()).toHaveLength(0);

    // Same browser from an address never seen for this account: an alert naming the sign-in.
    t += 3_600_000;
    const travelling = adminBrowser(shop, { remoteAddress: '100.64.7.7' });
    for (const [k, v] of laptop.jar) travelling.jar.set(k, v); // the laptop's cookies, elsewhere
    const beforeNew = await lastAuditId();
    await signInWith(travelling, staff);
    const newAddress = await alertsOf('admin.login_new_address');
    const mine = newAddress.filter((a) => evidenceOf(a).account === `account:${staff.id}`);
    expect(mine).toHaveLength(1);
    const rows = await audit(beforeNew);
    const login = rows.find((r) => r.action === 'auth.login_succeeded')!;
    const noted = rows.find((r) => r.action === 'auth.new_address')!;
    expect(noted.ip).toBe('100.64.7.7');
    expect(evidenceOf(mine[0]!)).toMatchObject({ auditEntryIds: [login.id, noted.id], address: '100.64.7.7', newDevice: false });
    await signOut(travelling);

    // That address again: known now, no second alert and no repeat.
    t += 3_600_000;
    await signInWith(travelling, staff);
    await signOut(travelling);
    const again = (await alertsOf('admin.login_new_address')).filter((a) => evidenceOf(a).account === `account:${staff.id}`);
    expect(again).toHaveLength(1);
    expect(again[0]!.occurrences).toBe(1);

    // A browser that never signed in (no device cookie), from the usual address: a new-browser alert.
    t += 3_600_000;
    const otherBrowser = adminBrowser(shop, { remoteAddress: '192.0.2.10' });
    await signInWith(otherBrowser, staff);
    const newDevice = (await alertsOf('admin.login_new_device')).filter((a) => evidenceOf(a).account === `account:${staff.id}`);
    expect(newDevice).toHaveLength(1);
    expect(evidenceOf(newDevice[0]!).auditEntryIds).toHaveLength(2);

    // Stored only as hashes: neither the address nor the cookie is in the table.
    const deviceCookie = otherBrowser.jar.get('mamori_admin_device')!;
    expect(deviceCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const known = await accessSignalDb(shop.db.db).selectFrom('admin_known_clients').selectAll().where('account_id', '=', staff.id).execute();
    expect(known.filter((k) => k.kind === 'address')).toHaveLength(2);
    expect(known.map((k) => k.key_hash)).toContain(deviceHash(deviceCookie));
    expect(JSON.stringify(known)).not.toMatch(/192\.0\.2\.10|100\.64\.7\.7/);
    expect(JSON.stringify(known)).not.toContain(deviceCookie);
  }, SLOW);

  it('keeps a bounded number of known addresses per account, dropping the least recently seen', async () => {
    const db = accessSignalDb(shop.db.db);
    const a = await account('bounded@example.jp', 'staff');
    const base = Date.parse('2026-06-05T00:00:00Z');
    for (let i = 0; i < KNOWN_CLIENT_LIMITS.address + 5; i++) await rememberClient(db, a.id, 'address', `hash-${i}`, new Date(base + i * 60_000));
    const rows = await db.selectFrom('admin_known_clients').select('key_hash').where('account_id', '=', a.id).where('kind', '=', 'address').execute();
    expect(rows).toHaveLength(KNOWN_CLIENT_LIMITS.address);
    expect(rows.map((r) => r.key_hash)).not.toContain('hash-0');
    expect(rows.map((r) => r.key_hash)).toContain(`hash-${KNOWN_CLIENT_LIMITS.address + 4}`);
  });

  it('a vendor signing in at 03:00 shop time is alerted; at 10:00 on a weekday it is not', async () => {
    const vendor = await account('integrator@example.jp', 'vendor');
    const b = adminBrowser(shop, { remoteAddress: '192.0.2.50' });
    const vendorAlerts = async () => (await alertsOf('admin.vendor_off_hours')).filter((a) => evidenceOf(a).account === `account:${vendor.id}`);
    // Wednesday 2026-06-10, 10:00 in Asia/Tokyo (01:00 UTC).
    setClock('2026-06-10T01:00:00Z');
    await signInWith(b, vendor);
    await signOut(b);
    expect(await vendorAlerts()).toHaveLength(0);
    // Thursday 03:00 in Tokyo is still Wednesday 18:00 in UTC: the shop's zone decides.
    setClock('2026-06-10T18:00:00Z');
    const since = await lastAuditId();
    await signInWith(b, vendor);
    await signOut(b);
    const alerts = await vendorAlerts();
    expect(alerts).toHaveLength(1);
    const rows = await audit(since);
    const login = rows.find((r) => r.action === 'auth.login_succeeded')!;
    const session = rows.find((r) => r.action === 'auth.vendor_session')!;
    expect(JSON.parse(session.after_json!)).toMatchObject({ withinVendorHours: false, localTime: '03:00', timeZone: 'Asia/Tokyo' });
    expect(evidenceOf(alerts[0]!)).toMatchObject({ auditEntryIds: [login.id, session.id], localTime: '03:00', vendorHours: '09:00-18:00' });
    // Thursday 10:00 Tokyo: inside the hours, nothing new.
    setClock('2026-06-11T01:00:00Z');
    await signInWith(b, vendor);
    expect((await vendorAlerts())[0]!.occurrences).toBe(1);
  });

  it('a new owner (accounts page and admin:create), a role change and an MFA reset each raise an alert naming the change\'s audit entry', async () => {
    setClock('2026-06-12T01:00:00Z');
    const b = adminBrowser(shop, { remoteAddress: '192.0.2.1' });
    await signInWith(b, owner);
    await b.get('/admin/accounts');

    // A staff account: no owner alert.
    let since = await lastAuditId();
    expect((await b.post('/admin/accounts', { email: 'new-staff@example.jp', role: 'staff', password: 'Hoshi-no-sora-no-shita-9', refundLimit: '1000' })).statusCode).toBe(200);
    expect(await alertsOf('admin.owner_created')).toHaveLength(0);
    const staffId = Number(/^account:(\d+)$/.exec((await audit(since)).find((r) => r.action === 'account.created')!.target!)![1]);

    since = await lastAuditId();
    expect((await b.post('/admin/accounts', { email: 'second-owner@example.jp', role: 'owner', password: 'Hoshi-no-sora-no-shita-9' })).statusCode).toBe(200);
    const created = (await audit(since)).find((r) => r.action === 'account.created')!;
    const ownerAlerts = await alertsOf('admin.owner_created');
    expect(ownerAlerts).toHaveLength(1);
    expect(evidenceOf(ownerAlerts[0]!)).toMatchObject({ auditEntryIds: [created.id], via: 'back-office', email: 'second-owner@example.jp' });

    // The command line too, delivered through the callback scripts/admin-create.ts hands in.
    since = await lastAuditId();
    const delivered: SecurityAlert[] = [];
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const io = { stdin: process.stdin, stdout: sink, stderr: sink } as unknown as Parameters<typeof runAdminCreate>[2];
    expect(await runAdminCreate(['--email', 'cli-owner@example.jp', '--password', 'Tsuki-no-hikari-no-naka-3'], shop.db.db, io, clock(), async (a) => { delivered.push(a); })).toBe(0);
    const cliCreated = (await audit(since)).find((r) => r.action === 'account.created')!;
    const cliAlert = (await alertsOf('admin.owner_created')).find((a) => evidenceOf(a).via === 'admin:create')!;
    expect(evidenceOf(cliAlert).auditEntryIds).toEqual([cliCreated.id]);
    expect(delivered.map((a) => a.id)).toEqual([cliAlert.id]);

    // A change that keeps the role (the refund limit): no role alert.
    await b.get('/admin/accounts');
    expect((await b.post(`/admin/accounts/${staffId}`, { role: 'staff', refundLimit: '2000' })).statusCode).toBe(200);
    expect(await alertsOf('admin.role_changed')).toHaveLength(0);
    // staff → owner.
    since = await lastAuditId();
    expect((await b.post(`/admin/accounts/${staffId}`, { role: 'owner' })).statusCode).toBe(200);
    const updated = (await audit(since)).find((r) => r.action === 'account.updated')!;
    const roleAlerts = await alertsOf('admin.role_changed');
    expect(roleAlerts).toHaveLength(1);
    expect(roleAlerts[0]!.severity).toBe('high');
    expect(evidenceOf(roleAlerts[0]!)).toMatchObject({ auditEntryIds: [updated.id], from: 'staff', to: 'owner' });
    expect(await alertsOf('admin.mfa_reset')).toHaveLength(0);

    // MFA reset of another account (one that has set it up: there is nothing to reset otherwise).
    since = await lastAuditId();
    await adminDb(shop.db.db).updateTable('admin_accounts').set({ totp_last_step: null }).where('id', '=', owner.id).execute();
    await adminDb(shop.db.db).updateTable('admin_accounts').set({ totp_secret: 'sealed', mfa_enrolled_at: clock().toISOString() }).where('id', '=', staffId).execute();
    await b.get(`/admin/accounts/${staffId}`);
    expect((await b.post(`/admin/accounts/${staffId}/reset-totp`, { reason: 'lost phone, checked in person', code: totpCodeAt(owner.secret, clock()) })).statusCode).toBe(303);
    const reset = (await audit(since)).find((r) => r.action === 'mfa.reset')!;
    const resetAlerts = await alertsOf('admin.mfa_reset');
    expect(resetAlerts).toHaveLength(1);
    expect(evidenceOf(resetAlerts[0]!)).toMatchObject({ auditEntryIds: [reset.id], account: `account:${staffId}` });
  });

  it('the dashboard counts 30 days of sign-ins, failures, lockouts, new addresses and vendor sessions per day in the shop\'s time zone', async () => {
    // Far after the other tests, so only the seeded history is inside the 30 days.
    setClock('2026-09-30T03:00:00Z'); // 2026-09-30 12:00 in Tokyo
    const seed = (action: string, iso: string) => appendAuditEntry(shop.db.db, { actor: 'admin:999', action, target: 'account:999', ip: '192.0.2.99', at: new Date(iso) });
    // 2026-09-10 in Tokyo runs from 09-09T15:00Z to 09-10T15:00Z.
    await seed('auth.login_succeeded', '2026-09-09T15:00:00.000Z'); // 00:00 on the 10th in Tokyo
    await seed('auth.login_succeeded', '2026-09-10T14:59:59.999Z'); // 23:59 on the 10th
    await seed('auth.login_succeeded', '2026-09-10T15:00:00.000Z'); // 00:00 on the 11th
    await seed('auth.login_failed', '2026-09-09T14:59:59.000Z'); // the 9th in Tokyo, although the 9th and 10th are both "09-09" in UTC
    for (let i = 0; i < 4; i++) await seed('auth.login_failed', `2026-09-10T0${i}:00:00.000Z`);
    await seed('admin.lockout', '2026-09-10T04:00:00.000Z');
    await seed('auth.new_address', '2026-09-10T05:00:00.000Z');
    await seed('auth.vendor_session', '2026-09-01T00:00:00.000Z'); // the first of the 30 days (Tokyo 09-01 09:00)
    await seed('auth.vendor_session', '2026-08-31T14:00:00.000Z'); // 23:00 on 08-31 in Tokyo: day 31, outside
    await seed('auth.logout', '2026-09-10T06:00:00.000Z'); // not counted

    const b = adminBrowser(shop, { remoteAddress: '192.0.2.1' });
    await signInWith(b, owner); // today's one sign-in
    const page = (await b.get('/admin?lang=en')).body;
    const table = /<table[^>]*id="access-activity"[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(table).toContain('<caption>');
    const row = (date: string) => {
      const tr = new RegExp(`<tr data-date="${date}">([\\s\\S]*?)</tr>`).exec(table)?.[1];
      if (tr === undefined) return undefined;
      return Object.fromEntries([...tr.matchAll(/data-metric="(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]));
    };
    expect([...table.matchAll(/<tr data-date="\d{4}-\d{2}-\d{2}">/g)]).toHaveLength(30);
    expect(row('2026-09-10')).toEqual({ logins: 2, failures: 4, lockouts: 1, newAddresses: 1, vendorSessions: 0 });
    expect(row('2026-09-11')).toEqual({ logins: 1, failures: 0, lockouts: 0, newAddresses: 0, vendorSessions: 0 });
    expect(row('2026-09-09')).toEqual({ logins: 0, failures: 1, lockouts: 0, newAddresses: 0, vendorSessions: 0 });
    expect(row('2026-09-01')).toMatchObject({ vendorSessions: 1 });
    expect(row('2026-08-31')).toBeUndefined();
    expect(row('2026-09-30')).toMatchObject({ logins: 1 });
    expect(row('total')).toEqual({ logins: 4, failures: 5, lockouts: 1, newAddresses: 1, vendorSessions: 1 });
    // Japanese too.
    expect((await b.get('/admin?lang=ja')).body).toContain('管理画面へのアクセス（過去30日）');

    // Staff do not read the audit log, so they do not get its counts either.
    const staff = await account('counter-staff@example.jp', 'staff');
    const sb = adminBrowser(shop, { remoteAddress: '192.0.2.2' });
    await signInWith(sb, staff);
    expect((await sb.get('/admin')).body).not.toContain('id="access-activity"');
  });
});

describeEachDatabase('admin-access signals: the first owner from the setup link', (database) => {
  let shop: TestShop;
  beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
  afterAll(async () => { await shop?.dispose(); });

  it('the owner made through the one-time setup link is an alert too, naming its account.created entry', async () => {
    const link = await ensureSetupLink(shop.db.db, shop.config.publicUrl, new Date());
    const url = new URL(link!);
    const b = adminBrowser(shop);
    expect((await b.get(`${url.pathname}${url.search}`)).statusCode).toBe(200);
    const created = await b.post('/admin/setup', { token: url.searchParams.get('token')!, email: 'first@example.jp', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
    expect(created.statusCode).toBe(303);
    const entry = await shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log').select(['id', 'action', 'actor', 'target', 'ip', 'after_json'])
      .where('action', '=', 'account.created').executeTakeFirstOrThrow();
    const alerts = (await listOpenAlerts(shop.db.db)).filter((a) => a.kind === 'admin.owner_created');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('medium');
    expect(JSON.parse(alerts[0]!.evidence)).toMatchObject({ auditEntryIds: [entry.id], via: 'setup-link', email: 'first@example.jp' });
  });
});
