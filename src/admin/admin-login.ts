// Signing in: password, then the second factor (TOTP or a recovery code). Failures of either
// step count per (attempted name, client address) in login-throttle.ts: the pair is locked at
// the sixth (the Japanese card-security guidelines' checklist asks for a lock at six or fewer),
// the name everywhere only after failures from several addresses. A failure never ends a
// session. Every attempt, lockout and success goes to the audit log; what was typed as a name
// is kept only if it is an e-mail address (a password typed into the wrong field is not).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import type { AdminAccount, AdminDb } from './admin-tables.ts';
import { findAccountByEmail } from './admin-accounts.ts';
import { hashPassword, verifyPassword } from './password-hashing.ts';
import { accountUsable } from './admin-sessions.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from './totp.ts';
import type { TotpSecretBox } from './totp-secret-box.ts';
import { clearLoginFailures, lockState, loginNameHash, normalizeLoginName, recordLoginFailure, type LoginGuard } from './login-throttle.ts';
import { recordAlert, type AlertInput } from '../alerts/raise-alert.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

/** The steps of the failure delay; the lock itself is per LockoutPolicy. */
export const MAX_DELAY_STEPS = 6;

/**
 * How long to wait before answering a failed attempt: one step more per consecutive failure,
 * capped at six steps (with the default 500 ms step: 0.5 s, 1 s, … 3 s), so guessing slows down
 * well before the lock, while a typo costs a legitimate user half a second.
 */
export function failureDelayMs(stepMs: number, consecutiveFailures: number): number {
  return stepMs * Math.min(Math.max(consecutiveFailures, 1), MAX_DELAY_STEPS);
}

// Compared against when the e-mail is unknown, so a miss costs the same scrypt time as a hit.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return decoyHash;
}

const EmailAddress = z.string().max(254).pipe(z.email());

/** Who an attempt was aimed at, for the audit log: the account, an e-mail address, or a keyed hash and length. */
function attemptTarget(guard: LoginGuard, name: string, account: AdminAccount | undefined): { target: string; nameLength?: number } {
  if (account) return { target: `account:${account.id}` };
  const normalized = normalizeLoginName(name);
  // An unknown address is kept as typed (it says who was tried) unless it holds a card number:
  // that must never reach the audit log, nor the lockout alert's mail and webhook.
  if (EmailAddress.safeParse(normalized).success && !containsCardNumber(normalized)) return { target: `email:${normalized}` };
  return { target: `name-hmac:${loginNameHash(guard.nameKey, name).slice(0, 32)}`, nameLength: [...normalized].length };
}

type Failure = { ok: false; error: 'INVALID_CREDENTIALS' | 'LOCKED'; failures: number };

export type PasswordStepResult = { ok: true; account: AdminAccount } | Failure;

/**
 * The same work and the same answers whether or not the name is an account: one counter per
 * (name, address), the same lock, a password hash compared either way.
 */
export async function checkPasswordStep(db: AdminDb, name: string, password: string, now: Date, ip: string, guard: LoginGuard): Promise<PasswordStepResult> {
  const nameKey = loginNameHash(guard.nameKey, name);
  const account = await findAccountByEmail(db, name.trim().slice(0, 254));
  const who = attemptTarget(guard, name, account);
  const actor = account ? `admin:${account.id}` : null;
  const state = await lockState(db, nameKey, ip, now);
  if (state.locked) {
    await appendAuditEntry(db, { actor, action: 'auth.login_failed', target: who.target, ip, after: { reason: 'locked', lockScope: state.scope, lockedUntil: state.lockedUntil, ...lengthOf(who) }, at: now });
    await guard.signals?.afterFailure(ip, now);
    return { ok: false, error: 'LOCKED', failures: guard.policy.perAddress };
  }
  const passwordOk = await verifyPassword(password, account?.password_hash ?? (await decoy()));
  const reason = !account ? 'unknown_account' : !passwordOk ? 'bad_password' : !accountUsable(account, now) ? (account.disabled ? 'disabled' : 'access_expired') : undefined;
  if (reason) return recordFailure(db, guard, nameKey, { actor, ...who }, reason, now, ip);
  return { ok: true, account: account! };
}

const lengthOf = (who: { nameLength?: number }) => (who.nameLength === undefined ? {} : { nameLength: who.nameLength });

