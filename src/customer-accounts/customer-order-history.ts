// A customer's order history for the Store API: pages of their own orders (customer_orders),
// newest first, and one of them by its number. Keyset pages (placed-at, then id) rather than
// offsets: an order placed while a client pages through does not shift or repeat the rows.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { getOrderDetail, type OrderDetail } from '../orders/service.ts';
import { normalizeOrderNumber } from '../orders/order-access.ts';

export interface HistoryRow { id: string; order_number: string; created_at: string; status: string; total: number }

const CursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

/** Opaque to clients: the last row of a page. */
export function historyCursor(row: Pick<HistoryRow, 'created_at' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id])).toString('base64url');
}

/** undefined: not a cursor this API gave out. */
export function parseHistoryCursor(cursor: string): { createdAt: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const r = CursorShape.safeParse(value);
  return r.success ? { createdAt: r.data[0], id: r.data[1] } : undefined;
}

export async function customerOrderPage(db: Kysely<Database>, customerId: number, limit: number, after?: { createdAt: string; id: string }): Promise<{ rows: HistoryRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('customer_orders').innerJoin('orders', 'orders.id', 'customer_orders.order_id')
    .where('customer_orders.customer_id', '=', customerId)
    .select(['orders.id', 'orders.order_number', 'orders.created_at', 'orders.status', 'orders.total']);
  if (after) {
    q = q.where((eb) => eb.or([
      eb('orders.created_at', '<', after.createdAt),
      eb.and([eb('orders.created_at', '=', after.createdAt), eb('orders.id', '>', after.id)]),
    ]));
  }
  const rows = await q.orderBy('orders.created_at', 'desc').orderBy('orders.id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? historyCursor(page[page.length - 1]!) : null };
}

/** One of the customer's own orders by its number (MA-XXXX-XXXX, typed loosely); another's is undefined, like none. */
export async function customerOrderByNumber(db: Kysely<Database>, customerId: number, orderNumber: string): Promise<OrderDetail | undefined> {
  const row = await db.selectFrom('customer_orders').innerJoin('orders', 'orders.id', 'customer_orders.order_id')
    .where('customer_orders.customer_id', '=', customerId).where('orders.order_number', '=', normalizeOrderNumber(orderNumber.slice(0, 40)))
    .select('orders.id').executeTakeFirst();
  return row ? getOrderDetail(db, row.id) : undefined;
}
