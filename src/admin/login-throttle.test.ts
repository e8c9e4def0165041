// The lockout counters with an injected clock: pair lock and its expiry, the name-wide lock
// needing several addresses within the window, IPv6 counted by /64. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { adminDb, type AdminDb } from './admin-tables.ts';
import { addressKey, clearLoginFailures, DEFAULT_LOCKOUT_POLICY, lockState, loginNameHash, recordLoginFailure } from './login-throttle.ts';

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and counts IPv6 by /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::9')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

for (const database of DATABASES) {
  describe(`login throttle on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    let db: AdminDb;
    const policy = DEFAULT_LOCKOUT_POLICY;
    const key = randomBytes(32);
    beforeAll(async () => {
      const created = await database.create();
      drop = created.drop;
      handle = openDatabase(created.url);
      await migrateToLatest(handle.db);
      db = adminDb(handle.db);
    });
    afterAll(async () => { await handle?.close(); await drop?.(); });

    it('locks a pair at the sixth failure until the lockout ends, and counts afresh after it', async () => {
      const name = loginNameHash(key, 'pair@example.jp');
      const t0 = new Date('2026-12-01T00:00:00Z');
      for (let i = 1; i <= 5; i++) expect(await recordLoginFailure(db, policy, name, '203.0.113.1', t0)).toEqual({ failures: i, lockouts: [] });
      const sixth = await recordLoginFailure(db, policy, name, '203.0.113.1', t0);
      expect(sixth.lockouts).toEqual([{ scope: 'address', lockedUntil: new Date(t0.getTime() + policy.lockoutMs).toISOString(), failures: 6, addresses: 1 }]);
      expect((await lockState(db, name, '203.0.113.1', new Date(t0.getTime() + policy.lockoutMs - 1))).locked).toBe(true);
      expect(await lockState(db, name, '203.0.113.2', t0)).toEqual({ locked: false, failures: 0 });
      expect(await lockState(db, name, '203.0.113.1', new Date(t0.getTime() + policy.lockoutMs))).toEqual({ locked: false, failures: 0 });
      expect((await recordLoginFailure(db, policy, name, '203.0.113.1', new Date(t0.getTime() + policy.lockoutMs))).failures).toBe(1);
      await clearLoginFailures(db, name, '203.0.113.1');
      expect(await lockState(db, name, '203.0.113.1', t0)).toEqual({ locked: false, failures: 0 });
    });

    it('locks the name everywhere only with enough failures from enough addresses within the window', async () => {
      const name = loginNameHash(key, 'wide@example.jp');
      const t0 = new Date('2026-12-01T01:00:00Z');
      // 25 failures from two addresses: many, but from too few places.
      for (let i = 0; i < 25; i++) await recordLoginFailure(db, policy, name, i % 2 ? '203.0.113.10' : '203.0.113.11', t0);
      expect((await lockState(db, name, '198.51.100.1', t0)).locked).toBe(false);
      // Old failures leave the window: a third address an hour later does not add up to them.
      const later = new Date(t0.getTime() + policy.windowMs + 1000);
      for (let i = 0; i < 5; i++) await recordLoginFailure(db, policy, name, '203.0.113.12', later);
      expect((await lockState(db, name, '198.51.100.1', later)).locked).toBe(false);
      // Within one window: 20 failures from three addresses lock the name, wherever it is tried from.
      for (let i = 0; i < 15; i++) {
        const r = await recordLoginFailure(db, policy, name, ['203.0.113.13', '203.0.113.14', '2001:db8:5:6::1'][i % 3]!, later);
        expect(r.lockouts.some((l) => l.scope === 'account')).toBe(i === 14);
      }
      expect(await lockState(db, name, '198.51.100.1', later)).toMatchObject({ locked: true, scope: 'account' });
      // IPv6 within one /64 is one address.
      expect(await lockState(db, name, '2001:db8:5:6::ffff', later)).toMatchObject({ locked: true });
    });
  });
}
