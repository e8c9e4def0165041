// Back-office accounts: creation (with the password policy), lookup and owner changes.
import type { AdminAccount, AdminDb, AdminRole } from './admin-tables.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { hashPassword } from './password-hashing.ts';
import { endAllSessions } from './admin-sessions.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type CreateAccountResult =
  | { ok: true; account: AdminAccount }
  | { ok: false; error: 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_COMMON' | 'EMAIL_TAKEN' };

export interface NewAccount {
  email: string;
  password: string;
  role: AdminRole;
  refundLimit?: number | null;
  accessExpiresAt?: string | null;
}

export async function createAccount(db: AdminDb, input: NewAccount, now: Date): Promise<CreateAccountResult> {
  const policy = checkPasswordPolicy(input.password);
  if (!policy.ok) return policy;
  const email = normalizeEmail(input.email);
  if (policy.ok && input.password.toLowerCase().includes(email.split('@')[0]!) && email.split('@')[0]!.length >= 4) {
    return { ok: false, error: 'PASSWORD_COMMON' };
  }
  const existing = await db.selectFrom('admin_accounts').where('email', '=', email).select('id').executeTakeFirst();
  if (existing) return { ok: false, error: 'EMAIL_TAKEN' };
  const passwordHash = await hashPassword(input.password);
  try {
    const account = await db.insertInto('admin_accounts').values({
      email,
      role: input.role,
      password_hash: passwordHash,
      totp_secret: null,
      mfa_enrolled_at: null,
      totp_last_step: null,
      locked_until: null,
      access_expires_at: input.accessExpiresAt ?? null,
      refund_limit: input.role === 'staff' ? (input.refundLimit ?? 0) : null,
      created_at: now.toISOString(),
    }).returningAll().executeTakeFirstOrThrow();
    return { ok: true, account };
  } catch (err) {
    // Two creations racing for the same address: the unique index decides.
    if (/unique|duplicate/i.test(String((err as Error).message))) return { ok: false, error: 'EMAIL_TAKEN' };
    throw err;
  }
}

export async function findAccountByEmail(db: AdminDb, email: string): Promise<AdminAccount | undefined> {
  return db.selectFrom('admin_accounts').where('email', '=', normalizeEmail(email)).selectAll().executeTakeFirst();
}

export async function findAccount(db: AdminDb, id: number): Promise<AdminAccount | undefined> {
  return db.selectFrom('admin_accounts').where('id', '=', id).selectAll().executeTakeFirst();
}

export async function listAccounts(db: AdminDb): Promise<AdminAccount[]> {
  return db.selectFrom('admin_accounts').selectAll().orderBy('id').execute();
}

export async function ownerExists(db: AdminDb): Promise<boolean> {
  const r = await db.selectFrom('admin_accounts').where('role', '=', 'owner').select('id').limit(1).executeTakeFirst();
  return r !== undefined;
}

/** What the audit log records of an account: never the hash or the TOTP secret. */
export function accountForAudit(a: AdminAccount) {
  return {
    id: a.id, email: a.email, role: a.role, disabled: Boolean(a.disabled), refundLimit: a.refund_limit,
    accessExpiresAt: a.access_expires_at, mfaEnrolled: a.mfa_enrolled_at !== null,
  };
}

export type ResetTotpResult =
  | { ok: true; account: AdminAccount; auditEntryId: number }
  | { ok: false; error: 'NOT_FOUND' | 'SELF' | 'NOT_ENROLLED' };

/**
 * A colleague lost their authenticator: the owner clears the account's TOTP secret and recovery
 * codes, so its next sign-in lands on the same enrolment page as a new account's first one. Whoever
 * holds one of its sessions may be the one who has the phone, so every session ends in the same
 * transaction as the reset and its audit entry (the reason, never the secret). Not for oneself:
 * an owner who could reset their own second factor with only a session would make it worthless.
 */
export async function resetAccountTotp(db: AdminDb, id: number, reason: string, actor: { id: number; ip: string }, now: Date): Promise<ResetTotpResult> {
  if (id === actor.id) return { ok: false, error: 'SELF' };
  return db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, id);
    if (!before) return { ok: false, error: 'NOT_FOUND' } as const;
    const after = await trx.updateTable('admin_accounts').set({ totp_secret: null, mfa_enrolled_at: null, totp_last_step: null })
      .where('id', '=', id).where('mfa_enrolled_at', 'is not', null).returningAll().executeTakeFirst();
    if (!after) return { ok: false, error: 'NOT_ENROLLED' } as const;
    await trx.deleteFrom('admin_recovery_codes').where('account_id', '=', id).execute();
    const sessionsEnded = await endAllSessions(trx, id);
    const entry = await appendAuditEntry(trx, {
      actor: `admin:${actor.id}`, action: 'mfa.reset', target: `account:${id}`, ip: actor.ip,
      before: { mfaEnrolled: true, mfaEnrolledAt: before.mfa_enrolled_at },
      after: { mfaEnrolled: false, confirmedWith: 'fresh_totp', reason, sessionsEnded }, at: now,
    });
    return { ok: true, account: after, auditEntryId: entry.id } as const;
  });
}
