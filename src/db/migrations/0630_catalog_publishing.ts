// Catalog administration (issues 17, 18): drafts and scheduled publishing, and what sorting by
// popularity reads.
// - `publication` is separate from `status` (on sale / archived) rather than a third status value:
//   widening the CHECK on products.status would mean rebuilding the table on SQLite, and "not yet
//   published" and "taken off sale" are different questions a merchant asks.
// - `publish_at` (UTC ISO text, null = at once): a published product is visible from then on.
// - order_items(variant_id): units sold per product is one grouped aggregate over paid lines.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('publication', 'text', (c) => c.notNull().defaultTo('published').check(sql`publication in ('draft', 'published')`)).execute();
  await db.schema.alterTable('products').addColumn('publish_at', 'text').execute();
  await db.schema.createIndex('order_items_variant_idx').on('order_items').column('variant_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_items_variant_idx').execute();
  await db.schema.alterTable('products').dropColumn('publish_at').execute();
  await db.schema.alterTable('products').dropColumn('publication').execute();
}
