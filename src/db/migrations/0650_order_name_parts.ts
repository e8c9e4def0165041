// Issue 17: 姓・名 and their フリガナ as Japanese forms take them. Additive: `orders.name` keeps
// the joined name (family first), so mails, the admin list and existing readers keep working.
// Null on orders placed before, and on Store API orders that sent a single `name`.
import type { Kysely } from 'kysely';

const COLUMNS = ['family_name', 'given_name', 'family_name_kana', 'given_name_kana'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const c of COLUMNS) await db.schema.alterTable('orders').addColumn(c, 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of [...COLUMNS].reverse()) await db.schema.alterTable('orders').dropColumn(c).execute();
}
