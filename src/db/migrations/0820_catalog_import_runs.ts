// Issue 18: a large product CSV import runs as a background job, so the merchant sees its progress
// instead of a request that hangs. The row holds the checked plan (product data only: the file is
// never stored, and a plan exists only for a file whose every cell passed the card-number check)
// until the run ends, then only the outcome.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('catalog_import_runs')
    .addColumn('id', 'integer', (c) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey()))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'refused', 'failed')`))
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('plan_json', 'text')
    // Variants written so far, of variants_total (PostgreSQL; on SQLite the write holds the only connection).
    .addColumn('written', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variants_total', 'integer', (c) => c.notNull())
    .addColumn('counts_json', 'text', (c) => c.notNull())
    .addColumn('errors_json', 'text')
    .addColumn('requested_by', 'integer', (c) => c.notNull())
    .addColumn('requested_ip', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('catalog_import_runs_status').on('catalog_import_runs').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalog_import_runs').execute();
}
