// Server-side customer sessions, as the back office keeps them (src/admin/admin-sessions.ts): the
// cookie (or the Store API bearer token) holds 32 random bytes, the table their SHA-256. A new id
// at every sign-in (session fixation), idle and absolute expiry from config, and every session of
// an account ends when its password changes, it is disabled or deleted.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Customer, Database } from '../db/schema.ts';
import { hashSessionId } from '../admin/admin-sessions.ts';

export type CustomerSessionStage = 'password' | 'full';
export type CustomerSessionKind = 'web' | 'api';
/** Between password and TOTP code. */
export const PASSWORD_STAGE_MS = 10 * 60_000;

/** `__Host-` over HTTPS: Secure, Path=/, no Domain, so no sibling host can plant or read it. */
export function customerSessionCookie(https: boolean): string {
  return https ? '__Host-mamori_customer' : 'mamori_customer';
}

export interface SessionLimits { idleMs: number; maxMs: number }

export async function openCustomerSession(db: Kysely<Database>, customerId: number, stage: CustomerSessionStage, kind: CustomerSessionKind, client: { ip: string; userAgent: string }, now: Date): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  await db.insertInto('customer_sessions').values({
    id_hash: hashSessionId(id), customer_id: customerId, stage, kind, created_at: at, last_seen_at: at, ip: client.ip, user_agent: client.userAgent.slice(0, 512),
  }).execute();
  return id;
}

export type CustomerSession = { customer: Customer; stage: CustomerSessionStage; idHash: string };

export async function lookupCustomerSession(db: Kysely<Database>, id: string | undefined, kind: CustomerSessionKind, limits: SessionLimits, now: Date): Promise<CustomerSession | undefined> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const idHash = hashSessionId(id);
  const session = await db.selectFrom('customer_sessions').where('id_hash', '=', idHash).where('kind', '=', kind).selectAll().executeTakeFirst();
  if (!session) return undefined;
  const t = now.getTime();
  const maxAge = session.stage === 'full' ? limits.maxMs : PASSWORD_STAGE_MS;
  if (t - Date.parse(session.last_seen_at) > limits.idleMs || t - Date.parse(session.created_at) > maxAge) {
    await db.deleteFrom('customer_sessions').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  const customer = await db.selectFrom('customers').where('id', '=', session.customer_id).selectAll().executeTakeFirst();
  if (!customer || customer.disabled_at || !customer.email_verified_at) {
    await db.deleteFrom('customer_sessions').where('customer_id', '=', session.customer_id).execute();
    return undefined;
  }
  // Touched at most once a minute: a page view should not always be a write.
  if (t - Date.parse(session.last_seen_at) > 60_000) await db.updateTable('customer_sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  return { customer, stage: session.stage, idHash };
}

export async function endCustomerSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('customer_sessions').where('id_hash', '=', idHash).execute();
}

/** Every session of the account but `keepIdHash` (the one that made the change). */
export async function endOtherCustomerSessions(db: Kysely<Database>, customerId: number, keepIdHash?: string): Promise<void> {
  let q = db.deleteFrom('customer_sessions').where('customer_id', '=', customerId);
  if (keepIdHash) q = q.where('id_hash', '!=', keepIdHash);
  await q.execute();
}
