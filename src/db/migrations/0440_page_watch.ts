// Page watch (src/page-watch/): the approved picture of the way to payment, and a bounded history
// of checks against it. A baseline row is never edited: approving writes a new row, so what was
// trusted when stays readable (and the audit log records who approved which). Types:
// src/page-watch/page-watch-tables.ts.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('page_watch_baselines')
    .addColumn('id', 'integer', autoId)
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('trust-on-first-use', 'approved')`))
    .addColumn('level', 'text', (c) => c.notNull())
    /** JSON array of PageSnapshot (src/page-watch/page-snapshot.ts). */
    .addColumn('snapshots_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addCheckConstraint('page_watch_baselines_approval', sql`(status = 'approved') = (approved_by is not null and approved_at is not null)`)
    .execute();

  await db.schema
    .createTable('page_watch_runs')
    .addColumn('id', 'integer', autoId)
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('match', 'differences', 'baseline-recorded', 'failed')`))
    .addColumn('baseline_id', 'integer')
    /** JSON array of Difference (src/page-watch/compare.ts); [] when the walk matched. */
    .addColumn('differences_json', 'text', (c) => c.notNull())
    /** Why the walk could not check, shortened; null otherwise. */
    .addColumn('error', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('page_watch_runs').execute();
  await db.schema.dropTable('page_watch_baselines').execute();
}
