// Order queries for the back office: filtered list, detail with timeline, CSV export. Actions
// (fulfil, cancel, refund) are the order services in src/orders, which audit them.
import { sql } from 'kysely';
import type { AdminDb, AdminRole } from './admin-tables.ts';
import type { OrderStatus } from '../db/schema.ts';

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'payment_review'];

export interface OrderFilter {
  status?: OrderStatus | undefined;
  paymentStatus?: string | undefined;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
  /** Order number, e-mail or name (case-insensitive substring). */
  text?: string | undefined;
}

function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `personal: false` searches order numbers only, so a filter cannot probe e-mails or names. */
function filtered(db: AdminDb, f: OrderFilter, personal = true) {
  let q = db.selectFrom('orders');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.paymentStatus) q = q.where('payment_status', '=', f.paymentStatus);
  if (f.from) q = q.where('created_at', '>=', `${f.from}T00:00:00.000Z`);
  if (f.to) q = q.where('created_at', '<', new Date(Date.parse(`${f.to}T00:00:00.000Z`) + 86_400_000).toISOString());
  if (f.text) {
    const p = likePattern(f.text);
    q = q.where((eb) => eb.or([
      eb(sql`lower(order_number)`, 'like', sql`${p} escape '\\'`),
      ...(personal ? [
        eb(sql`lower(email)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(name)`, 'like', sql`${p} escape '\\'`),
      ] : []),
    ]));
  }
  return q;
}

export async function listOrders(db: AdminDb, f: OrderFilter, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    filtered(db, f).select(['id', 'order_number', 'created_at', 'status', 'payment_status', 'total', 'refunded_total', 'name', 'email'])
      .orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function loadOrderDetail(db: AdminDb, orderId: string) {
  const order = await db.selectFrom('orders').where('id', '=', orderId).selectAll().executeTakeFirst();
  if (!order) return undefined;
  const [items, events, refunds, taxLines] = await Promise.all([
    db.selectFrom('order_items').where('order_id', '=', orderId).selectAll().orderBy('id').execute(),
    db.selectFrom('order_events').where('order_id', '=', orderId).selectAll().orderBy('id').execute(),
    // A failed refund gave its reservation back: it is in the audit log, not among the refunds.
    db.selectFrom('refunds').where('order_id', '=', orderId).where('status', '!=', 'failed').selectAll().orderBy('id').execute(),
    db.selectFrom('order_tax_lines').where('order_id', '=', orderId).selectAll().orderBy('tax_rate', 'desc').execute(),
  ]);
  return { order, items, events, refunds, taxLines };
}

/** Roles that see customers' names, addresses, e-mail and phone in the export. */
export function seesPersonalData(role: AdminRole): boolean {
  return role === 'owner' || role === 'staff';
}

/**
 * A spreadsheet reads a cell starting with = + - @ (or tab/CR) as a formula: a customer named
 * `=HYPERLINK(…)` must stay text (CSV injection), so such cells get a leading apostrophe. Leading
 * spaces, tabs and line breaks are skipped by some spreadsheets before the formula character, and
 * Japanese Excel takes the full-width ＝＋－＠ for formula characters too.
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const BASE_COLUMNS = ['order_number', 'created_at', 'status', 'payment_status', 'items_total', 'shipping_fee', 'total', 'refunded_total', 'tax_8', 'tax_10'] as const;
const PERSONAL_COLUMNS = ['name', 'email', 'phone', 'postal_code', 'prefecture', 'city', 'line1', 'line2'] as const;

/** UTF-8 with a BOM (Excel in Japan otherwise reads it as Shift_JIS) and CRLF line ends (RFC 4180). */
export async function ordersCsv(db: AdminDb, f: OrderFilter, role: AdminRole, maxRows = 10_000): Promise<string> {
  const personal = seesPersonalData(role);
  const columns: readonly string[] = personal ? [...BASE_COLUMNS, ...PERSONAL_COLUMNS] : BASE_COLUMNS;
  const orders = await filtered(db, f, personal).selectAll().orderBy('created_at').orderBy('id').limit(maxRows).execute();
  const ids = orders.map((o) => o.id);
  const taxes = ids.length ? await db.selectFrom('order_tax_lines').where('order_id', 'in', ids).selectAll().execute() : [];
  const lines = [columns.map(csvCell).join(',')];
  for (const o of orders) {
    const tax = (rate: number) => taxes.find((t) => t.order_id === o.id && t.tax_rate === rate)?.tax ?? 0;
    const row: Record<string, string | number | null> = {
      order_number: o.order_number, created_at: o.created_at, status: o.status, payment_status: o.payment_status, items_total: o.items_total,
      shipping_fee: o.shipping_fee, total: o.total, refunded_total: o.refunded_total, tax_8: tax(8), tax_10: tax(10),
      name: o.name, email: o.email, phone: o.phone, postal_code: o.postal_code, prefecture: o.prefecture, city: o.city, line1: o.line1, line2: o.line2,
    };
    lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
