import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadTotpKey, totpKeyFile, totpSecretBox } from './totp-secret-box.ts';

describe('TOTP secrets at rest', () => {
  it('seals with AES-256-GCM: not readable, fresh IV each time, tampering or another key fails', () => {
    const box = totpSecretBox(randomBytes(32));
    const a = box.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(a);
    expect(box.open(a)).toBe('JBSWY3DPEHPK3PXP');
    const parts = a.split('.');
    parts[2] = Buffer.from('AAAAAAAAAAAAAAAA').toString('base64url');
    expect(box.open(parts.join('.'))).toBeUndefined();
    expect(totpSecretBox(randomBytes(32)).open(a)).toBeUndefined();
    expect(box.open('JBSWY3DPEHPK3PXP')).toBeUndefined();
  });

  it('creates a 0600 key file once and reuses it; ADMIN_TOTP_KEY wins when set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mamori-totp-key-'));
    const first = loadTotpKey({}, dir);
    expect(first).toHaveLength(32);
    expect(statSync(totpKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(loadTotpKey({}, dir).equals(first)).toBe(true);
    const env = randomBytes(32);
    expect(loadTotpKey({ ADMIN_TOTP_KEY: env.toString('base64') }, dir).equals(env)).toBe(true);
    expect(() => loadTotpKey({ ADMIN_TOTP_KEY: 'c2hvcnQ=' }, dir)).toThrow(/32 bytes/);
  });
});
