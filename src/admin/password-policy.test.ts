import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy.ts';

describe('admin password policy', () => {
  it('refuses passwords under 12 characters, counting characters not bytes', () => {
    expect(checkPasswordPolicy('Xk3#pq9Lm2a')).toEqual({ ok: false, error: 'PASSWORD_TOO_SHORT' });
    expect(checkPasswordPolicy('まもりのパスワードです')).toEqual({ ok: false, error: 'PASSWORD_TOO_SHORT' }); // 11 chars, 33 bytes
    expect(checkPasswordPolicy('まもりの合言葉はとても長い')).toEqual({ ok: true });
  });

  it('refuses passwords from the shipped common/breached list, whatever the case', () => {
    expect(checkPasswordPolicy('qwertyuiop123')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkPasswordPolicy('PASSWORD1234')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkPasswordPolicy('1qaz2wsx3edc')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
  });

  it('refuses a listed word with digits or symbols tacked on, and repetitions', () => {
    expect(checkPasswordPolicy('sunshine2024!!')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkPasswordPolicy('!!Dragon123456')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkPasswordPolicy('zzzzzzzzzzzzzz')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
    expect(checkPasswordPolicy('xyz1xyz1xyz1xyz1')).toEqual({ ok: false, error: 'PASSWORD_COMMON' });
  });

  it('accepts a long uncommon passphrase', () => {
    expect(checkPasswordPolicy('correct horse battery staple')).toEqual({ ok: true });
    expect(checkPasswordPolicy('Hanako-tea-shop-2026')).toEqual({ ok: true });
  });
});
