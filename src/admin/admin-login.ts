// Signing in: password, then the second factor (TOTP or a recovery code). Failures of either
// step count towards one counter; the sixth consecutive failure locks the account for 15
// minutes (the Japanese card-security guidelines' checklist asks for a lock at six or fewer).
// Every failure, lock and success goes to the audit log.
import { randomBytes } from 'node:crypto';
import type { AdminAccount, AdminDb } from './admin-tables.ts';
import { findAccountByEmail } from './admin-accounts.ts';
import { hashPassword, verifyPassword } from './password-hashing.ts';
import { accountUsable } from './admin-sessions.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from './totp.ts';
import type { TotpSecretBox } from './totp-secret-box.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

export const MAX_CONSECUTIVE_FAILURES = 6;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * How long to wait before answering a failed attempt: one step more per consecutive failure,
 * capped at six steps (with the default 500 ms step: 0.5 s, 1 s, … 3 s), so guessing slows down
 * well before the lock, while a typo costs a legitimate user half a second.
 */
export function failureDelayMs(stepMs: number, consecutiveFailures: number): number {
  return stepMs * Math.min(Math.max(consecutiveFailures, 1), MAX_CONSECUTIVE_FAILURES);
}

// Compared against when the e-mail is unknown, so a miss costs the same scrypt time as a hit.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return decoyHash;
}

export type PasswordStepResult =
  | { ok: true; account: AdminAccount }
  | { ok: false; error: 'INVALID_CREDENTIALS' | 'LOCKED'; failures: number };

export async function checkPasswordStep(db: AdminDb, email: string, password: string, now: Date, ip: string): Promise<PasswordStepResult> {
  const account = await findAccountByEmail(db, email);
  if (!account) {
    await verifyPassword(password, await decoy());
    await appendAuditEntry(db, { actor: null, action: 'auth.login_failed', target: `email:${email.trim().toLowerCase().slice(0, 254)}`, ip, after: { reason: 'unknown_account' }, at: now });
    return { ok: false, error: 'INVALID_CREDENTIALS', failures: 1 };
  }
  if (isLocked(account, now)) {
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_failed', target: `account:${account.id}`, ip, after: { reason: 'locked', lockedUntil: account.locked_until }, at: now });
    return { ok: false, error: 'LOCKED', failures: MAX_CONSECUTIVE_FAILURES };
  }
  const passwordOk = await verifyPassword(password, account.password_hash);
  if (!passwordOk) return recordFailure(db, account, 'bad_password', now, ip);
  if (!accountUsable(account, now)) {
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_failed', target: `account:${account.id}`, ip, after: { reason: account.disabled ? 'disabled' : 'access_expired' }, at: now });
    return { ok: false, error: 'INVALID_CREDENTIALS', failures: 1 };
  }
  return { ok: true, account };
}

function isLocked(account: AdminAccount, now: Date): boolean {
  return account.locked_until !== null && account.locked_until > now.toISOString();
}

async function recordFailure(db: AdminDb, account: AdminAccount, reason: string, now: Date, ip: string): Promise<{ ok: false; error: 'INVALID_CREDENTIALS' | 'LOCKED'; failures: number }> {
  // Incremented in SQL so that concurrent guesses cannot each read the same count.
  const row = await db.updateTable('admin_accounts').set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', account.id).returning('failed_attempts').executeTakeFirstOrThrow();
  const failures = Number(row.failed_attempts);
  await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_failed', target: `account:${account.id}`, ip, after: { reason, consecutiveFailures: failures }, at: now });
  if (failures >= MAX_CONSECUTIVE_FAILURES) {
    const lockedUntil = new Date(now.getTime() + LOCKOUT_MS).toISOString();
    await db.updateTable('admin_accounts').set({ locked_until: lockedUntil, failed_attempts: 0 }).where('id', '=', account.id).execute();
    // Whatever stage the attacker reached is void.
    await db.deleteFrom('admin_sessions').where('account_id', '=', account.id).execute();
    await appendAuditEntry(db, { actor: null, action: 'auth.locked', target: `account:${account.id}`, ip, after: { email: account.email, lockedUntil, consecutiveFailures: failures }, at: now });
    return { ok: false, error: 'LOCKED', failures };
  }
  return { ok: false, error: 'INVALID_CREDENTIALS', failures };
}

export type SecondFactorResult =
  | { ok: true; usedRecoveryCode: boolean }
  | { ok: false; error: 'INVALID_CODE' | 'LOCKED' | 'NOT_ENROLLED'; failures: number };

