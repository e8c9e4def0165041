// The first owner without default credentials: at a start with no owner account, the shop
// prints a one-time setup link (30 minutes, usable once). The token is stored hashed.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { adminDb, type AdminDb } from './admin-tables.ts';
import { createAccount, ownerExists, accountForAudit, type CreateAccountResult } from './admin-accounts.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

export const SETUP_LINK_VALID_MS = 30 * 60 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Returns a fresh setup link when no owner exists yet (older unused links stop working), or
 * undefined once there is an owner. src/main.ts prints it at start-up.
 */
export async function ensureSetupLink(db: Kysely<any>, publicUrl: string, now: Date): Promise<string | undefined> {
  const adb = adminDb(db);
  if (await ownerExists(adb)) return undefined;
  const token = randomBytes(32).toString('base64url');
  await adb.transaction().execute(async (trx) => {
    await trx.deleteFrom('admin_setup_tokens').where('used_at', 'is', null).execute();
    await trx.insertInto('admin_setup_tokens').values({
      token_hash: hashToken(token), created_at: now.toISOString(), expires_at: new Date(now.getTime() + SETUP_LINK_VALID_MS).toISOString(), used_at: null,
    }).execute();
  });
  return `${publicUrl.replace(/\/$/, '')}/admin/setup?token=${token}`;
}

/** Whether a token is currently usable (to show the form, or a "link expired" page). */
export async function setupTokenValid(db: AdminDb, token: string, now: Date): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const row = await db.selectFrom('admin_setup_tokens').where('token_hash', '=', hashToken(token)).selectAll().executeTakeFirst();
  return row !== undefined && row.used_at === null && row.expires_at > now.toISOString() && !(await ownerExists(db));
}

export type CreateFirstOwnerResult = (CreateAccountResult & { auditEntryId?: number }) | { ok: false; error: 'SETUP_LINK_INVALID' };

/** Uses the token and creates the owner in one transaction: the link works exactly once. */
export async function createFirstOwner(db: AdminDb, token: string, input: { email: string; password: string }, now: Date, ip: string): Promise<CreateFirstOwnerResult> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, error: 'SETUP_LINK_INVALID' };
  const result = await db.transaction().execute(async (trx): Promise<CreateFirstOwnerResult> => {
    const used = await trx.updateTable('admin_setup_tokens').set({ used_at: now.toISOString() })
      .where('token_hash', '=', hashToken(token)).where('used_at', 'is', null).where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1 || (await ownerExists(trx))) return { ok: false, error: 'SETUP_LINK_INVALID' };
    const created = await createAccount(trx, { ...input, role: 'owner' }, now);
    // Throwing rolls the token back: a refused password leaves the link usable.
    if (!created.ok) throw new SetupRefused(created);
    return created;
  }).catch((err: unknown) => {
    if (err instanceof SetupRefused) return err.result;
    throw err;
  });
  if (result.ok) {
    result.auditEntryId = (await appendAuditEntry(db, { actor: `admin:${result.account.id}`, action: 'account.created', target: `account:${result.account.id}`, ip, after: { ...accountForAudit(result.account), via: 'setup-link' }, at: now })).id;
  }
  return result;
}

class SetupRefused extends Error {
  constructor(readonly result: CreateFirstOwnerResult) {
    super('setup refused');
  }
}
