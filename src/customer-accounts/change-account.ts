// Changes a signed-in customer makes: password (current one required; other sessions end), e-mail
// (a link to the new address; the change happens only when it is opened, and the old address is
// told), and deleting the account (APPI). Every change is mailed to the customer.
import type { ShopLogger } from '../shop-context.ts';
import type { Customer } from '../db/schema.ts';
import { currentMailShop } from '../shop-settings/mail-signature.ts';
import { checkCustomerPassword, type CustomerPasswordError } from './customer-password-policy.ts';
import { endOtherCustomerSessions } from './customer-sessions.ts';
import { issueToken, spendToken } from './customer-tokens.ts';
import { accountMail, type AccountMailKind } from './account-mails.ts';
import type { AccountRuntime } from './account-runtime.ts';

export function mailCustomer(rt: AccountRuntime, c: Pick<Customer, 'email' | 'name' | 'locale'>, kind: AccountMailKind, log: ShopLogger): void {
  rt.dispatchMail(currentMailShop(rt.shop).then((s) => accountMail(c.email, c.name, c.locale, s, kind)), log);
}

export type ChangePasswordResult = { ok: true } | { ok: false; error: 'WRONG_PASSWORD' | CustomerPasswordError };

export async function changePassword(rt: AccountRuntime, customer: Customer, current: string, next: string, keepSession: string, log: ShopLogger): Promise<ChangePasswordResult> {
  if (!(await rt.passwords.verify(current, customer.password_hash))) return { ok: false, error: 'WRONG_PASSWORD' };
  const policy = checkCustomerPassword(next, { shopName: rt.shop.config.shopName, email: customer.email });
  if (!policy.ok) return policy;
  const hash = await rt.passwords.hash(next);
  await rt.db.transaction().execute(async (trx) => {
    await trx.updateTable('customers').set({ password_hash: hash, updated_at: rt.now().toISOString() }).where('id', '=', customer.id).execute();
    await endOtherCustomerSessions(trx, customer.id, keepSession);
  });
  mailCustomer(rt, customer, { kind: 'changed', what: 'password' }, log);
  return { ok: true };
}

export type ChangeEmailResult = { ok: true } | { ok: false; error: 'WRONG_PASSWORD' };

/**
 * Sends the link to the new address. Whether that address already has an account is not said
 * (the link simply fails to apply then), so this form cannot probe for accounts either.
 */
export async function requestEmailChange(rt: AccountRuntime, customer: Customer, newEmail: string, password: string, log: ShopLogger): Promise<ChangeEmailResult> {
  if (!(await rt.passwords.verify(password, customer.password_hash))) return { ok: false, error: 'WRONG_PASSWORD' };
  const c = rt.shop.config.customerAccounts;
  const token = await issueToken(rt.db, customer.id, 'change_email', rt.now(), c.verifyLinkMs, newEmail);
  const link = `${rt.shop.config.publicUrl}/account/email/confirm?token=${token}&lang=${customer.locale}`;
  mailCustomer(rt, { ...customer, email: newEmail }, { kind: 'changeEmail', link, validHours: Math.round(c.verifyLinkMs / 3_600_000) }, log);
  mailCustomer(rt, customer, { kind: 'changed', what: 'emailRequested', email: newEmail }, log);
  return { ok: true };
}

export async function confirmEmailChange(rt: AccountRuntime, token: unknown, log: ShopLogger): Promise<boolean> {
  const now = rt.now();
  const changed = await rt.db.transaction().execute(async (trx) => {
    const spent = await spendToken(trx, token, 'change_email', now);
    if (!spent?.newEmail) return undefined;
    const before = await trx.selectFrom('customers').where('id', '=', spent.customerId).select(['email', 'name', 'locale']).executeTakeFirst();
    const taken = await trx.selectFrom('customers').where('email', '=', spent.newEmail).select('id').executeTakeFirst();
    if (!before || taken) return undefined;
    await trx.updateTable('customers').set({ email: spent.newEmail, updated_at: now.toISOString() }).where('id', '=', spent.customerId).execute();
    return { before, newEmail: spent.newEmail };
  }).catch(() => undefined); // a concurrent registration of the same address: the unique index refuses it
  if (!changed) return false;
  mailCustomer(rt, changed.before, { kind: 'changed', what: 'email', email: changed.newEmail }, log);
  mailCustomer(rt, { ...changed.before, email: changed.newEmail }, { kind: 'changed', what: 'email', email: changed.newEmail }, log);
  return true;
}
