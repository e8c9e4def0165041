// TOTP secrets are encrypted at rest (AES-256-GCM), so a copy of the database alone (a backup, a
// dump, an SQL injection elsewhere) does not let anyone mint second-factor codes. The key lives
// outside the database: ADMIN_TOTP_KEY (base64, 32 bytes; needed when several servers share one
// database), or a key file created on first start in DATA_DIR (mode 0600).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TotpSecretBox {
  seal(secret: string): string;
  /** undefined when the value was not sealed with this key (wrong key, edited row). */
  open(sealed: string): string | undefined;
}

const PREFIX = 'v1';

export function totpSecretBox(key: Buffer): TotpSecretBox {
  if (key.length !== 32) throw new Error('the TOTP secret key must be 32 bytes');
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [PREFIX, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [prefix, iv, ct, tag] = sealed.split('.');
      if (prefix !== PREFIX || !iv || !ct || !tag) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export function totpKeyFile(dataDir: string): string {
  return path.join(dataDir, 'admin-totp.key');
}

/** ADMIN_TOTP_KEY if set, else the key file (created with a fresh random key the first time). */
export function loadTotpKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  const fromEnv = env.ADMIN_TOTP_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('ADMIN_TOTP_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
    return key;
  }
  const file = totpKeyFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': never overwrite a key that appeared meanwhile (two processes starting at once).
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
