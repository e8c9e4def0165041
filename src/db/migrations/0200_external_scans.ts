// External scan history: one row per scanned target and run, its findings beside it,
// so the back office and the monthly report can show trends and prove the quarterly scan.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema.createTable('scan_runs')
    .addColumn('id', 'integer', autoId)
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('pass', 'fail')`))
    .addColumn('error_code', 'text')
    .addColumn('triggered_by', 'text', (c) => c.notNull().check(sql`triggered_by in ('schedule', 'deploy', 'manual')`))
    .addColumn('app_version', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull()) // ISO 8601 UTC
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('finding_count', 'integer', (c) => c.notNull())
    .addColumn('failing_count', 'integer', (c) => c.notNull())
    .addColumn('report_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_runs_target_idx').on('scan_runs').columns(['target_url', 'started_at']).execute();

  await db.schema.createTable('scan_findings')
    .addColumn('id', 'integer', autoId)
    .addColumn('run_id', 'integer', (c) => c.notNull().references('scan_runs.id').onDelete('cascade'))
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cvss', pg ? 'double precision' : 'real', (c) => c.notNull())
    .addColumn('cve', 'text', (c) => c.notNull()) // JSON array
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('fix', 'text', (c) => c.notNull())
    .addColumn('auto_fail', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_findings_run_idx').on('scan_findings').column('run_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scan_findings').execute();
  await db.schema.dropTable('scan_runs').execute();
}
