// Optional TOTP (second step of a password sign-in) for customer accounts, on the back office's
// primitives, imported from src/admin rather than copied: totp.ts (RFC 6238 codes, replay refusal
// by time step, recovery codes), totp-secret-box.ts (the secret sealed at rest with the
// installation key) and login-throttle.ts (failure counting and locks). customer-accounts already
// depends on admin for password hashing and the throttle; admin never imports customer-accounts.
//
// The secret lives in customers.totp_secret from the moment the enrolment page is shown, but
// counts only once totp_enrolled_at is set by a confirming code. Every code check, success or not,
// goes through the throttle under a key of its own per account (not the e-mail's: whoever is here
// already knew the password), per address, and everywhere after failures from several addresses.
import type { Kysely } from 'kysely';
import { adminDb } from '../admin/admin-tables.ts';
import { failureDelayMs } from '../admin/admin-login.ts';
import { clearLoginFailures, lockState, loginNameHash, recordLoginFailure } from '../admin/login-throttle.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from '../admin/totp.ts';
import type { Customer, Database } from '../db/schema.ts';
import type { ShopLogger } from '../shop-context.ts';
import type { AccountRuntime } from './account-runtime.ts';
import { mailCustomer } from './change-account.ts';
import { endOtherCustomerSessions } from './customer-sessions.ts';
import { totpDb } from './totp-tables.ts';

/**
 * Whether a password alone must not sign this account in (TOTP is on). The one place every
 * sign-in path asks: the web sign-in's second step, and a Store API token login, which must refuse
 * a password-only token for such an account.
 */
export async function customerNeedsSecondFactor(db: Kysely<Database>, customerId: number): Promise<boolean> {
  const row = await db.selectFrom('customers').where('id', '=', customerId).select('totp_enrolled_at').executeTakeFirst();
  return row?.totp_enrolled_at != null;
}

