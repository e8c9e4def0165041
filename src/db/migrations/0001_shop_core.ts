import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());
  const idType = pg ? 'integer' : 'integer';

  await db.schema.createTable('app_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('categories')
    .addColumn('id', idType, autoId)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('products')
    .addColumn('id', idType, autoId)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_ja', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('tax_rate', 'integer', (c) => c.notNull().check(sql`tax_rate in (8, 10)`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'archived')`))
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('products_category_idx').on('products').columns(['category_id', 'status']).execute();

  await db.schema.createTable('product_images')
    .addColumn('id', idType, autoId)
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('alt_ja', 'text', (c) => c.notNull())
    .addColumn('alt_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('product_images_product_idx').on('product_images').column('product_id').execute();

  await db.schema.createTable('variants')
    .addColumn('id', idType, autoId)
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('sku', 'text', (c) => c.notNull().unique())
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull().check(sql`price >= 0`))
    // The database itself refuses negative stock, whatever the application does.
    .addColumn('stock', 'integer', (c) => c.notNull().check(sql`stock >= 0`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('variants_product_idx').on('variants').column('product_id').execute();

  await db.schema.createTable('carts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('cart_items')
    .addColumn('id', idType, autoId)
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id').onDelete('cascade'))
    .addColumn('variant_id', 'integer', (c) => c.notNull().references('variants.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addUniqueConstraint('cart_items_cart_variant_uq', ['cart_id', 'variant_id'])
    .execute();

  await db.schema.createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_number', 'text', (c) => c.notNull().unique())
    .addColumn('access_token_hash', 'text', (c) => c.notNull())
    .addColumn('cart_id', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('prefecture', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('line1', 'text', (c) => c.notNull())
    .addColumn('line2', 'text', (c) => c.notNull())
    .addColumn('items_total', 'integer', (c) => c.notNull())
    .addColumn('shipping_fee', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payment_provider', 'text')
    .addColumn('payment_transaction_id', 'text')
    .addColumn('payment_status', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_status_expires_idx').on('orders').columns(['status', 'expires_at']).execute();
  await db.schema.createIndex('orders_payment_tx_idx').on('orders').columns(['payment_provider', 'payment_transaction_id']).execute();

  await db.schema.createTable('order_items')
    .addColumn('id', idType, autoId)
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('variant_id', 'integer', (c) => c.notNull().references('variants.id'))
    .addColumn('product_name_ja', 'text', (c) => c.notNull())
    .addColumn('product_name_en', 'text', (c) => c.notNull())
    .addColumn('variant_name_ja', 'text', (c) => c.notNull())
    .addColumn('variant_name_en', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('unit_price', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('tax_rate', 'integer', (c) => c.notNull())
    .addColumn('line_total', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_items_order_idx').on('order_items').column('order_id').execute();

  await db.schema.createTable('order_tax_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('tax_rate', 'integer', (c) => c.notNull())
    .addColumn('taxable_total', 'integer', (c) => c.notNull())
    .addColumn('tax', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_tax_lines_pk', ['order_id', 'tax_rate'])
    .execute();

  await db.schema.createTable('order_events')
    .addColumn('id', idType, autoId)
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_events_order_idx').on('order_events').column('order_id').execute();

  // Japanese has no spaces between words, so word tokenizers cannot find 抹茶 inside
  // 宇治抹茶ラテ: index trigrams instead (FTS5 trigram on SQLite, pg_trgm on PostgreSQL).
  if (pg) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index products_search_trgm_idx on products using gin (search_text gin_trgm_ops)`.execute(db);
  } else {
    await sql`create virtual table product_search using fts5(search_text, content='products', content_rowid='id', tokenize='trigram')`.execute(db);
    await sql`create trigger products_search_ai after insert on products begin
      insert into product_search(rowid, search_text) values (new.id, new.search_text); end`.execute(db);
    await sql`create trigger products_search_ad after delete on products begin
      insert into product_search(product_search, rowid, search_text) values ('delete', old.id, old.search_text); end`.execute(db);
    await sql`create trigger products_search_au after update of search_text on products begin
      insert into product_search(product_search, rowid, search_text) values ('delete', old.id, old.search_text);
      insert into product_search(rowid, search_text) values (new.id, new.search_text); end`.execute(db);
  }
}