async function recordFailure(db: AdminDb, guard: LoginGuard, nameKey: string, who: { actor: string | null; target: string; nameLength?: number }, reason: string, now: Date, ip: string): Promise<Failure> {
  const outcome = await recordLoginFailure(db, guard.policy, nameKey, ip, now);
  await appendAuditEntry(db, { actor: who.actor, action: 'auth.login_failed', target: who.target, ip, after: { reason, consecutiveFailures: outcome.failures, ...lengthOf(who) }, at: now });
  // One audit entry per lock, with its scope, and an alert on the dashboard: an owner should
  // know someone is guessing, rather than only find an account silently locked.
  for (const l of outcome.lockouts) {
    const entry = await appendAuditEntry(db, { actor: null, action: 'admin.lockout', target: who.target, ip, after: { scope: l.scope, lockedUntil: l.lockedUntil, failures: l.failures, addresses: l.addresses, ...lengthOf(who) }, at: now });
    const alert: AlertInput = {
      kind: 'admin.lockout',
      severity: l.scope === 'account' ? 'high' : 'medium',
      dedupeKey: `admin-lockout:${who.target}:${l.scope}`,
      summary: `back-office sign-in locked (${l.scope === 'account' ? 'for every address' : `for ${ip}`}) after ${l.failures} failures for ${who.target}`,
      evidence: { auditEntryId: entry.id, target: who.target, scope: l.scope, address: ip, lockedUntil: l.lockedUntil },
    };
    // Through the whole channel (owners' e-mail, webhook) when the shop handed its signals in.
    if (guard.signals) await guard.signals.raise(alert);
    else await recordAlert(db, alert, now);
  }
  await guard.signals?.afterFailure(ip, now);
  return { ok: false, error: outcome.lockouts.length > 0 ? 'LOCKED' : 'INVALID_CREDENTIALS', failures: outcome.failures };
}

/** Second-factor failures count on the same (name, address) pair as the password's. */
async function failAccountStep(db: AdminDb, guard: LoginGuard, account: AdminAccount, reason: string, now: Date, ip: string): Promise<Failure> {
  return recordFailure(db, guard, loginNameHash(guard.nameKey, account.email), { actor: `admin:${account.id}`, target: `account:${account.id}` }, reason, now, ip);
}

async function accountStepLocked(db: AdminDb, guard: LoginGuard, account: AdminAccount, now: Date, ip: string): Promise<boolean> {
  return (await lockState(db, loginNameHash(guard.nameKey, account.email), ip, now)).locked;
}

export type SecondFactorResult =
  | { ok: true; usedRecoveryCode: boolean; loginAuditEntryId: number }
  | { ok: false; error: 'INVALID_CODE' | 'LOCKED' | 'NOT_ENROLLED'; failures: number };

/** TOTP or one recovery code (which is then spent). Success clears the pair's failure count. */
export async function checkSecondFactor(db: AdminDb, box: TotpSecretBox, account: AdminAccount, input: string, now: Date, ip: string, guard: LoginGuard): Promise<SecondFactorResult> {
  const secret = account.totp_secret ? box.open(account.totp_secret) : undefined;
  if (!account.mfa_enrolled_at) return { ok: false, error: 'NOT_ENROLLED', failures: 0 };
  if (await accountStepLocked(db, guard, account, now, ip)) return { ok: false, error: 'LOCKED', failures: guard.policy.perAddress };
  let usedRecoveryCode = false;
  // A secret that does not open (lost key file) still leaves the recovery codes usable.
  const step = secret !== undefined ? verifyTotp(secret, input, now, account.totp_last_step) : undefined;
  if (step !== undefined) {
    // Conditional on the last step, so two requests racing with the same code cannot both pass.
    const r = await db.updateTable('admin_accounts').set({ totp_last_step: step })
      .where('id', '=', account.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return failSecondFactor(db, guard, account, now, ip);
  } else if (looksLikeRecoveryCode(input)) {
    const r = await db.updateTable('admin_recovery_codes').set({ used_at: now.toISOString() })
      .where('account_id', '=', account.id).where('code_hash', '=', hashRecoveryCode(input)).where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return failSecondFactor(db, guard, account, now, ip);
    usedRecoveryCode = true;
  } else {
    return failSecondFactor(db, guard, account, now, ip);
  }
  await clearLoginFailures(db, loginNameHash(guard.nameKey, account.email), ip);
  const login = await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_succeeded', target: `account:${account.id}`, ip, after: { secondFactor: usedRecoveryCode ? 'recovery_code' : 'totp' }, at: now });
  if (usedRecoveryCode) {
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'mfa.recovery_code_used', target: `account:${account.id}`, ip, at: now });
  }
  return { ok: true, usedRecoveryCode, loginAuditEntryId: login.id };
}

