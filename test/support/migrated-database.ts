// A fresh, migrated database on one engine, for tests of queries and services that need no shop.
import type { Kysely } from 'kysely';
import type { TestDatabase } from './databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface MigratedTestDatabase {
  handle: DatabaseHandle;
  db: Kysely<any>;
  url: string;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function openMigratedDatabase(database: TestDatabase): Promise<MigratedTestDatabase> {
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
