// Order lifecycle: refunds reserved before the gateway is called (pending → completed/failed)
// and attributed to who made them (the staff limit is per member and order); the client
// address on orders (pending orders per address); the confirmation mail sent once, at payment
// start, and counted per recipient; rejected notifications folded into per-minute counters.
import type { Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema.alterTable('refunds').addColumn('status', 'text', (c) => c.notNull().defaultTo('completed')).execute();
  await db.schema.alterTable('refunds').addColumn('actor', 'text').execute();
  await db.schema.createIndex('refunds_order_actor_idx').on('refunds').columns(['order_id', 'actor']).execute();

  await db.schema.alterTable('orders').addColumn('client_ip', 'text').execute();
  await db.schema.alterTable('orders').addColumn('confirmation_mailed_at', 'text').execute();
  await db.schema.createIndex('orders_pending_ip_idx').on('orders').columns(['client_ip', 'status']).execute();
  await db.schema.createIndex('orders_pending_email_idx').on('orders').columns(['email', 'status']).execute();

  await db.schema.createTable('customer_mails')
    .addColumn('id', 'integer', autoId)
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_mails_recipient_idx').on('customer_mails').columns(['recipient', 'kind', 'sent_at']).execute();

  await db.schema.createTable('notification_rejection_counters')
    .addColumn('client_ip', 'text', (c) => c.notNull())
    .addColumn('minute', 'text', (c) => c.notNull()) // ISO timestamp of the minute's start
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_reason', 'text', (c) => c.notNull())
    .addColumn('flushed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('notification_rejection_counters_pk', ['client_ip', 'minute'])
    .execute();
  await db.schema.createIndex('notification_rejection_counters_open_idx').on('notification_rejection_counters').columns(['flushed', 'minute']).execute();
}
