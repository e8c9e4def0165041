// Admin CSRF tokens: bound to the secret they were made from, fresh per page, compared safely.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { csrfTokenFor, csrfTokenValid, preSessionCookie } from './admin-csrf.ts';

describe('admin CSRF tokens', () => {
  const secret = randomBytes(32).toString('base64url');
  it('verify against their own secret only, and differ on every page', () => {
    const a = csrfTokenFor(secret);
    const b = csrfTokenFor(secret);
    expect(a).not.toBe(b);
    expect(csrfTokenValid(secret, a)).toBe(true);
    expect(csrfTokenValid(secret, b)).toBe(true);
    expect(csrfTokenValid(randomBytes(32).toString('base64url'), a)).toBe(false);
  });
  it('refuses malformed, truncated or non-string tokens', () => {
    const t = csrfTokenFor(secret);
    for (const bad of [undefined, '', 'x', t.slice(0, -2), `${t}.x`, t.split('.')[0], ['a'], 'a'.repeat(500)]) expect(csrfTokenValid(secret, bad)).toBe(false);
  });
  it('uses a __Host- cookie over HTTPS (Secure, Path=/, no Domain)', () => {
    expect(preSessionCookie(true)).toMatchObject({ name: '__Host-mamori_admin_pre', options: { secure: true, path: '/', httpOnly: true, sameSite: 'strict' } });
    expect(preSessionCookie(true).options.domain).toBeUndefined();
    expect(preSessionCookie(false).name).toBe('mamori_admin_pre');
  });
});
