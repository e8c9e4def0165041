// Search a Japanese shopper can use: the merchant's reading keywords (読み) per product, and the
// normalised names + readings a name match is ranked on. The shop fills both (and re-normalises
// search_text) on start when the search index version changes: src/catalog/search-index.ts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('reading', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('products').addColumn('search_name', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').dropColumn('search_name').execute();
  await db.schema.alterTable('products').dropColumn('reading').execute();
}
