// Unit tests of the login steps with an injected clock: lockout at the sixth failure and its
// expiry, the slow-down curve, and session idle/absolute expiry. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { adminDb, type AdminDb } from './admin-tables.ts';
import { createAccount } from './admin-accounts.ts';
import { checkPasswordStep, checkSecondFactor, failureDelayMs } from './admin-login.ts';
import { DEFAULT_LOCKOUT_POLICY, loginNameHash, type LoginGuard } from './login-throttle.ts';
import { createSession, lookupSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './admin-sessions.ts';
import { newTotpSecret, totpCodeAt } from './totp.ts';
import { totpSecretBox } from './totp-secret-box.ts';
import { randomBytes } from 'node:crypto';

const PASSWORD = 'Tsuki-ga-kirei-desu-ne';
const LOCKOUT_MS = DEFAULT_LOCKOUT_POLICY.lockoutMs;
const guard: LoginGuard = { policy: DEFAULT_LOCKOUT_POLICY, nameKey: randomBytes(32) };

describe('failed-login slow-down', () => {
  it('grows by one step per consecutive failure and stops growing at six', () => {
    expect([1, 2, 3, 6, 7, 50].map((n) => failureDelayMs(500, n))).toEqual([500, 1000, 1500, 3000, 3000, 3000]);
    expect(failureDelayMs(0, 5)).toBe(0);
  });
});

for (const database of DATABASES) {
  describe(`admin login steps on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    let db: AdminDb;
    beforeAll(async () => {
      const created = await database.create();
      drop = created.drop;
      handle = openDatabase(created.url);
      await migrateToLatest(handle.db);
      db = adminDb(handle.db);
    });
    afterAll(async () => { await handle?.close(); await drop?.(); });

    it('locks at the sixth consecutive failure for 15 minutes, then lets the right password in', async () => {
      const t0 = new Date('2026-11-25T01:00:00Z');
      const created = await createAccount(db, { email: 'lock@example.jp', password: PASSWORD, role: 'staff' }, t0);
      if (!created.ok) throw new Error(created.error);
      for (let i = 1; i <= 5; i++) expect(await checkPasswordStep(db, 'lock@example.jp', `nope-nope-nope-${i}`, t0, '127.0.0.1', guard)).toEqual({ ok: false, error: 'INVALID_CREDENTIALS', failures: i });
      expect(await checkPasswordStep(db, 'lock@example.jp', 'nope-nope-nope-6', t0, '127.0.0.1', guard)).toEqual({ ok: false, error: 'LOCKED', failures: 6 });
      const justBefore = new Date(t0.getTime() + LOCKOUT_MS - 1000);
      expect((await checkPasswordStep(db, 'lock@example.jp', PASSWORD, justBefore, '127.0.0.1', guard)).ok).toBe(false);
      const after = new Date(t0.getTime() + LOCKOUT_MS + 1000);
      expect((await checkPasswordStep(db, 'lock@example.jp', PASSWORD, after, '127.0.0.1', guard)).ok).toBe(true);
    });

    it('treats an unknown e-mail like a wrong password', async () => {
      expect(await checkPasswordStep(db, 'nobody@example.jp', PASSWORD, new Date(), '127.0.0.1', guard)).toEqual({ ok: false, error: 'INVALID_CREDENTIALS', failures: 1 });
    });

    it('accepts a TOTP code once and resets the failure count on success', async () => {
      const now = new Date('2026-11-25T02:00:00Z');
      const created = await createAccount(db, { email: 'totp@example.jp', password: PASSWORD, role: 'owner' }, now);
      if (!created.ok) throw new Error(created.error);
      const secret = newTotpSecret();
      const box = totpSecretBox(randomBytes(32));
      await db.updateTable('admin_accounts').set({ totp_secret: box.seal(secret), mfa_enrolled_at: now.toISOString() }).where('id', '=', created.account.id).execute();
      for (let i = 0; i < 3; i++) await checkPasswordStep(db, 'totp@example.jp', 'not-it-at-all', now, '127.0.0.1', guard);
      const failures = () => db.selectFrom('admin_login_throttle').where('name_key', '=', loginNameHash(guard.nameKey, 'totp@example.jp')).select('failures').execute();
      expect((await failures()).map((r) => r.failures)).toEqual([3]);
      const load = () => db.selectFrom('admin_accounts').where('id', '=', created.account.id).selectAll().executeTakeFirstOrThrow();
      const code = totpCodeAt(secret, now);
      expect(await checkSecondFactor(db, box, await load(), code, now, '127.0.0.1', guard)).toMatchObject({ ok: true, usedRecoveryCode: false });
      expect(await failures()).toEqual([]);
      expect(await checkSecondFactor(db, box, await load(), code, now, '127.0.0.1', guard)).toMatchObject({ ok: false, error: 'INVALID_CODE' });
    });

    it('expires sessions after 15 idle minutes and 12 hours in all (clock injected)', async () => {
      const t0 = new Date('2026-11-25T03:00:00Z');
      const created = await createAccount(db, { email: 'sess@example.jp', password: PASSWORD, role: 'auditor' }, t0);
      if (!created.ok) throw new Error(created.error);
      const client = { ip: '127.0.0.1', userAgent: 'test' };
      const idle = await createSession(db, created.account.id, 'full', client, t0);
      expect((await lookupSession(db, idle, new Date(t0.getTime() + SESSION_IDLE_MS - 1000))).ok).toBe(true);
      // Each use moves the idle deadline; 15 minutes without one ends it.
      const lastUse = new Date(t0.getTime() + SESSION_IDLE_MS - 1000);
      expect(await lookupSession(db, idle, new Date(lastUse.getTime() + SESSION_IDLE_MS + 1000))).toEqual({ ok: false, error: 'EXPIRED' });
      expect(await lookupSession(db, idle, lastUse)).toEqual({ ok: false, error: 'NO_SESSION' }); // deleted, not just refused

      const busy = await createSession(db, created.account.id, 'full', client, t0);
      let t = t0.getTime();
      while (t + 10 * 60_000 < t0.getTime() + SESSION_ABSOLUTE_MS) {
        t += 10 * 60_000;
        expect((await lookupSession(db, busy, new Date(t))).ok).toBe(true);
      }
      expect(await lookupSession(db, busy, new Date(t0.getTime() + SESSION_ABSOLUTE_MS + 60_000))).toEqual({ ok: false, error: 'EXPIRED' });
      expect(await lookupSession(db, 'not a session id', t0)).toEqual({ ok: false, error: 'NO_SESSION' });
    });
  });
}