async function failSecondFactor(db: AdminDb, guard: LoginGuard, account: AdminAccount, now: Date, ip: string): Promise<SecondFactorResult> {
  const f = await failAccountStep(db, guard, account, 'bad_second_factor', now, ip);
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

export type EnrolmentResult = { ok: true; recoveryCodes: string[]; loginAuditEntryId: number } | { ok: false; error: 'INVALID_CODE' | 'LOCKED'; failures: number };

/** Confirms enrolment with a first code; returns ten fresh recovery codes (shown once). */
export async function completeEnrolment(db: AdminDb, box: TotpSecretBox, account: AdminAccount, code: string, now: Date, ip: string, guard: LoginGuard): Promise<EnrolmentResult> {
  if (await accountStepLocked(db, guard, account, now, ip)) return { ok: false, error: 'LOCKED', failures: guard.policy.perAddress };
  const secret = account.totp_secret && !account.mfa_enrolled_at ? box.open(account.totp_secret) : undefined;
  const step = secret !== undefined ? verifyTotp(secret, code, now, account.totp_last_step) : undefined;
  if (step === undefined) {
    const f = await failAccountStep(db, guard, account, 'bad_enrolment_code', now, ip);
    return { ok: false, error: f.error === 'LOCKED' ? 'LOCKED' : 'INVALID_CODE', failures: f.failures };
  }
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('admin_accounts').set({ mfa_enrolled_at: now.toISOString(), totp_last_step: step }).where('id', '=', account.id).execute();
    await trx.deleteFrom('admin_recovery_codes').where('account_id', '=', account.id).execute();
    await trx.insertInto('admin_recovery_codes').values(codes.map((c) => ({ account_id: account.id, code_hash: hashRecoveryCode(c), used_at: null }))).execute();
  });
  await clearLoginFailures(db, loginNameHash(guard.nameKey, account.email), ip);
  await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'mfa.enrolled', target: `account:${account.id}`, ip, after: { recoveryCodes: codes.length }, at: now });
  const login = await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'auth.login_succeeded', target: `account:${account.id}`, ip, after: { secondFactor: 'totp_enrolment' }, at: now });
  return { ok: true, recoveryCodes: codes, loginAuditEntryId: login.id };
}

export type FreshTotpResult = { ok: true } | { ok: false; error: 'INVALID_CODE' | 'LOCKED' | 'NOT_ENROLLED'; failures: number };

/**
 * A fresh TOTP code for a deliberate act of a signed-in owner (lifting a pause, approving the
 * payment pages): a stolen session alone cannot do it. TOTP only — a recovery code is for a lost
 * device, not for confirming an act. The same replay guard as the login (a code's time step is
 * spent), and failures count on the login's (name, address) pair, so a session cannot guess codes.
 */
export async function checkFreshTotp(db: AdminDb, box: TotpSecretBox, accountId: number, input: string, now: Date, ip: string, guard: LoginGuard): Promise<FreshTotpResult> {
  // Read again: the session's copy of totp_last_step is as old as the request.
  const account = await db.selectFrom('admin_accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
  if (!account.mfa_enrolled_at || !account.totp_secret) return { ok: false, error: 'NOT_ENROLLED', failures: 0 };
  if (await accountStepLocked(db, guard, account, now, ip)) return { ok: false, error: 'LOCKED', failures: guard.policy.perAddress };
  const secret = box.open(account.totp_secret);
  const step = secret !== undefined ? verifyTotp(secret, input.trim(), now, account.totp_last_step) : undefined;
  const spent = step !== undefined && Number((await db.updateTable('admin_accounts').set({ totp_last_step: step })
    .where('id', '=', account.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst()).numUpdatedRows) === 1;
  if (!spent) {
    const f = await failAccountStep(db, guard, account, 'bad_confirmation_code', now, ip);
    return { ok: false, error: f.error === 'LOCKED' ? 'LOCKED' : 'INVALID_CODE', failures: f.failures };
  }
  await clearLoginFailures(db, loginNameHash(guard.nameKey, account.email), ip);
  return { ok: true };
}