/** Unused recovery codes left (shown on the account page; never the codes). */
export async function remainingRecoveryCodes(db: Kysely<Database>, customerId: number): Promise<number> {
  const r = await totpDb(db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).where('used_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

type Throttle = { locked: boolean; fail(): Promise<{ locked: boolean; delayMs: number }>; clear(): Promise<void> };

async function throttle(rt: AccountRuntime, customerId: number, ip: string): Promise<Throttle> {
  const db = adminDb(rt.db);
  const now = rt.now();
  // Not an e-mail (no @, a NUL inside), so it never shares a row with the password step's counts.
  const key = loginNameHash(rt.loginNameKey(), `\u0000totp customer ${customerId}`);
  const state = await lockState(db, key, ip, now);
  return {
    locked: state.locked,
    async fail() {
      const r = await recordLoginFailure(db, rt.accountPolicy, key, ip, now);
      return { locked: r.lockouts.length > 0, delayMs: failureDelayMs(rt.shop.config.customerAccounts.loginDelayStepMs, r.failures) };
    },
    clear: () => clearLoginFailures(db, key, ip),
  };
}

async function freshCustomer(rt: AccountRuntime, customerId: number): Promise<Customer | undefined> {
  return rt.db.selectFrom('customers').where('id', '=', customerId).selectAll().executeTakeFirst();
}

/** The time step of a valid, unused code, spent at once (a conditional update: two racing requests cannot both use it). */
async function spendTotp(rt: AccountRuntime, c: Customer, code: string): Promise<boolean> {
  const secret = c.totp_secret ? rt.totpBox().open(c.totp_secret) : undefined;
  const step = secret !== undefined ? verifyTotp(secret, code, rt.now(), c.totp_last_step) : undefined;
  if (step === undefined) return false;
  const r = await rt.db.updateTable('customers').set({ totp_last_step: step }).where('id', '=', c.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function spendRecoveryCode(rt: AccountRuntime, customerId: number, input: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(input)) return false;
  const r = await totpDb(rt.db).updateTable('customer_recovery_codes').set({ used_at: rt.now().toISOString() })
    .where('customer_id', '=', customerId).where('code_hash', '=', hashRecoveryCode(input)).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type EnrolmentStart = { ok: true; secret: string } | { ok: false; error: 'ALREADY_ON' };

/** The secret to show: the unconfirmed one if the page was opened before (a reload keeps the QR code valid), else a new one. */
export async function enrolmentSecret(rt: AccountRuntime, customerId: number): Promise<EnrolmentStart> {
  const c = await freshCustomer(rt, customerId);
  if (!c || c.totp_enrolled_at) return { ok: false, error: 'ALREADY_ON' };
  const existing = c.totp_secret ? rt.totpBox().open(c.totp_secret) : undefined;
  if (existing) return { ok: true, secret: existing };
  const secret = newTotpSecret();
  await rt.db.updateTable('customers').set({ totp_secret: rt.totpBox().seal(secret), totp_last_step: null }).where('id', '=', customerId).where('totp_enrolled_at', 'is', null).execute();
  return { ok: true, secret };
}

export type CodeError = 'INVALID_CODE' | 'LOCKED';
export type EnrolmentResult = { ok: true; recoveryCodes: string[] } | { ok: false; error: CodeError | 'ALREADY_ON' | 'NOT_STARTED'; delayMs: number };

/**
 * Turns TOTP on with a first code from the app. Returns ten recovery codes (shown once, stored
 * hashed). The account's other sessions end: they were signed in with the password alone.
 */
export async function confirmEnrolment(rt: AccountRuntime, customerId: number, code: string, ip: string, keepSession: string, log: ShopLogger): Promise<EnrolmentResult> {
  const c = await freshCustomer(rt, customerId);
  if (!c) return { ok: false, error: 'NOT_STARTED', delayMs: 0 };
  if (c.totp_enrolled_at) return { ok: false, error: 'ALREADY_ON', delayMs: 0 };
  if (!c.totp_secret) return { ok: false, error: 'NOT_STARTED', delayMs: 0 };
  const t = await throttle(rt, customerId, ip);
  if (t.locked) return { ok: false, error: 'LOCKED', delayMs: 0 };
  if (!(await spendTotp(rt, c, code))) {
    const f = await t.fail();
    return { ok: false, error: f.locked ? 'LOCKED' : 'INVALID_CODE', delayMs: f.delayMs };
  }
  await t.clear();
  const codes = newRecoveryCodes();
  const now = rt.now().toISOString();
  const on = await rt.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('customers').set({ totp_enrolled_at: now, updated_at: now }).where('id', '=', customerId).where('totp_enrolled_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    const tdb = totpDb(trx);
    await tdb.deleteFrom('customer_recovery_codes').where('customer_id', '=', customerId).execute();
    await tdb.insertInto('customer_recovery_codes').values(codes.map((code) => ({ customer_id: customerId, code_hash: hashRecoveryCode(code), used_at: null }))).execute();
    await endOtherCustomerSessions(trx, customerId, keepSession);
    return true;
  });
  if (!on) return { ok: false, error: 'ALREADY_ON', delayMs: 0 };
  mailCustomer(rt, c, { kind: 'changed', what: 'totpOn' }, log);
  return { ok: true, recoveryCodes: codes };
}

export type SecondFactorResult = { ok: true; usedRecoveryCode: boolean } | { ok: false; error: CodeError; delayMs: number };

/**
 * The second step of a password sign-in: a current code (each time step once) or one unused
 * recovery code, which is then spent and the customer told by mail.
 */
export async function checkSignInSecondFactor(rt: AccountRuntime, customerId: number, input: string, ip: string, log: ShopLogger): Promise<SecondFactorResult> {
  const t = await throttle(rt, customerId, ip);
  if (t.locked) return { ok: false, error: 'LOCKED', delayMs: 0 };
  const c = await freshCustomer(rt, customerId);
  let usedRecoveryCode = false;
  let ok = false;
  if (c?.totp_enrolled_at && !c.disabled_at) {
    // A secret that no longer opens (a lost key file) still leaves the recovery codes usable.
    ok = await spendTotp(rt, c, input);
    if (!ok && (await spendRecoveryCode(rt, c.id, input))) ok = usedRecoveryCode = true;
  }
  if (!ok || !c) {
    const f = await t.fail();
    return { ok: false, error: f.locked ? 'LOCKED' : 'INVALID_CODE', delayMs: f.delayMs };
  }
  await t.clear();
  if (usedRecoveryCode) mailCustomer(rt, c, { kind: 'changed', what: 'recoveryCodeUsed', remaining: await remainingRecoveryCodes(rt.db, c.id) }, log);
  return { ok: true, usedRecoveryCode };
}

export type DisableResult = { ok: true } | { ok: false; error: 'WRONG_PASSWORD' | 'NOT_ON' | CodeError; delayMs: number };

/**
 * The check before changing an account's TOTP from a signed-in session (turning it off, new
 * recovery codes): the password and a current code, or a recovery code, for someone who lost the
 * phone but kept the codes. A session left open on a shared computer is not enough. Every failure
 * counts in the code step's throttle.
 */
async function checkPasswordAndCode(rt: AccountRuntime, customerId: number, password: string, code: string, ip: string): Promise<{ ok: true; customer: Customer } | Exclude<DisableResult, { ok: true }>> {
  const c = await freshCustomer(rt, customerId);
  if (!c?.totp_enrolled_at) return { ok: false, error: 'NOT_ON', delayMs: 0 };
  const t = await throttle(rt, customerId, ip);
  if (t.locked) return { ok: false, error: 'LOCKED', delayMs: 0 };
  if (!(await rt.passwords.verify(password, c.password_hash))) {
    const f = await t.fail();
    return { ok: false, error: f.locked ? 'LOCKED' : 'WRONG_PASSWORD', delayMs: f.delayMs };
  }
  if (!(await spendTotp(rt, c, code)) && !(await spendRecoveryCode(rt, c.id, code))) {
    const f = await t.fail();
    return { ok: false, error: f.locked ? 'LOCKED' : 'INVALID_CODE', delayMs: f.delayMs };
  }
  await t.clear();
  return { ok: true, customer: c };
}

/** Turning TOTP off takes the password and a code (checkPasswordAndCode). */
export async function disableTotp(rt: AccountRuntime, customerId: number, password: string, code: string, ip: string, log: ShopLogger): Promise<DisableResult> {
  const checked = await checkPasswordAndCode(rt, customerId, password, code, ip);
  if (!checked.ok) return checked;
  const now = rt.now().toISOString();
  await rt.db.transaction().execute(async (trx) => {
    await trx.updateTable('customers').set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now }).where('id', '=', customerId).execute();
    await totpDb(trx).deleteFrom('customer_recovery_codes').where('customer_id', '=', customerId).execute();
  });
  mailCustomer(rt, checked.customer, { kind: 'changed', what: 'totpOff' }, log);
  return { ok: true };
}

export type RenewCodesResult = { ok: true; recoveryCodes: string[] } | Exclude<DisableResult, { ok: true }>;

/**
 * Ten new recovery codes in place of the old ones (used or not, they all stop working), behind the
 * same check as turning TOTP off. Shown once by the caller, stored hashed, and mailed about: a
 * thief with the password and a code could otherwise quietly keep a way in.
 */
export async function renewRecoveryCodes(rt: AccountRuntime, customerId: number, password: string, code: string, ip: string, log: ShopLogger): Promise<RenewCodesResult> {
  const checked = await checkPasswordAndCode(rt, customerId, password, code, ip);
  if (!checked.ok) return checked;
  const codes = newRecoveryCodes();
  const now = rt.now().toISOString();
  const renewed = await rt.db.transaction().execute(async (trx) => {
    // Still on, and the row locked (PostgreSQL) against a parallel turning-off: codes of an account without TOTP mean nothing.
    const on = await trx.updateTable('customers').set({ updated_at: now }).where('id', '=', customerId).where('totp_enrolled_at', 'is not', null).executeTakeFirst();
    if (Number(on.numUpdatedRows) !== 1) return false;
    const tdb = totpDb(trx);
    await tdb.deleteFrom('customer_recovery_codes').where('customer_id', '=', customerId).execute();
    await tdb.insertInto('customer_recovery_codes').values(codes.map((c) => ({ customer_id: customerId, code_hash: hashRecoveryCode(c), used_at: null }))).execute();
    return true;
  });
  if (!renewed) return { ok: false, error: 'NOT_ON', delayMs: 0 };
  mailCustomer(rt, checked.customer, { kind: 'changed', what: 'recoveryCodesRenewed' }, log);
  return { ok: true, recoveryCodes: codes };
}
