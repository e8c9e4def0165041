// Issue 17: a konbini order keeps the chain its number was issued for and, where that chain asks
// for one, the 確認番号, so the order page, the order mail and the back office can show the
// customer everything the store terminal asks for.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_payment_methods').addColumn('konbini_store', 'text').execute();
  await db.schema.alterTable('order_payment_methods').addColumn('konbini_confirmation_number', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_payment_methods').dropColumn('konbini_confirmation_number').execute();
  await db.schema.alterTable('order_payment_methods').dropColumn('konbini_store').execute();
}
