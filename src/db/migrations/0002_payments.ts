import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema.alterTable('orders').addColumn('refunded_total', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orders').addColumn('paid_at', 'text').execute();

  // Every payment the shop started for an order (a customer may retry after a decline). Only
  // the gateway's transaction id is kept: there is no column that could hold card data.
  await db.schema.createTable('payment_attempts')
    .addColumn('id', 'integer', autoId)
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('client_ip', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // started | refused | pending | captured | declined | cancelled | expired | failed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_attempts_tx_uq').on('payment_attempts').columns(['provider', 'transaction_id']).unique().execute();
  await db.schema.createIndex('payment_attempts_order_idx').on('payment_attempts').columns(['order_id', 'created_at']).execute();
  await db.schema.createIndex('payment_attempts_email_idx').on('payment_attempts').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('payment_attempts_ip_idx').on('payment_attempts').columns(['client_ip', 'created_at']).execute();
  await db.schema.createIndex('payment_attempts_created_idx').on('payment_attempts').column('created_at').execute();

  // Idempotency of notifications: a (provider, event id) pair is processed once.
  await db.schema.createTable('payment_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_events_pk', ['provider', 'event_id'])
    .execute();

  await db.schema.createTable('refunds')
    .addColumn('id', 'integer', autoId)
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Security events from the payment path (rejected notifications, mismatches, card-testing
  // blocks). The back-office issue folds these into its hash-chained audit log.
  await db.schema.createTable('security_events')
    .addColumn('id', 'integer', autoId)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('client_ip', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_events_type_idx').on('security_events').columns(['type', 'created_at']).execute();

  // Card-testing blocks: a key (order:…, email:…, ip:…) refused until a time.
  await db.schema.createTable('payment_blocks')
    .addColumn('block_key', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
}
