// Issue 17, bug 2: where a headless storefront's customer goes back to after the gateway (the
// Store API's optional returnUrl, on an allowed origin). Null: the shop's own order page.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('return_url', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').dropColumn('return_url').execute();
}
