// Server-side admin sessions. The cookie holds 32 random bytes; the table holds only their
// SHA-256. A session is created after the password ('password' stage, good only for the second
// factor) and replaced by a fresh id once the second factor passes, so an id planted before
// login (session fixation) never becomes a signed-in session.
import { createHash, randomBytes } from 'node:crypto';
import type { AdminAccount, AdminDb } from './admin-tables.ts';

export const SESSION_IDLE_MS = 15 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Between password and second factor: long enough to open the authenticator app and enrol. */
export const PASSWORD_STAGE_MS = 10 * 60 * 1000;

export type SessionStage = 'password' | 'full';

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export interface OpenedSession {
  /** The cookie value (never stored). */
  id: string;
  idHash: string;
  /** Keys the session's CSRF tokens (admin-csrf.ts); a new one with every new session id. */
  csrfSecret: string;
}

export async function openSession(db: AdminDb, accountId: number, stage: SessionStage, client: { ip: string; userAgent: string }, now: Date): Promise<OpenedSession> {
  const id = randomBytes(32).toString('base64url');
  const csrfSecret = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  const idHash = hashSessionId(id);
  await db.insertInto('admin_sessions').values({
    id_hash: idHash, account_id: accountId, stage, created_at: at, last_seen_at: at, ip: client.ip, user_agent: client.userAgent.slice(0, 512), csrf_secret: csrfSecret,
  }).execute();
  return { id, idHash, csrfSecret };
}

/** A new session; returns the cookie value. */
export async function createSession(db: AdminDb, accountId: number, stage: SessionStage, client: { ip: string; userAgent: string }, now: Date): Promise<string> {
  return (await openSession(db, accountId, stage, client, now)).id;
}

export type SessionLookup =
  | { ok: true; stage: SessionStage; account: AdminAccount; idHash: string; csrfSecret: string | null }
  | { ok: false; error: 'NO_SESSION' | 'EXPIRED' | 'ACCOUNT_UNUSABLE' };

/** Whether an account may be signed in at all right now (disabled, vendor time-box over). */
export function accountUsable(account: AdminAccount, now: Date): boolean {
  if (account.disabled) return false;
  if (account.access_expires_at && account.access_expires_at <= now.toISOString()) return false;
  return true;
}

/** Finds the session for a cookie value, enforcing idle and absolute expiry, and touches it. */
export async function lookupSession(db: AdminDb, id: string | undefined, now: Date): Promise<SessionLookup> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return { ok: false, error: 'NO_SESSION' };
  const idHash = hashSessionId(id);
  const session = await db.selectFrom('admin_sessions').where('id_hash', '=', idHash).selectAll().executeTakeFirst();
  if (!session) return { ok: false, error: 'NO_SESSION' };
  const t = now.getTime();
  const created = Date.parse(session.created_at);
  const idle = t - Date.parse(session.last_seen_at);
  const maxAge = session.stage === 'full' ? SESSION_ABSOLUTE_MS : PASSWORD_STAGE_MS;
  if (idle > SESSION_IDLE_MS || t - created > maxAge) {
    await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
    return { ok: false, error: 'EXPIRED' };
  }
  const account = await db.selectFrom('admin_accounts').where('id', '=', session.account_id).selectAll().executeTakeFirst();
  if (!account || !accountUsable(account, now)) {
    await db.deleteFrom('admin_sessions').where('account_id', '=', session.account_id).execute();
    return { ok: false, error: 'ACCOUNT_UNUSABLE' };
  }
  await db.updateTable('admin_sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  return { ok: true, stage: session.stage, account, idHash, csrfSecret: session.csrf_secret };
}

export async function endSession(db: AdminDb, idHash: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
}

/** "Log out everywhere", and what disabling an account or changing its role does. */
export async function endAllSessions(db: AdminDb, accountId: number): Promise<number> {
  const r = await db.deleteFrom('admin_sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