/** TOTP or one recovery code (which is then spent). Success resets the failure counter. */
export async function checkSecondFactor(db: AdminDb, box: TotpSecretBox, account: AdminAccount, input: string, now: Date, ip: string): Promise<SecondFactorResult> {
  const secret = account.totp_secret ? box.open(account.totp_secret) : undefined;
  if (!account.mfa_enrolled_at) return { ok: false, error: 'NOT_ENROLLED', failures: 0 };
  if (isLocked(account, now)) return { ok: false, error: 'LOCKED', failures: MAX_CONSECUTIVE_FAILURES };
  let usedRecoveryCode = false;
  // A secret that does not open (lost key file) still leaves the recovery codes usable.
  const step = secret !== undefined ? verifyTotp(secret, input, now, account.totp_last_step) : undefined;
  if (step !== undefined) {
    // Conditional on the last step, so two requests racing with the same code cannot both pass.
    const r = await db.updateTable('admin_accounts').set({ totp_last_step: step, failed_attempts: 0, locked_until: null })
      .where('id', '=', account.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return failSecondFactor(db, account, now, ip);
  } else if (looksLikeRecoveryCode(input)) {
    const r = await db.updateTable('admin_recovery_codes').set({ used_at: now.toISOString() })
      .where('account_id', '=', account.id).where('code_hash', '=', hashRecoveryCode(input)).where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return failSecondFactor(db, account, now, ip);
    usedRecoveryCode = true;
    await db.updateTable('admin_accounts').set({ failed_attempts: 0, locked_until: null }).where('id', '=', account.id).execute();
  } else {
    return failSecondFactor(db, account, now, ip);
  }
  await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_succeeded', target: `account:${account.id}`, ip, after: { secondFactor: usedRecoveryCode ? 'recovery_code' : 'totp' }, at: now });
  if (usedRecoveryCode) {
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'mfa.recovery_code_used', target: `account:${account.id}`, ip, at: now });
  }
  return { ok: true, usedRecoveryCode };
}

async function failSecondFactor(db: AdminDb, account: AdminAccount, now: Date, ip: string): Promise<SecondFactorResult> {
  const f = await recordFailure(db, account, 'bad_second_factor', now, ip);
  return { ok: false, error: f.error === 'LOCKED' ? 'LOCKED' : 'INVALID_CODE', failures: f.failures };
}

/** The secret being enrolled: created once and kept until confirmed, so a reload shows the same QR. */
export async function pendingTotpSecret(db: AdminDb, box: TotpSecretBox, account: AdminAccount): Promise<string> {
  const existing = account.totp_secret && !account.mfa_enrolled_at ? box.open(account.totp_secret) : undefined;
  if (existing !== undefined) return existing;
  const secret = newTotpSecret();
  await db.updateTable('admin_accounts').set({ totp_secret: box.seal(secret), totp_last_step: null }).where('id', '=', account.id).where('mfa_enrolled_at', 'is', null).execute();
  return secret;
}

export type EnrolmentResult = { ok: true; recoveryCodes: string[] } | { ok: false; error: 'INVALID_CODE' | 'LOCKED'; failures: number };

/** Confirms enrolment with a first code; returns ten fresh recovery codes (shown once). */
export async function completeEnrolment(db: AdminDb, box: TotpSecretBox, account: AdminAccount, code: string, now: Date, ip: string): Promise<EnrolmentResult> {
  if (isLocked(account, now)) return { ok: false, error: 'LOCKED', failures: MAX_CONSECUTIVE_FAILURES };
  const secret = account.totp_secret && !account.mfa_enrolled_at ? box.open(account.totp_secret) : undefined;
  const step = secret !== undefined ? verifyTotp(secret, code, now, account.totp_last_step) : undefined;
  if (step === undefined) {
    const f = await recordFailure(db, account, 'bad_enrolment_code', now, ip);
    return { ok: false, error: f.error === 'LOCKED' ? 'LOCKED' : 'INVALID_CODE', failures: f.failures };
  }
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('admin_accounts').set({ mfa_enrolled_at: now.toISOString(), totp_last_step: step, failed_attempts: 0 }).where('id', '=', account.id).execute();
    await trx.deleteFrom('admin_recovery_codes').where('account_id', '=', account.id).execute();
    await trx.insertInto('admin_recovery_codes').values(codes.map((c) => ({ account_id: account.id, code_hash: hashRecoveryCode(c), used_at: null }))).execute();
  });
  await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'mfa.enrolled', target: `account:${account.id}`, ip, after: { recoveryCodes: codes.length }, at: now });
  await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_succeeded', target: `account:${account.id}`, ip, after: { secondFactor: 'totp_enrolment' }, at: now });
  return { ok: true, recoveryCodes: codes };
}
