// Single-use links (e-mail verification, password reset, e-mail change): 32 random bytes in the
// link, only their SHA-256 in the database, an expiry, and spent by one compare-and-swap, so a
// copy of the database opens nothing and two clicks on the same link cannot both succeed.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function issueToken(db: Kysely<Database>, customerId: number, purpose: TokenPurpose, now: Date, validMs: number, newEmail?: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  // A new link replaces the older unused ones of the same purpose: only the latest mail works.
  await db.deleteFrom('customer_tokens').where('customer_id', '=', customerId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
  await db.insertInto('customer_tokens').values({
    token_hash: hashToken(token), customer_id: customerId, purpose, new_email: newEmail ?? null,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + validMs).toISOString(), used_at: null,
  }).execute();
  return token;
}

export type SpentToken = { customerId: number; newEmail: string | null };

/** Spends a valid, unexpired token of that purpose; undefined for anything else (same answer for every failure). */
export async function spendToken(db: Kysely<Database>, token: unknown, purpose: TokenPurpose, now: Date): Promise<SpentToken | undefined> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
  const at = now.toISOString();
  const row = await db.updateTable('customer_tokens').set({ used_at: at })
    .where('token_hash', '=', hashToken(token)).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', at)
    .returning(['customer_id', 'new_email']).executeTakeFirst();
  return row ? { customerId: row.customer_id, newEmail: row.new_email } : undefined;
}

/** Whether a token would be accepted now, without spending it (the reset form is shown first). */
export async function tokenValid(db: Kysely<Database>, token: unknown, purpose: TokenPurpose, now: Date): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return false;
  const row = await db.selectFrom('customer_tokens').select('customer_id')
    .where('token_hash', '=', hashToken(token)).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}
