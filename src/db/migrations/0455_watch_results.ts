// The latest results of the shop's watchers (file integrity, pan-scan, malware scan, page watch):
// one row per run, pruned per watcher, so the status page, the resumption checklist and the
// monthly report read the same facts whichever instance ran the check.
import type { Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('watch_results')
    .addColumn('id', 'integer', (col) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey()))
    .addColumn('watcher', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watch_results_watcher_idx').on('watch_results').columns(['watcher', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('watch_results').execute();
}
