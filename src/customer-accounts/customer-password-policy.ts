// The back office's password policy (12+ characters, not on the common-password list), plus what
// a customer's password must not contain: the shop's own name and the customer's e-mail address,
// the first things a guesser who knows both tries.
import { checkPasswordPolicy, type PasswordPolicyResult } from '../admin/password-policy.ts';

export type CustomerPasswordResult = PasswordPolicyResult | { ok: false; error: 'PASSWORD_PERSONAL' };
export type CustomerPasswordError = Exclude<CustomerPasswordResult, { ok: true }>['error'];

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s._\-・]+/gu, '');

export function checkCustomerPassword(password: string, context: { shopName: string; email: string }): CustomerPasswordResult {
  const base = checkPasswordPolicy(password);
  if (!base.ok) return base;
  const folded = fold(password);
  const email = fold(context.email);
  const local = fold(context.email.split('@')[0] ?? '');
  const shop = fold(context.shopName);
  // Three characters at least: "ab" inside a long password is no hint to a guesser.
  for (const personal of [email, local, shop]) {
    if (personal.length >= 3 && folded.includes(personal)) return { ok: false, error: 'PASSWORD_PERSONAL' };
  }
  return { ok: true };
}
