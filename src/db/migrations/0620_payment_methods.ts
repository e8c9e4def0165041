// Issue 17, payment methods beside card: the merchant's choice of methods (one settings row, a
// zod-validated JSON document) and, per order placed with a method other than card, which one it
// was, the fee it added and what the customer needs to pay (konbini payment number, deadline).
// An order without a row is a card order: every order placed before this migration stays one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_method_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('order_payment_methods')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('fee', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('konbini_payment_number', 'text')
    .addColumn('konbini_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_payment_methods').execute();
  await db.schema.dropTable('payment_method_settings').execute();
}
