// Issue 18: a coupon's discount frozen on the order. Additive: 0 / null on orders placed before.
// orders.discount_total: yen off the goods (tax-inclusive), applied before tax; orders.total is
// already net of it. orders.coupon_id / coupon_code: which coupon (its code then, for display
// and the report even if the coupon changes). order_tax_lines.discount: the part of the discount
// allocated to that rate (src/coupons/allocate-discount.ts); taxable_total is after it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('discount_total', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orders').addColumn('coupon_id', 'integer').execute();
  await db.schema.alterTable('orders').addColumn('coupon_code', 'text').execute();
  await db.schema.alterTable('order_tax_lines').addColumn('discount', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_tax_lines').dropColumn('discount').execute();
  for (const c of ['coupon_code', 'coupon_id', 'discount_total']) await db.schema.alterTable('orders').dropColumn(c).execute();
}
