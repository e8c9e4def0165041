import type { Kysely } from 'kysely';
import type { Database, Order } from '../db/schema.ts';
import { isPostgres } from '../db/migrate.ts';

/**
 * Reads an order inside the caller's transaction, locked until it commits: PostgreSQL takes the
 * row lock (`select … for update`), SQLite already serialises writing transactions. Every order
 * transition reads through here, so check-then-write never races another transition.
 */
export async function lockOrder(trx: Kysely<Database>, orderId: string): Promise<Order | undefined> {
  let q = trx.selectFrom('orders').where('id', '=', orderId).selectAll();
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}
