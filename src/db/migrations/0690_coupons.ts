// Coupons (issue 18). Limits hold under concurrency by the database, not by a read-then-write:
// `coupons.used_count` only moves through one conditional UPDATE (… where used_count < usage_limit),
// and a customer's redemptions are numbered 1..n under a unique (coupon_id, customer_key, customer_seq),
// so two concurrent checkouts of one customer cannot both take the last per-customer slot.
// One redemption per order (unique order_id); releasing an unpaid order deletes its row.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('coupons')
    .addColumn('id', 'integer', autoId)
    // Normalised (NFKC, upper case), see coupon-code.ts.
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('fixed', 'percent')`))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('minimum_subtotal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_from', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('usage_limit', 'integer')
    .addColumn('per_customer_limit', 'integer')
    .addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('coupons_percent_range', sql`kind <> 'percent' or amount <= 100`)
    .addCheckConstraint('coupons_used_within_limit', sql`usage_limit is null or used_count <= usage_limit`)
    .execute();

  await db.schema
    .createTable('coupon_redemptions')
    .addColumn('id', 'integer', autoId)
    .addColumn('coupon_id', 'integer', (c) => c.notNull().references('coupons.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().unique())
    // 'customer:<id>' for a signed-in account, 'email:<normalised address>' for a guest.
    .addColumn('customer_key', 'text', (c) => c.notNull())
    .addColumn('customer_seq', 'integer', (c) => c.notNull())
    .addColumn('discount', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('coupon_redemptions_customer_slot', ['coupon_id', 'customer_key', 'customer_seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('coupon_redemptions').execute();
  await db.schema.dropTable('coupons').execute();
}
