// Registration with e-mail verification. The page answers the same whether or not the address
// already has an account, and the same work runs either way (one scrypt hash, one mail): a new
// address gets a verification link, a registered one a mail saying it already has an account.
// An unverified account is taken over by whoever registers again and proves the mailbox, so an
// address registered by someone else beforehand (pre-hijacking) cannot keep their password.
import type { FieldErrorCode } from '../checkout/customer-details.ts';
import { z } from 'zod';
import type { Locale } from '../i18n/locale.ts';
import type { ShopLogger } from '../shop-context.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { currentMailShop } from '../shop-settings/mail-signature.ts';
import { CustomerEmail } from './customer-email.ts';
import { checkCustomerPassword, type CustomerPasswordError } from './customer-password-policy.ts';
import { issueToken, spendToken } from './customer-tokens.ts';
import { accountMail } from './account-mails.ts';
import type { AccountRuntime } from './account-runtime.ts';

/** A refused password or code at a TOTP form's field (totp-routes.tsx). */
export type TotpFieldErrorCode = 'wrongPassword' | 'totpWrong' | 'totpLocked';
/** Address fields share the checkout's codes (src/checkout/customer-details.ts). */
export type AccountFieldError = { field: string; code: FieldErrorCode | CustomerPasswordError | TotpFieldErrorCode };

const Form = z.object({ email: z.string().default(''), name: z.string().default(''), password: z.string().default('') });

export function parseRegistration(body: unknown, shopName: string): { ok: true; value: { email: string; name: string; password: string } } | { ok: false; errors: AccountFieldError[] } {
  const raw = Form.safeParse(body ?? {});
  const f = raw.success ? raw.data : { email: '', name: '', password: '' };
  const errors: AccountFieldError[] = [];
  const email = CustomerEmail.safeParse(f.email);
  if (f.email.trim() === '') errors.push({ field: 'email', code: 'required' });
  else if (!email.success) errors.push({ field: 'email', code: email.error.issues[0]?.message === 'cardNumber' ? 'cardNumber' : 'email' });
  const name = f.name.replace(/\u0000/g, '').trim();
  if (name === '') errors.push({ field: 'name', code: 'required' });
  else if (containsCardNumber(name)) errors.push({ field: 'name', code: 'cardNumber' });
  else if ([...name].length > 100) errors.push({ field: 'name', code: 'tooLong' });
  const policy = checkCustomerPassword(f.password, { shopName, email: email.success ? email.data : f.email });
  if (!policy.ok) errors.push({ field: 'password', code: policy.error });
  if (errors.length > 0 || !email.success) return { ok: false, errors };
  return { ok: true, value: { email: email.data, name, password: f.password } };
}

export async function registerCustomer(rt: AccountRuntime, input: { email: string; name: string; password: string; locale: Locale }, log: ShopLogger): Promise<void> {
  const { db, shop } = rt;
  const now = rt.now();
  const at = now.toISOString();
  const passwordHash = await rt.passwords.hash(input.password);
  const inserted = await db.insertInto('customers').values({
    email: input.email, name: input.name, password_hash: passwordHash, locale: input.locale,
    email_verified_at: null, disabled_at: null, totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
  }).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
  const c = shop.config.customerAccounts;
  const mailShop = () => currentMailShop(shop);
  let customerId = inserted?.id;
  if (customerId === undefined) {
    const existing = await db.selectFrom('customers').where('email', '=', input.email).select(['id', 'name', 'locale', 'email_verified_at']).executeTakeFirstOrThrow();
    if (existing.email_verified_at) {
      rt.dispatchMail(mailShop().then((s) => accountMail(input.email, existing.name, existing.locale, s, { kind: 'existing', resetLink: `${shop.config.publicUrl}/account/password-reset?lang=${existing.locale}` })), log);
      return;
    }
    await db.updateTable('customers').set({ name: input.name, password_hash: passwordHash, locale: input.locale, updated_at: at }).where('id', '=', existing.id).where('email_verified_at', 'is', null).execute();
    customerId = existing.id;
  }
  const token = await issueToken(db, customerId, 'verify_email', now, c.verifyLinkMs);
  const link = `${shop.config.publicUrl}/account/verify?token=${token}&lang=${input.locale}`;
  rt.dispatchMail(mailShop().then((s) => accountMail(input.email, input.name, input.locale, s, { kind: 'verify', link, validHours: Math.round(c.verifyLinkMs / 3_600_000) })), log);
}

/** Spends the link and marks the address verified. */
export async function verifyCustomerEmail(rt: AccountRuntime, token: unknown): Promise<boolean> {
  return rt.db.transaction().execute(async (trx) => {
    const now = rt.now();
    const spent = await spendToken(trx, token, 'verify_email', now);
    if (!spent) return false;
    await trx.updateTable('customers').set({ email_verified_at: now.toISOString(), updated_at: now.toISOString() }).where('id', '=', spent.customerId).where('email_verified_at', 'is', null).execute();
    return true;
  });
}
