// Order queries for the back office: filtered list, detail with timeline, CSV export. Actions
// (fulfil, cancel, refund) are the order services in src/orders, which audit them.
import { sql } from 'kysely';
import type { AdminDb, AdminRole } from './admin-tables.ts';
import type { OrderStatus } from '../db/schema.ts';
import type { Locale } from '../i18n/locale.ts';
import { addDays, startOfLocalDay } from '../incidents/legal-deadlines.ts';

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'payment_review'];

export interface OrderFilter {
  status?: OrderStatus | undefined;
  paymentStatus?: string | undefined;
  /** Inclusive dates, YYYY-MM-DD, in the shop's time zone. */
  from?: string | undefined;
  to?: string | undefined;
  /** Order number, e-mail or name (case-insensitive substring). */
  text?: string | undefined;
}

function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `personal: false` searches order numbers only, so a filter cannot probe e-mails or names. */
function filtered(db: AdminDb, f: OrderFilter, personal = true, timeZone = 'UTC') {
  let q = db.selectFrom('orders');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.paymentStatus) q = q.where('payment_status', '=', f.paymentStatus);
  if (f.from) q = q.where('created_at', '>=', startOfLocalDay(f.from, timeZone).toISOString());
  if (f.to) q = q.where('created_at', '<', startOfLocalDay(addDays(f.to, 1), timeZone).toISOString());
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

export async function listOrders(db: AdminDb, f: OrderFilter, page: { limit: number; offset: number }, timeZone = 'UTC') {
  const [rows, count] = await Promise.all([
    filtered(db, f, true, timeZone).select(['id', 'order_number', 'created_at', 'status', 'payment_status', 'total', 'refunded_total', 'name', 'email'])
      .orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    filtered(db, f, true, timeZone).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
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
// 姓・名・フリガナ beside the name (migration 0650): empty for orders placed with one name field.
const PERSONAL_COLUMNS = ['name', 'family_name', 'given_name', 'family_name_kana', 'given_name_kana', 'email', 'phone', 'postal_code', 'prefecture', 'city', 'line1', 'line2'] as const;
const LINE_COLUMNS = ['order_number', 'created_at', 'status', 'sku', 'item_name', 'quantity', 'unit_price', 'tax_rate', 'line_total'] as const;

/** Japanese headers for the Japanese back office; the English one keeps the column codes scripts already read. */
const JA_HEADERS: Record<string, string> = {
  order_number: '注文番号', created_at: '注文日時', status: '注文状態', payment_status: '決済状態', items_total: '商品合計', shipping_fee: '送料', total: '合計',
  refunded_total: '返金額', tax_8: '消費税（8%）', tax_10: '消費税（10%）', name: '氏名', family_name: '姓', given_name: '名', family_name_kana: 'フリガナ（姓）', given_name_kana: 'フリガナ（名）', email: 'メール', phone: '電話番号', postal_code: '郵便番号',
  prefecture: '都道府県', city: '市区町村', line1: '住所1', line2: '住所2', sku: 'SKU', item_name: '商品名', quantity: '数量', unit_price: '単価', tax_rate: '税率', line_total: '小計',
};

export interface CsvOptions {
  locale: Locale;
  /** The shop's zone (SHOP_TIME_ZONE): times and the filter's dates are the merchant's, not UTC. */
  timeZone: string;
  /** One row per line item (SKU, name, quantity, unit price, tax rate) instead of one per order. */
  lines?: boolean;
  /** Order and payment state labels, from the message catalogs. */
  statusLabel: (status: string) => string;
  paymentStatusLabel: (status: string | null) => string;
}

/** `2026-12-02 03:35:00` in the zone: a spreadsheet reads it as a date-time in both languages. */
export function csvDateTime(iso: string, timeZone: string): string {
  // sv-SE formats as ISO-like `YYYY-MM-DD HH:mm:ss`: Intl does the zone, no date library needed.
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** UTF-8 with a BOM (Excel in Japan otherwise reads it as Shift_JIS) and CRLF line ends (RFC 4180). */
export async function ordersCsv(db: AdminDb, f: OrderFilter, role: AdminRole, opts: CsvOptions, maxRows = 10_000): Promise<string> {
  const personal = seesPersonalData(role);
  const columns: readonly string[] = opts.lines ? LINE_COLUMNS : personal ? [...BASE_COLUMNS, ...PERSONAL_COLUMNS] : BASE_COLUMNS;
  const ja = opts.locale === 'ja';
  const header = (c: string) => (ja ? JA_HEADERS[c] ?? c : c);
  // Codes in English (what scripts read), labels in Japanese.
  const status = (s: string) => (ja ? opts.statusLabel(s) : s);
  const paymentStatus = (s: string | null) => (ja ? opts.paymentStatusLabel(s) : s);
  const orders = await filtered(db, f, personal, opts.timeZone).selectAll().orderBy('created_at').orderBy('id').limit(maxRows).execute();
  const ids = orders.map((o) => o.id);
  const lines = [columns.map((c) => csvCell(header(c))).join(',')];
  if (opts.lines) {
    const items = ids.length ? await db.selectFrom('order_items').where('order_id', 'in', ids).selectAll().orderBy('id').execute() : [];
    for (const o of orders) {
      for (const i of items.filter((x) => x.order_id === o.id)) {
        const row: Record<string, string | number | null> = {
          order_number: o.order_number, created_at: csvDateTime(o.created_at, opts.timeZone), status: status(o.status), sku: i.sku,
          item_name: ja ? `${i.product_name_ja} ${i.variant_name_ja}` : `${i.product_name_en} ${i.variant_name_en}`,
          quantity: i.quantity, unit_price: i.unit_price, tax_rate: `${i.tax_rate}%`, line_total: i.line_total,
        };
        lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(','));
      }
    }
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  }
  const taxes = ids.length ? await db.selectFrom('order_tax_lines').where('order_id', 'in', ids).selectAll().execute() : [];
  for (const o of orders) {
    const tax = (rate: number) => taxes.find((t) => t.order_id === o.id && t.tax_rate === rate)?.tax ?? 0;
    const row: Record<string, string | number | null> = {
      order_number: o.order_number, created_at: csvDateTime(o.created_at, opts.timeZone), status: status(o.status), payment_status: paymentStatus(o.payment_status), items_total: o.items_total,
      shipping_fee: o.shipping_fee, total: o.total, refunded_total: o.refunded_total, tax_8: tax(8), tax_10: tax(10),
      name: o.name, family_name: o.family_name, given_name: o.given_name, family_name_kana: o.family_name_kana, given_name_kana: o.given_name_kana, email: o.email, phone: o.phone, postal_code: o.postal_code, prefecture: o.prefecture, city: o.city, line1: o.line1, line2: o.line2,
    };
    lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
