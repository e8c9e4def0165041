// Opens the gateway's own SQLite file and brings it to the latest schema. Migrations are
// imported statically (not read from a folder) so the gateway runs the same under tsx,
// vitest or a bundler.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as konbini from './migrations/0002-konbini.ts';
import type { PaygateSchema } from './schema.ts';
import { ensurePrivateDirectory, ensurePrivateFile, refuseIfOpenToOthers } from '../platform/private-files.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-konbini': konbini,
};

export interface PaygateDatabase {
  db: Kysely<PaygateSchema>;
  close(): Promise<void>;
}

export async function openPaygateDatabase(file: string): Promise<PaygateDatabase> {
  if (file !== ':memory:') {
    // Merchant secrets are stored here (and pass through the WAL) in clear, because every
    // signature needs them: the folder is 0700 and the files 0600 (SQLite gives -wal and -shm
    // the database file's mode); a start on files open to other users is refused.
    ensurePrivateDirectory(path.dirname(path.resolve(file)));
    ensurePrivateFile(file);
    for (const side of ['-wal', '-shm']) refuseIfOpenToOthers(file + side, `chmod 600 ${path.resolve(file)}*`);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<PaygateSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`paygate migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
  return { db, close: () => db.destroy() };
}
