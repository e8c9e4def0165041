import type { Kysely } from 'kysely';
import type { Database, Order, OrderItem, OrderStatus } from '../db/schema.ts';
import { accessTokenMatches, normalizeOrderNumber } from './order-access.ts';

export interface OrderDetail {
  order: Order;
  items: OrderItem[];
  taxLines: { tax_rate: number; taxable_total: number; tax: number; discount?: number }[];
  events: { from_status: string | null; to_status: string; cause: string; created_at: string }[];
}

function loadItems(db: Kysely<Database>, orderId: string) {
  return db.selectFrom('order_items').where('order_id', '=', orderId).selectAll().orderBy('id').execute();
}

export async function getOrderDetail(db: Kysely<Database>, orderId: string): Promise<OrderDetail | undefined> {
  const order = await db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirst();
  if (!order) return undefined;
  const [items, taxLines, events] = await Promise.all([
    loadItems(db, orderId),
    db.selectFrom('order_tax_lines').where('order_id', '=', orderId).select(['tax_rate', 'taxable_total', 'tax', 'discount']).orderBy('tax_rate', 'desc').execute(),
    db.selectFrom('order_events').where('order_id', '=', orderId).select(['from_status', 'to_status', 'cause', 'created_at']).orderBy('id').execute(),
  ]);
  return { order, items, taxLines, events };
}

/** The customer's view: the order id plus its access token, checked in constant time. */
export async function getOrderForToken(db: Kysely<Database>, orderId: string, token: string): Promise<OrderDetail | undefined> {
  const row = await db.selectFrom('orders').where('id', '=', orderId).select('access_token_hash').executeTakeFirst();
  if (!row || !accessTokenMatches(token, row.access_token_hash)) return undefined;
  return getOrderDetail(db, orderId);
}

export async function findOrderByNumberAndEmail(db: Kysely<Database>, orderNumber: string, email: string): Promise<OrderDetail | undefined> {
  const row = await db
    .selectFrom('orders')
    .where('order_number', '=', normalizeOrderNumber(orderNumber))
    .where('email', '=', email.normalize('NFKC').trim().toLowerCase())
    .select('id')
    .executeTakeFirst();
  return row ? getOrderDetail(db, row.id) : undefined;
}

/**
 * Moves an order from one of `from` to `to`, as a compare-and-swap on its state, and records
 * the transition. Returns false when the order was not in an allowed state (someone else
 * moved it first): callers treat that as "already done", never as a reason to retry blindly.
 */
export async function transitionOrder(
  db: Kysely<Database>,
  orderId: string,
  from: OrderStatus[],
  to: OrderStatus,
  cause: string,
  now: Date,
): Promise<boolean> {
  const current = await db.selectFrom('orders').where('id', '=', orderId).select('status').executeTakeFirst();
  if (!current || !from.includes(current.status)) return false;
  const r = await db
    .updateTable('orders')
    .set({ status: to, updated_at: now.toISOString() })
    .where('id', '=', orderId)
    .where('status', '=', current.status)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await db.insertInto('order_events').values({ order_id: orderId, from_status: current.status, to_status: to, cause, created_at: now.toISOString() }).execute();
  return true;
}

/** Gives reserved stock back (expiry, cancellation), in the caller's transaction. */
export async function releaseReservedStock(db: Kysely<Database>, orderId: string): Promise<void> {
  const items = await db.selectFrom('order_items').where('order_id', '=', orderId).select(['variant_id', 'quantity']).orderBy('variant_id').execute();
  for (const it of items) {
    await db.updateTable('variants').set((eb) => ({ stock: eb('stock', '+', it.quantity) })).where('id', '=', it.variant_id).execute();
  }
}
