// For the audit tests: a migrated database on each engine, and the way an attacker with database
// access gets past the append-only triggers (PostgreSQL: ALTER TABLE … DISABLE TRIGGER; SQLite,
// which cannot disable a trigger: DROP it and put it back), so tests can tamper like one.
import { sql, type Kysely } from 'kysely';
import type { TestDatabase } from './databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface AuditTestDatabase {
  handle: DatabaseHandle;
  db: Kysely<any>;
  url: string;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function openAuditTestDatabase(database: TestDatabase): Promise<AuditTestDatabase> {
  const created = await database.create();
  const handle = openDatabase(created.url);
  await migrateToLatest(handle.db);
  return {
    handle,
    db: handle.db as Kysely<any>,
    url: created.url,
    dataDir: created.dataDir,
    async dispose() {
      await handle.close();
      await created.drop();
    },
  };
}

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
