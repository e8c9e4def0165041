// The monthly security report (src/monthly-report/): the drafts the job builds on the 1st (one row
// per month and locale, written once) and one inventory snapshot per month, so "added, removed,
// upgraded since last month" compares what really ran then rather than what runs today.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monthly_reports')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('ja', 'en')`))
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monthly_reports_pk', ['month', 'locale'])
    .execute();
  await db.schema
    .createTable('monthly_inventory_snapshots')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    // JSON: { node, components: [{ kind, name, version, purl }] } (src/monthly-report/inventory-snapshots.ts)
    .addColumn('inventory_json', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monthly_inventory_snapshots').execute();
  await db.schema.dropTable('monthly_reports').execute();
}
