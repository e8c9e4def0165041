import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, totpCodeAt, totpUri, verifyTotp } from './totp.ts';

describe('admin TOTP', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-11-25T10:00:15Z');

  it('accepts the current code and one step (30 s) of drift either side, nothing further', () => {
    const step = Math.floor(now.getTime() / 30_000);
    expect(verifyTotp(secret, totpCodeAt(secret, now), now, null)).toBe(step);
    expect(verifyTotp(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now, null)).toBe(step - 1);
    expect(verifyTotp(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now, null)).toBe(step + 1);
    expect(verifyTotp(secret, totpCodeAt(secret, new Date(now.getTime() - 90_000)), now, null)).toBeUndefined();
    expect(verifyTotp(secret, totpCodeAt(secret, new Date(now.getTime() + 90_000)), now, null)).toBeUndefined();
  });

  it('refuses a replayed code and malformed input', () => {
    const code = totpCodeAt(secret, now);
    const step = verifyTotp(secret, code, now, null)!;
    expect(verifyTotp(secret, code, now, step)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeUndefined();
    expect(verifyTotp(secret, '1234567', now, null)).toBeUndefined();
  });

  it('builds an otpauth URI for the QR code', () => {
    expect(totpUri(secret, 'Mamori', 'owner@example.jp')).toMatch(/^otpauth:\/\/totp\/Mamori:owner%40example\.jp\?.*secret=/);
  });

  it('makes ten distinct recovery codes and hashes them case- and space-insensitively', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(looksLikeRecoveryCode(c)).toBe(true);
    expect(hashRecoveryCode(` ${codes[0]!.toUpperCase()} `)).toBe(hashRecoveryCode(codes[0]!));
  });
});
