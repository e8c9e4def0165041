// For the audit tests: a migrated database on each engine, and the way an attacker with database
// access gets past the append-only triggers (PostgreSQL: ALTER TABLE … DISABLE TRIGGER; SQLite,
// which cannot disable a trigger: DROP it and put it back), so tests can tamper like one.
import { sql, type Kysely } from 'kysely';
import type { TestDatabase } from './databases.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from './migrated-database.ts';

export type AuditTestDatabase = MigratedTestDatabase;

/** A migrated database for the audit tests (the generic one, under the audit tests' name). */
export const openAuditTestDatabase: (database: TestDatabase) => Promise<AuditTestDatabase> = openMigratedDatabase;

/** Runs raw statements against audit_log with its protective triggers out of the way. */
export async function tamperWithAuditLog(handle: DatabaseHandle, tamper: (db: Kysely<any>) => Promise<void>): Promise<void> {
  const db = handle.db as Kysely<any>;
  if (handle.kind === 'postgres') {
    await sql`alter table audit_log disable trigger user`.execute(db);
    try {
      await tamper(db);
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(db);
    }
    return;
  }
  await sql`drop trigger audit_log_no_update`.execute(db);
  await sql`drop trigger audit_log_no_delete`.execute(db);
  try {
    await tamper(db);
  } finally {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only (UPDATE refused)'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only (DELETE refused)'); end`.execute(db);
  }
}
