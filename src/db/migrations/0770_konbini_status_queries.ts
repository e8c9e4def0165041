// A konbini order waits days for the customer to pay at the store, so the reconciliation job asks
// the gateway about it on a growing wait rather than on every run: when it last asked, how often,
// and when it may ask next (indexable, so the job selects only the orders that are due).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_payment_methods').addColumn('status_asked_at', 'text').execute();
  await db.schema.alterTable('order_payment_methods').addColumn('status_ask_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('order_payment_methods').addColumn('status_next_ask_at', 'text').execute();
  await db.schema.createIndex('order_payment_methods_next_ask').on('order_payment_methods').columns(['method', 'status_next_ask_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_payment_methods_next_ask').execute();
  await db.schema.alterTable('order_payment_methods').dropColumn('status_next_ask_at').execute();
  await db.schema.alterTable('order_payment_methods').dropColumn('status_ask_count').execute();
  await db.schema.alterTable('order_payment_methods').dropColumn('status_asked_at').execute();
}
