// Back-office accounts: creation (with the password policy), lookup and owner changes.
import type { AdminAccount, AdminDb, AdminRole } from './admin-tables.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { hashPassword } from './password-hashing.ts';

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
