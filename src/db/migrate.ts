// Runs the migrations in ./migrations on either database. Migration files are named
// NNNN_what.ts and export up(db) (and down(db) where it makes sense); each feature adds its own.
// A new migration takes a number above every one that has landed, never a free gap below: Kysely
// runs them in name order and refuses a database that has applied a later name than a pending one
// (`migrations-in-order.test.ts` checks against the names listed there).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresAdapter, type Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** For the few statements that differ between the two engines (types, indexes, search). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
