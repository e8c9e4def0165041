// What an incident gathers (issue 13, src/incidents/): manual timeline entries, evidence (append-only:
// a stored file's row and hash are never changed), the task list of the breach process, the sent
// deadline reminders (so none goes out twice), the PPC report drafts (every save a new version),
// the resumption checklist's attestations and waivers, and the scope counts the report quotes.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());
  const incidentRef = (c: any) => c.notNull().references('incidents.id');

  await db.schema.createTable('incident_timeline_entries')
    .addColumn('id', 'integer', autoId)
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_timeline_incident_idx').on('incident_timeline_entries').columns(['incident_id', 'occurred_at']).execute();

  await db.schema.createTable('incident_evidence')
    .addColumn('id', 'integer', autoId)
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stored_name', 'text', (c) => c.notNull().unique())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_evidence_incident_idx').on('incident_evidence').columns(['incident_id', 'id']).execute();
  // Evidence is append-only, like the audit log: a row (and so the recorded hash) is never changed.
  if (pg) {
    await sql`
      create function incident_evidence_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'incident_evidence is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end;
      $$`.execute(db);
    await sql`create trigger incident_evidence_append_only before update or delete on incident_evidence for each row execute function incident_evidence_refuse_change()`.execute(db);
  } else {
    await sql`create trigger incident_evidence_no_update before update on incident_evidence begin select raise(abort, 'incident_evidence is append-only (UPDATE refused)'); end`.execute(db);
    await sql`create trigger incident_evidence_no_delete before delete on incident_evidence begin select raise(abort, 'incident_evidence is append-only (DELETE refused)'); end`.execute(db);
  }

  await db.schema.createTable('incident_tasks')
    .addColumn('id', 'integer', autoId)
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('task_key', 'text', (c) => c.notNull())
    /** The merchant's own tasks only (the breach-process tasks are named by key, in both languages). */
    .addColumn('title', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('owner_account_id', 'integer')
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('todo'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_tasks_key_unique', ['incident_id', 'task_key'])
    .execute();

  await db.schema.createTable('incident_reminders_sent')
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('clock', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_reminders_sent_pk', ['incident_id', 'clock', 'stage', 'due_on'])
    .execute();

  await db.schema.createTable('incident_ppc_reports')
    .addColumn('id', 'integer', autoId)
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_ppc_reports_version_unique', ['incident_id', 'version'])
    .execute();

  await db.schema.createTable('incident_checklist_marks')
    .addColumn('incident_id', 'integer', incidentRef)
    .addColumn('item', 'text', (c) => c.notNull())
    /** 'attested' (a manual item confirmed) or 'waived' (any item, with a reason). */
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('marked_by', 'text', (c) => c.notNull())
    .addColumn('marked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_checklist_marks_pk', ['incident_id', 'item'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['incident_checklist_marks', 'incident_ppc_reports', 'incident_reminders_sent', 'incident_tasks', 'incident_evidence', 'incident_timeline_entries']) {
    await db.schema.dropTable(t).execute();
  }
  if (isPostgres(db)) await sql`drop function if exists incident_evidence_refuse_change()`.execute(db);
}
