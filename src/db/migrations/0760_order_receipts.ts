// Issue 17: 領収書. Japanese shops let the customer set the receipt's 宛名 once: the first issue
// stores it, every later one prints the stored name and is marked 再発行 (so one payment cannot
// yield several "original" receipts under different names). One row per order.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('order_receipts')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id').onDelete('cascade'))
    .addColumn('addressee', 'text', (c) => c.notNull())
    .addColumn('first_issued_at', 'text', (c) => c.notNull())
    .addColumn('last_issued_at', 'text', (c) => c.notNull())
    .addColumn('issue_count', 'integer', (c) => c.notNull().check(sql`issue_count >= 1`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_receipts').execute();
}
