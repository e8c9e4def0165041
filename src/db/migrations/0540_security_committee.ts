// The security committee's sign-off of the monthly report (issue 14, src/security-committee/):
// who sits on the committee, each month's review (state, the vendor's comments and actions, an
// optimistic-concurrency version), the reviewers' notes, the frozen copies of an approved report
// (append-only, as audit_log in 0300 and incident_evidence in 0501) and the reminders sent.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema.createTable('security_committee_members')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('admin_accounts.id'))
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('monthly_report_reviews')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    /** Raised by every change; a form carries the version it was shown, so a stale one is refused. */
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('comments_json', 'text', (c) => c.notNull())
    .addColumn('actions_json', 'text', (c) => c.notNull())
    /** Ids of earlier months' actions marked done in this month. */
    .addColumn('closed_actions_json', 'text', (c) => c.notNull())
    .addColumn('submitted_by_account', 'integer')
    .addColumn('submitted_by_email', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by_account', 'integer')
    .addColumn('approved_by_email', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('monthly_report_review_notes')
    .addColumn('id', 'integer', autoId)
    .addColumn('month', 'text', (c) => c.notNull().references('monthly_report_reviews.month'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_account', 'integer', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monthly_report_review_notes_month_idx').on('monthly_report_review_notes').columns(['month', 'id']).execute();

  await db.schema.createTable('monthly_report_frozen')
    .addColumn('month', 'text', (c) => c.notNull().references('monthly_report_reviews.month'))
    /** html-ja, html-en, json, pdf */
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monthly_report_frozen_pk', ['month', 'format'])
    .execute();
  // Frozen means frozen: a copy (and its recorded hash) is never changed or removed. Someone who
  // owns the database can still drop the trigger; the hash in the audit chain then shows it.
  if (pg) {
    await sql`
      create function monthly_report_frozen_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'monthly_report_frozen is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end;
      $$`.execute(db);
    await sql`create trigger monthly_report_frozen_append_only before update or delete on monthly_report_frozen for each row execute function monthly_report_frozen_refuse_change()`.execute(db);
    await sql`create trigger monthly_report_frozen_no_truncate before truncate on monthly_report_frozen for each statement execute function monthly_report_frozen_refuse_change()`.execute(db);
  } else {
    await sql`create trigger monthly_report_frozen_no_update before update on monthly_report_frozen begin select raise(abort, 'monthly_report_frozen is append-only (UPDATE refused)'); end`.execute(db);
    await sql`create trigger monthly_report_frozen_no_delete before delete on monthly_report_frozen begin select raise(abort, 'monthly_report_frozen is append-only (DELETE refused)'); end`.execute(db);
  }

  await db.schema.createTable('monthly_report_reminders_sent')
    .addColumn('month', 'text', (c) => c.notNull())
    /** 'submit' (to vendors and owners) or 'approve' (to the committee). */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('monthly_report_reminders_sent_pk', ['month', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['monthly_report_reminders_sent', 'monthly_report_frozen', 'monthly_report_review_notes', 'monthly_report_reviews', 'security_committee_members']) {
    await db.schema.dropTable(t).execute();
  }
  if (isPostgres(db)) await sql`drop function if exists monthly_report_frozen_refuse_change()`.execute(db);
}
