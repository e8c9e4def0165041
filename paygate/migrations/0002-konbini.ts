// Convenience-store payments (コンビニ決済): a payment is either paid by card on the hosted page or,
// with method 'konbini', at a store with the number the gateway issued. The numbers are unique
// across the gateway, as a store's terminal finds the payment by them alone.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payments').addColumn('method', 'text', (c) => c.notNull().defaultTo('card')).execute();
  await db.schema.alterTable('payments').addColumn('konbini_store', 'text').execute();
  await db.schema.alterTable('payments').addColumn('konbini_payment_number', 'text').execute();
  await db.schema.alterTable('payments').addColumn('konbini_confirmation_number', 'text').execute();
  await db.schema.createIndex('payments_konbini_number').unique().on('payments').column('konbini_payment_number').execute();
}
