// A forgotten password: a single-use link to the registered address, never a password by mail.
// The page says the same whether or not the address has an account; the mail goes out without
// the answer waiting for it (account-runtime.ts), so timing does not tell either.
import { createHash } from 'node:crypto';
import type { ShopLogger } from '../shop-context.ts';
import { currentMailShop } from '../shop-settings/mail-signature.ts';
import { issueToken, spendToken } from './customer-tokens.ts';
import { accountMail } from './account-mails.ts';
import { checkCustomerPassword, type CustomerPasswordError } from './customer-password-policy.ts';
import { endOtherCustomerSessions } from './customer-sessions.ts';
import type { AccountRuntime } from './account-runtime.ts';

export async function requestPasswordReset(rt: AccountRuntime, email: string, log: ShopLogger): Promise<void> {
  const { db, shop } = rt;
  const customer = await db.selectFrom('customers').where('email', '=', email).select(['id', 'name', 'locale', 'disabled_at', 'email_verified_at']).executeTakeFirst();
  if (!customer || customer.disabled_at) return;
  const c = shop.config.customerAccounts;
  const token = await issueToken(db, customer.id, 'reset_password', rt.now(), c.resetLinkMs);
  const link = `${shop.config.publicUrl}/account/password-reset/confirm?token=${token}&lang=${customer.locale}`;
  rt.dispatchMail(currentMailShop(shop).then((s) => accountMail(email, customer.name, customer.locale, s, { kind: 'reset', link, validMinutes: Math.round(c.resetLinkMs / 60_000) })), log);
}

export type ResetResult = { ok: true } | { ok: false; error: 'LINK_INVALID' } | { ok: false; error: CustomerPasswordError };

/**
 * Sets the new password and spends the link in one transaction; every session of the account
 * ends (whoever knew the old password is out). Opening the link proves the mailbox, so an
 * unverified account becomes verified.
 */
export async function completePasswordReset(rt: AccountRuntime, token: unknown, password: string, log: ShopLogger): Promise<ResetResult> {
  const { shop } = rt;
  const now = rt.now();
  const peek = await rt.db.selectFrom('customer_tokens').innerJoin('customers', 'customers.id', 'customer_tokens.customer_id')
    .select(['customers.email']).where('customer_tokens.purpose', '=', 'reset_password').where('customer_tokens.token_hash', '=', tokenHashOf(token)).executeTakeFirst();
  if (!peek) return { ok: false, error: 'LINK_INVALID' };
  const policy = checkCustomerPassword(password, { shopName: shop.config.shopName, email: peek.email });
  if (!policy.ok) return policy;
  const passwordHash = await rt.passwords.hash(password);
  const customer = await rt.db.transaction().execute(async (trx) => {
    const spent = await spendToken(trx, token, 'reset_password', now);
    if (!spent) return undefined;
    const at = now.toISOString();
    await trx.updateTable('customers').set((eb) => ({ password_hash: passwordHash, updated_at: at, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(at)) })).where('id', '=', spent.customerId).execute();
    await endOtherCustomerSessions(trx, spent.customerId);
    return trx.selectFrom('customers').where('id', '=', spent.customerId).select(['email', 'name', 'locale']).executeTakeFirstOrThrow();
  });
  if (!customer) return { ok: false, error: 'LINK_INVALID' };
  rt.dispatchMail(currentMailShop(shop).then((s) => accountMail(customer.email, customer.name, customer.locale, s, { kind: 'changed', what: 'password' })), log);
  return { ok: true };
}

function tokenHashOf(token: unknown): string {
  return createHash('sha256').update(typeof token === 'string' ? token : '').digest('hex');
}
