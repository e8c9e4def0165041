// The addresses and browsers each back-office account has signed in from. Only hashes are kept
// (see migration 0480), at most KNOWN_CLIENT_LIMITS per account and kind, and none older than
// KNOWN_CLIENT_RETENTION_DAYS: enough to recognise where an admin usually works, never a full
// history of where they have been (the audit log keeps that, under its own retention).
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { addressKey } from '../login-throttle.ts';
import type { AccessSignalDb, KnownClientKind } from './access-signal-tables.ts';

export const KNOWN_CLIENT_LIMITS: Record<KnownClientKind, number> = { address: 20, device: 10 };
export const KNOWN_CLIENT_RETENTION_DAYS = 180;

/** A key of its own for addresses, derived from the login-name key (itself from the TOTP key): one secret to back up. */
export function knownAddressKey(loginNameKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', loginNameKey, Buffer.alloc(0), 'mamori admin known addresses v1', 32));
}

export function addressHash(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(addressKey(ip)).digest('hex');
}

/** The long-lived browser cookie's value: 32 random bytes, base64url. */
export function newDeviceId(): string {
  return randomBytes(32).toString('base64url');
}

export function looksLikeDeviceId(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function deviceHash(deviceId: string): string {
  return createHash('sha256').update(deviceId).digest('hex');
}

/**
 * `first`: the account had nothing of this kind yet (its first sign-in, or the first since
 * migration 0480), learned without alarm; `known`; or `new`: something else was known, this not.
 */
export type ClientNovelty = 'first' | 'known' | 'new';

/** Records the client as seen now and says whether it was known before. Run it in the sign-in's transaction. */
export async function rememberClient(db: AccessSignalDb, accountId: number, kind: KnownClientKind, keyHash: string, now: Date): Promise<ClientNovelty> {
  const at = now.toISOString();
  const oldest = new Date(now.getTime() - KNOWN_CLIENT_RETENTION_DAYS * 86_400_000).toISOString();
  await db.deleteFrom('admin_known_clients').where('account_id', '=', accountId).where('kind', '=', kind).where('last_seen_at', '<', oldest).execute();
  const rows = await db.selectFrom('admin_known_clients').select(['key_hash', 'last_seen_at'])
    .where('account_id', '=', accountId).where('kind', '=', kind).orderBy('last_seen_at', 'desc').execute();
  const novelty: ClientNovelty = rows.some((r) => r.key_hash === keyHash) ? 'known' : rows.length === 0 ? 'first' : 'new';
  await db.insertInto('admin_known_clients')
    .values({ account_id: accountId, kind, key_hash: keyHash, first_seen_at: at, last_seen_at: at })
    .onConflict((oc) => oc.columns(['account_id', 'kind', 'key_hash']).doUpdateSet({ last_seen_at: at }))
    .execute();
  if (novelty !== 'known') {
    // Bounded: the least recently seen go first once the account is over its limit.
    const evicted = rows.slice(KNOWN_CLIENT_LIMITS[kind] - 1).map((r) => r.key_hash);
    if (evicted.length > 0) await db.deleteFrom('admin_known_clients').where('account_id', '=', accountId).where('kind', '=', kind).where('key_hash', 'in', evicted).execute();
  }
  return novelty;
}
