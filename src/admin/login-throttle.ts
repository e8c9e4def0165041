// Failed-login counting and lockout. Counted per (attempted name, client address), never per
// account: a stranger who knows an admin's e-mail can lock only their own address out, and an
// unknown name is counted, slowed down and locked exactly like a real one, so the answers do not
// tell which e-mails have accounts. Only failures from several addresses lock a name everywhere
// (a distributed guess), and no failure ever ends a session: sessions that passed MFA are kept.
import { createHmac, hkdfSync } from 'node:crypto';
import { isIP } from 'node:net';
import { sql } from 'kysely';
import type { AdminDb } from './admin-tables.ts';
import type { LoginSignals } from './access-signals/login-signals.ts';

export interface LockoutPolicy {
  /** Failures of one (name, address) pair that lock that pair. */
  perAddress: number;
  /** Failures of one name within `windowMs`, from at least `accountAddresses` addresses, that lock the name everywhere. */
  accountFailures: number;
  accountAddresses: number;
  lockoutMs: number;
  windowMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { perAddress: 6, accountFailures: 20, accountAddresses: 3, lockoutMs: 15 * 60_000, windowMs: 60 * 60_000 };

export function lockoutPolicyFrom(c: { perAddress: number; accountFailures: number; accountAddresses: number; minutes: number }): LockoutPolicy {
  return { ...DEFAULT_LOCKOUT_POLICY, perAddress: c.perAddress, accountFailures: c.accountFailures, accountAddresses: c.accountAddresses, lockoutMs: c.minutes * 60_000 };
}

/** What the login steps need besides the database: the policy and the key for names. */
export interface LoginGuard {
  policy: LockoutPolicy;
  /** HMAC key for attempted names (stored and audited only as keyed hashes). */
  nameKey: Buffer;
  /** The alert channel and credential-stuffing counts (access-signals/login-signals.ts); absent, alerts are only recorded. */
  signals?: LoginSignals | undefined;
}

/** A key of its own for names, derived from the TOTP key, so one secret is backed up, not two. */
export function loginNameKey(totpKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', totpKey, Buffer.alloc(0), 'mamori admin login names v1', 32));
}

export function normalizeLoginName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** Keyed hash of an attempted name: a guessed password typed as a name cannot be read back from it. */
export function loginNameHash(key: Buffer, name: string): string {
  return createHmac('sha256', key).update(normalizeLoginName(name)).digest('hex');
}

/** IPv6 clients are counted by /64: one host usually holds a whole /64 and could rotate within it. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const ANYWHERE = '*';

export type LockState = { locked: false; failures: number } | { locked: true; scope: 'address' | 'account'; lockedUntil: string };

/** Whether the pair or the name is locked now, and the pair's consecutive failures so far. */
export async function lockState(db: AdminDb, nameKey: string, ip: string, now: Date): Promise<LockState> {
  const rows = await db.selectFrom('admin_login_throttle').where('name_key', '=', nameKey).where('address', 'in', [addressKey(ip), ANYWHERE])
    .select(['address', 'failures', 'locked_until']).execute();
  const at = now.toISOString();
  const wide = rows.find((r) => r.address === ANYWHERE);
  if (wide?.locked_until && wide.locked_until > at) return { locked: true, scope: 'account', lockedUntil: wide.locked_until };
  const pair = rows.find((r) => r.address !== ANYWHERE);
  if (pair?.locked_until && pair.locked_until > at) return { locked: true, scope: 'address', lockedUntil: pair.locked_until };
  return { locked: false, failures: pair?.failures ?? 0 };
}

export interface Lockout { scope: 'address' | 'account'; lockedUntil: string; failures: number; addresses: number }
export type FailureOutcome = { failures: number; lockouts: Lockout[] };

/** Counts one failure of the pair; locks the pair, and the name everywhere, when a threshold is reached. */
export async function recordLoginFailure(db: AdminDb, policy: LockoutPolicy, nameKey: string, ip: string, now: Date): Promise<FailureOutcome> {
  const address = addressKey(ip);
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
  const lockedUntil = new Date(now.getTime() + policy.lockoutMs).toISOString();
  const lockouts: Lockout[] = [];
  // One statement, so concurrent guesses cannot each read the same count.
  const row = await db.insertInto('admin_login_throttle')
    .values({ name_key: nameKey, address, failures: 1, window_failures: 1, last_failed_at: at, locked_until: null })
    .onConflict((oc) => oc.columns(['name_key', 'address']).doUpdateSet({
      failures: sql<number>`admin_login_throttle.failures + 1`,
      window_failures: sql<number>`case when admin_login_throttle.last_failed_at < ${windowStart} then 1 else admin_login_throttle.window_failures + 1 end`,
      last_failed_at: at,
    }))
    .returning(['failures']).executeTakeFirstOrThrow();
  const failures = Number(row.failures);
  if (failures >= policy.perAddress) {
    // Conditional, so that of two racing requests only one locks (and audits the lock).
    const r = await db.updateTable('admin_login_throttle').set({ locked_until: lockedUntil, failures: 0 })
      .where('name_key', '=', nameKey).where('address', '=', address).where('failures', '>=', policy.perAddress).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) lockouts.push({ scope: 'address', lockedUntil, failures, addresses: 1 });
  }
  const spread = await db.selectFrom('admin_login_throttle').where('name_key', '=', nameKey).where('address', '!=', ANYWHERE).where('last_failed_at', '>=', windowStart)
    .select((eb) => [eb.fn.countAll<number>().as('addresses'), eb.fn.sum<number>('window_failures').as('total')]).executeTakeFirstOrThrow();
  const addresses = Number(spread.addresses);
  const total = Number(spread.total ?? 0);
  if (total >= policy.accountFailures && addresses >= policy.accountAddresses) {
    await db.insertInto('admin_login_throttle')
      .values({ name_key: nameKey, address: ANYWHERE, failures: 0, window_failures: 0, last_failed_at: at, locked_until: lockedUntil })
      .onConflict((oc) => oc.columns(['name_key', 'address']).doUpdateSet({ locked_until: lockedUntil, last_failed_at: at }))
      .execute();
    // Counted afresh after the lock, or the next failure after it would lock the name again at once.
    await db.updateTable('admin_login_throttle').set({ window_failures: 0 }).where('name_key', '=', nameKey).execute();
    lockouts.push({ scope: 'account', lockedUntil, failures: total, addresses });
  }
  return { failures, lockouts };
}

/** A completed sign-in clears the pair's count (not the name-wide one: other addresses may still be guessing). */
export async function clearLoginFailures(db: AdminDb, nameKey: string, ip: string): Promise<void> {
  await db.deleteFrom('admin_login_throttle').where('name_key', '=', nameKey).where('address', '=', addressKey(ip)).execute();
}
