// The storefront stop's message to customers in both languages: `shop_pauses.message` holds the
// Japanese text (or the one text for both), `message_en` the English one when the merchant gives it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shop_pauses').addColumn('message_en', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shop_pauses').dropColumn('message_en').execute();
}
