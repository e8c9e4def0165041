// Issue 17, delivery: shipping methods the merchant edits in /admin/settings/shipping (src/shipping/),
// their fee table by size class and area (a region code or a prefecture that overrides its region),
// a product's size class, and the customer's delivery choice frozen on the order.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());
  await db.schema.createTable('shipping_methods')
    .addColumn('id', 'integer', autoId)
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text', (c) => c.notNull())
    /** `https://…{tracking}`; null: the carrier's page from src/orders/carriers.ts, if it is one. */
    .addColumn('tracking_url_template', 'text')
    .addColumn('free_over', 'integer', (c) => c.check(sql`free_over is null or free_over >= 0`))
    .addColumn('date_selectable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_min_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_max_days', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of slot codes ('am', '14-16', …), in display order. */
    .addColumn('time_slots', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('shipping_method_fees')
    .addColumn('method_id', 'integer', (c) => c.notNull().references('shipping_methods.id').onDelete('cascade'))
    .addColumn('size_class', 'integer', (c) => c.notNull().check(sql`size_class > 0`))
    /** A region code (kanto, …) or a prefecture's Japanese name (東京都), which wins over its region. */
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('fee', 'integer', (c) => c.notNull().check(sql`fee >= 0`))
    .addPrimaryKeyConstraint('shipping_method_fees_pk', ['method_id', 'size_class', 'area'])
    .execute();
  await db.schema.alterTable('products').addColumn('size_class', 'integer', (c) => c.notNull().defaultTo(60)).execute();
  await db.schema.alterTable('orders').addColumn('shipping_method_id', 'integer').execute();
  await db.schema.alterTable('orders').addColumn('shipping_method_name_ja', 'text').execute();
  await db.schema.alterTable('orders').addColumn('shipping_method_name_en', 'text').execute();
  await db.schema.alterTable('orders').addColumn('delivery_date', 'text').execute();
  await db.schema.alterTable('orders').addColumn('delivery_time_slot', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const col of ['delivery_time_slot', 'delivery_date', 'shipping_method_name_en', 'shipping_method_name_ja', 'shipping_method_id']) {
    await db.schema.alterTable('orders').dropColumn(col).execute();
  }
  await db.schema.alterTable('products').dropColumn('size_class').execute();
  await db.schema.dropTable('shipping_method_fees').execute();
  await db.schema.dropTable('shipping_methods').execute();
}
