// Background jobs (src/jobs/): one row per run in job_runs (bounded: the scheduler prunes old
// rows per job), and one row per job in job_schedules with its schedule and next planned run, so
// the back office can list every job without the process that runs them. Types: src/jobs/job-tables.ts.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'integer', autoId)
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('startup', 'schedule', 'manual')`))
    /** The slot this run is for (ISO 8601 UTC); the start-up run has the start time. */
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('running', 'ok', 'failed', 'timeout')`))
    /** The error's message only, shortened: never a stack (the status page shows this column). */
    .addColumn('error', 'text')
    .addColumn('instance', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_runs_job_idx').on('job_runs').columns(['job_name', 'id']).execute();

  await db.schema
    .createTable('job_schedules')
    .addColumn('job_name', 'text', (c) => c.primaryKey())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_schedules').execute();
  await db.schema.dropTable('job_runs').execute();
}
