// Customer sign-in with the back office's failed-login counters (src/admin/login-throttle.ts,
// rows keyed by an HMAC under a customer key of its own): per (e-mail, address) with a lock, per
// e-mail everywhere after failures from several addresses, and per address over every e-mail.
// An unknown e-mail is counted, delayed, locked and hashed exactly like a real one.
import { adminDb } from '../admin/admin-tables.ts';
import { failureDelayMs } from '../admin/admin-login.ts';
import { clearLoginFailures, lockState, loginNameHash, recordLoginFailure } from '../admin/login-throttle.ts';
import type { Customer } from '../db/schema.ts';
import { normalizeCustomerEmail } from './customer-email.ts';
import type { AccountRuntime } from './account-runtime.ts';

/** Stands for "any e-mail" in the per-address row: never a normalised address (no @, NUL inside). */
const ANY_EMAIL = '\u0000any e-mail';

export type SignInResult =
  | { ok: true; customer: Customer; needsSecondFactor: boolean }
  /** The password was right but the address is not verified yet: a new link was sent. */
  | { ok: false; error: 'UNVERIFIED'; customer: Customer }
  | { ok: false; error: 'INVALID_CREDENTIALS' | 'LOCKED'; delayMs: number };

export async function signInCustomer(rt: AccountRuntime, emailTyped: string, password: string, ip: string): Promise<SignInResult> {
  const db = adminDb(rt.db);
  const now = rt.now();
  const email = normalizeCustomerEmail(emailTyped).slice(0, 254);
  const key = rt.loginNameKey();
  const nameKey = loginNameHash(key, email);
  const addressNameKey = loginNameHash(key, ANY_EMAIL);
  const step = rt.shop.config.customerAccounts.loginDelayStepMs;
  const [pair, address] = await Promise.all([lockState(db, nameKey, ip, now), lockState(db, addressNameKey, ip, now)]);
  if (pair.locked || address.locked) return { ok: false, error: 'LOCKED', delayMs: failureDelayMs(step, Number.MAX_SAFE_INTEGER) };
  const customer = await rt.db.selectFrom('customers').where('email', '=', email).selectAll().executeTakeFirst();
  const passwordOk = await rt.passwords.verify(password, customer?.password_hash ?? (await rt.decoyHash()));
  if (customer && passwordOk && !customer.disabled_at) {
    await clearLoginFailures(db, nameKey, ip);
    if (!customer.email_verified_at) return { ok: false, error: 'UNVERIFIED', customer };
    return { ok: true, customer, needsSecondFactor: customer.totp_enrolled_at !== null };
  }
  const [byPair, byAddress] = [await recordLoginFailure(db, rt.accountPolicy, nameKey, ip, now), await recordLoginFailure(db, rt.addressPolicy, addressNameKey, ip, now)];
  const locked = byPair.lockouts.length > 0 || byAddress.lockouts.length > 0;
  // The delay grows with whichever count is further along: this e-mail from here, or this address
  // over all e-mails (a fifth as fast, since its allowance is five times larger).
  const consecutive = Math.max(byPair.failures, Math.ceil(byAddress.failures / 5));
  return { ok: false, error: locked ? 'LOCKED' : 'INVALID_CREDENTIALS', delayMs: failureDelayMs(step, consecutive) };
}
