// History of security checks: one row per run of the deploy gate at start-up, daily,
// or from the CLI, with the findings of that run, so the admin and the monthly report can show
// what was known when. Written by src/policy/daily.ts.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('security_checks')
    .addColumn('id', 'integer', autoId)
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('startup', 'daily', 'cli', 'manual')`))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pass', 'fail', 'error')`))
    .addColumn('exit_code', 'integer', (c) => c.notNull())
    .addColumn('components', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('findings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('violations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('highest_severity', 'text')
    .addColumn('advisory_data_as_of', 'text')
    .addColumn('node_version', 'text')
    .addColumn('node_eol', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('report_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_checks_started_idx').on('security_checks').column('started_at').execute();

  await db.schema
    .createTable('security_check_findings')
    .addColumn('id', 'integer', autoId)
    .addColumn('check_id', 'integer', (c) => c.notNull().references('security_checks.id').onDelete('cascade'))
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('component_name', 'text', (c) => c.notNull())
    .addColumn('component_version', 'text', (c) => c.notNull())
    .addColumn('component_purl', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('fixed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hint', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_check_findings_check_idx').on('security_check_findings').column('check_id').execute();
  await db.schema.createIndex('security_check_findings_advisory_idx').on('security_check_findings').column('advisory_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_check_findings').execute();
  await db.schema.dropTable('security_checks').execute();
}
