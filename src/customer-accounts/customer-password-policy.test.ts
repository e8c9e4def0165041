import { describe, expect, it } from 'vitest';
import { checkCustomerPassword } from './customer-password-policy.ts';

const ctx = { shopName: 'まもり茶舗', email: 'hanako.yamada@example.jp' };

describe('customer password policy', () => {
  it('refuses short, common, shop-name and e-mail passwords and accepts a long unrelated one', () => {
    expect(checkCustomerPassword('short', ctx)).toEqual({ ok: false, error: 'PASSWORD_TOO_SHORT' });
    expect(checkCustomerPassword('password1234', ctx)).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkCustomerPassword('まもり茶舗が大好きです!!', ctx)).toEqual({ ok: false, error: 'PASSWORD_PERSONAL' });
    expect(checkCustomerPassword('Hanako-Yamada-2026x', ctx)).toEqual({ ok: false, error: 'PASSWORD_PERSONAL' });
    expect(checkCustomerPassword('xx hanako.yamada@example.jp', ctx)).toEqual({ ok: false, error: 'PASSWORD_PERSONAL' });
    expect(checkCustomerPassword('correct horse battery staple', ctx)).toEqual({ ok: true });
  });
});
