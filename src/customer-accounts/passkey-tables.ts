// Table types of customer passkeys (migration 0720), reached with db.withTables<PasskeyTables>() so
// the shop's core schema stays untouched.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type CustomerPasskeyTable = {
  /** The credential id, base64url, as the authenticator gave it. */
  credential_id: string;
  customer_id: number;
  /** COSE public key, base64url. */
  public_key: string;
  /** The signature counter (0 for authenticators that do not count, such as most synced passkeys). */
  counter: number | string;
  /** JSON array of transports ("internal", "hybrid", …). */
  transports: string;
  backed_up: number;
  created_at: string;
  last_used_at: string | null;
};

export type WebauthnChallengeTable = {
  challenge_hash: string;
  purpose: 'register' | 'login';
  customer_id: number | null;
  expires_at: string;
};

export type PasskeyTables = {
  customer_passkeys: CustomerPasskeyTable;
  customer_webauthn_challenges: WebauthnChallengeTable;
};

export function passkeyDb(db: Kysely<Database>): Kysely<Database & PasskeyTables> {
  return db.withTables<PasskeyTables>();
}
