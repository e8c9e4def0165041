// Table type of customer recovery codes (migration 0730), reached with db.withTables so the shop's
// core schema stays untouched (as passkey-tables.ts does).
import type { Generated } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type CustomerRecoveryCodeTable = {
  id: Generated<number>;
  customer_id: number;
  /** SHA-256 of the normalised code; the code itself is shown once and never stored. */
  code_hash: string;
  used_at: string | null;
};

export type TotpTables = { customer_recovery_codes: CustomerRecoveryCodeTable };

export function totpDb(db: Kysely<Database>): Kysely<Database & TotpTables> {
  return db.withTables<TotpTables>();
}
