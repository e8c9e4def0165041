// The admin password policy: at least 12 characters (NIST SP 800-63B favours length over
// composition rules) and not a known common or breached password.
import { readFileSync } from 'node:fs';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordPolicyResult = { ok: true } | { ok: false; error: 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_COMMON' };

let commonPasswords: Set<string> | undefined;
/** Loaded on first use (about 5,000 lines); the list ships in common-passwords.txt beside this file. */
function loadCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return commonPasswords;
}

export function checkPasswordPolicy(password: string): PasswordPolicyResult {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return { ok: false, error: 'PASSWORD_TOO_SHORT' };
  if (length > MAX_PASSWORD_LENGTH) return { ok: false, error: 'PASSWORD_TOO_LONG' };
  const lower = password.toLowerCase();
  const list = loadCommonPasswords();
  if (list.has(lower)) return { ok: false, error: 'PASSWORD_COMMON' };
  // "sunshine2024!!" is a listed word with digits and symbols tacked on: as guessable as the word.
  const base = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (base.length >= 4 && list.has(base)) return { ok: false, error: 'PASSWORD_COMMON' };
  // One character repeated, or the same short chunk repeated ("abcabcabcabc").
  if (/^(.{1,4})\1+$/u.test(lower)) return { ok: false, error: 'PASSWORD_COMMON' };
  return { ok: true };
}
