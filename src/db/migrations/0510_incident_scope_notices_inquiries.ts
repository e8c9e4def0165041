// Issue 13, "Scope" and "Telling people": the stored scope counts of an incident, the customer
// notice templates and bulk sends (one row per recipient, so a send resumes after a crash without
// mailing anyone twice), the public notice page, and the inquiry desk. Two indexes let the scope
// queries walk a period of a million orders on an index instead of the table.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  // Covering indexes in keyset order: a period's pages and counts read only the index (time, id → email).
  await db.schema.createIndex('orders_paid_scope_idx').on('orders').columns(['paid_at', 'id', 'email']).execute();
  await db.schema.createIndex('payment_attempts_scope_idx').on('payment_attempts').columns(['created_at', 'id', 'order_id', 'email']).execute();

  await db.schema
    .createTable('incident_scopes')
    // No FK: the incident folder owns `incidents`; the scope is keyed by its id.
    .addColumn('incident_id', 'integer', (c) => c.primaryKey())
    .addColumn('criterion', 'text', (c) => c.notNull().check(sql`criterion in ('card_paid', 'payment_started')`))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('emails_json', 'text')
    .addColumn('orders_count', 'integer', (c) => c.notNull())
    .addColumn('persons_count', 'integer', (c) => c.notNull())
    .addColumn('computed_by', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_notice_templates')
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('ja', 'en')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_notice_templates_pk', ['incident_id', 'locale'])
    .execute();

  await db.schema
    .createTable('incident_notice_sends')
    .addColumn('id', 'integer', id)
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    // The templates as they were when the send started: editing them mid-send changes nothing.
    .addColumn('subject_ja', 'text', (c) => c.notNull())
    .addColumn('body_ja', 'text', (c) => c.notNull())
    .addColumn('subject_en', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('sending', 'done')`))
    .addColumn('recipients_total', 'integer', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('incident_notice_sends_incident_idx').on('incident_notice_sends').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('incident_notice_recipients')
    .addColumn('id', 'integer', id)
    .addColumn('send_id', 'integer', (c) => c.notNull().references('incident_notice_sends.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('order_numbers', 'text', (c) => c.notNull())
    // pending → sending (claimed) → sent; failed after repeated mailer errors.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('last_error', 'text')
    .addUniqueConstraint('incident_notice_recipients_once', ['send_id', 'email'])
    .execute();
  await db.schema.createIndex('incident_notice_recipients_status_idx').on('incident_notice_recipients').columns(['send_id', 'status', 'id']).execute();
  await db.schema.createIndex('incident_notice_recipients_sent_idx').on('incident_notice_recipients').columns(['sent_at']).execute();

  await db.schema
    .createTable('public_notices')
    .addColumn('id', 'integer', id)
    .addColumn('incident_id', 'integer', (c) => c.notNull().unique())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title_ja', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_ja', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('unpublished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('inquiries')
    .addColumn('id', 'integer', id)
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'integer')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'answered', 'closed')`))
    .addColumn('assignee_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inquiries_status_idx').on('inquiries').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('inquiries_created_idx').on('inquiries').columns(['created_at']).execute();

  await db.schema
    .createTable('inquiry_replies')
    .addColumn('id', 'integer', id)
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inquiry_replies_inquiry_idx').on('inquiry_replies').columns(['inquiry_id', 'id']).execute();

  await db.schema
    .createTable('inquiry_canned_answers')
    .addColumn('id', 'integer', id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_ja', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['inquiry_canned_answers', 'inquiry_replies', 'inquiries', 'public_notices', 'incident_notice_recipients', 'incident_notice_sends', 'incident_notice_templates', 'incident_scopes']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex('payment_attempts_scope_idx').execute();
  await db.schema.dropIndex('orders_paid_scope_idx').execute();
}
