// The sandbox's inspection pages (notification log) list transaction ids, and a transaction id
// opens its payment page: they are for the developer at the terminal, not for anyone who can
// reach the port. The token is printed at start and written (0600) next to the merchant
// credentials, so the shop's `npm start` banner can show the link.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** File name of the token, in the same folder as the sandbox merchant credentials file. */
export const SANDBOX_INSPECTION_TOKEN_FILE = 'paygate-sandbox-token';

const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;

export function newInspectionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Reuses the token in `file` (so bookmarks survive restarts) or writes a new one, mode 0600. */
export function loadOrCreateInspectionToken(file: string): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (TOKEN.test(existing)) return existing;
  } catch {
    // missing: create below
  }
  const token = newInspectionToken();
  // On a first start the shop's data folder may not exist yet.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return token;
}

export function defaultInspectionTokenFile(credentialsFile: string): string {
  return path.join(path.dirname(path.resolve(credentialsFile)), SANDBOX_INSPECTION_TOKEN_FILE);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison (over digests, so lengths do not leak either). */
export function inspectionTokenMatches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(expected), digest(given));
}
