// Sales by day and by month in the shop's time zone, with what a Japanese merchant files
// consumption tax from: per tax rate, the tax-inclusive total and the tax it contains, for sales
// and for refunds. A sale counts on the day it was paid; a refund on the day it completed.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, instantToWallTime, localDate, startOfLocalDay } from '../incidents/legal-deadlines.ts';

export type SalesGranularity = 'day' | 'month';

export interface RateFigures {
  rate: number;
  /** Tax-inclusive sales at this rate (shipping is at 10%, as on the invoice). */
  sales: number;
  tax: number;
  refunds: number;
  refundTax: number;
  netSales: number;
  netTax: number;
}

export interface SalesPeriod {
  /** `YYYY-MM-DD` or `YYYY-MM`, shop time. */
  period: string;
  orders: number;
  /** Coupon discounts on the orders paid in the period; `sales` is already after them. */
  discounts: number;
  sales: number;
  refunds: number;
  net: number;
  rates: RateFigures[];
}

export interface SalesReport {
  granularity: SalesGranularity;
  from: string;
  /** Exclusive. */
  to: string;
  periods: SalesPeriod[];
  total: SalesPeriod;
}

/** The rates the report always shows (zeros included), in the order a tax return lists them. */
export const REPORTED_RATES = [10, 8] as const;

/** Every day or month from `from` (inclusive) to `to` (exclusive), as report keys. */
function periodKeys(from: string, to: string, granularity: SalesGranularity): string[] {
  const keys: string[] = [];
  if (granularity === 'day') for (let d = from; d < to; d = addDays(d, 1)) keys.push(d);
  else for (let m = from.slice(0, 7); `${m}-01` < to; m = nextMonth(m)) keys.push(m);
  return keys;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function emptyPeriod(period: string): SalesPeriod {
  return { period, orders: 0, discounts: 0, sales: 0, refunds: 0, net: 0, rates: REPORTED_RATES.map((rate) => ({ rate, sales: 0, tax: 0, refunds: 0, refundTax: 0, netSales: 0, netTax: 0 })) };
}

function rateOf(p: SalesPeriod, rate: number): RateFigures {
  let r = p.rates.find((x) => x.rate === rate);
  if (!r) { r = { rate, sales: 0, tax: 0, refunds: 0, refundTax: 0, netSales: 0, netTax: 0 }; p.rates.push(r); }
  return r;
}

/**
 * Splits a refund over the order's tax rates in proportion to what the order charged at each, and
 * the tax in it in the same proportion of the tax the order contained at that rate; a full refund
 * gives back exactly what the order's invoice said. The remainder of the rounding goes to the last
 * rate, so the parts always add up to the refund.
 */
export function allocateRefund(amount: number, lines: { tax_rate: number; taxable_total: number; tax: number }[]): { rate: number; amount: number; tax: number }[] {
  const total = lines.reduce((s, l) => s + l.taxable_total, 0);
  if (total <= 0 || lines.length === 0) return [{ rate: 10, amount, tax: Math.round((amount * 10) / 110) }];
  const sorted = [...lines].sort((a, b) => b.tax_rate - a.tax_rate);
  let left = amount;
  return sorted.map((l, i) => {
    const part = i === sorted.length - 1 ? left : Math.round((amount * l.taxable_total) / total);
    left -= part;
    return { rate: l.tax_rate, amount: part, tax: l.taxable_total > 0 ? Math.round((l.tax * part) / l.taxable_total) : 0 };
  });
}

/** Whether every offset the zone had in the range is whole hours (then hours can be grouped in SQL). */
function wholeHourZone(fromUtc: Date, toUtc: Date, timeZone: string): boolean {
  for (let t = fromUtc.getTime(); t <= toUtc.getTime() + 86_400_000; t += 7 * 86_400_000) {
    const minute = Math.floor(t / 60_000) * 60_000;
    const offsetMinutes = (Date.parse(`${instantToWallTime(new Date(minute), timeZone)}:00Z`) - minute) / 60_000;
    if (offsetMinutes % 60 !== 0) return false;
  }
  return true;
}

export async function salesReport(
  db: Kysely<Database>,
  opts: { from: string; to: string; granularity: SalesGranularity; timeZone: string },
): Promise<SalesReport> {
  const fromUtc = startOfLocalDay(opts.from, opts.timeZone).toISOString();
  const toUtc = startOfLocalDay(opts.to, opts.timeZone).toISOString();
  const bucketOf = (iso: string) => {
    const day = localDate(new Date(iso), opts.timeZone);
    return opts.granularity === 'day' ? day : day.slice(0, 7);
  };
  const periods = new Map(periodKeys(opts.from, opts.to, opts.granularity).map((k) => [k, emptyPeriod(k)]));
  const at = (iso: string) => periods.get(bucketOf(iso));

  // Sales: summed in SQL per UTC hour (per minute in zones with a half-hour offset), the same on
  // both engines since timestamps are ISO text; the hours are then put on the shop's days.
  const width = wholeHourZone(new Date(fromUtc), new Date(toUtc), opts.timeZone) ? 13 : 16;
  const stamp = (minutes: string) => (width === 13 ? `${minutes}:00:00.000Z` : `${minutes}:00.000Z`);
  const bucket = sql<string>`substr(o.paid_at, 1, ${sql.lit(width)})`;
  const paid = db.selectFrom('orders as o').where('o.paid_at', 'is not', null).where('o.paid_at', '>=', fromUtc).where('o.paid_at', '<', toUtc);
  const orderRows = await paid.select([bucket.as('slot'), sql<number>`count(*)`.as('n'), sql<number>`sum(o.total)`.as('total'), sql<number>`sum(o.discount_total)`.as('discounts')]).groupBy(bucket).execute();
  for (const r of orderRows) {
    const p = at(stamp(r.slot));
    if (!p) continue;
    p.orders += Number(r.n);
    p.sales += Number(r.total);
    p.discounts += Number(r.discounts);
  }
  const rateRows = await paid.innerJoin('order_tax_lines as t', 't.order_id', 'o.id')
    .select([bucket.as('slot'), 't.tax_rate', sql<number>`sum(t.taxable_total)`.as('taxable'), sql<number>`sum(t.tax)`.as('tax')])
    .groupBy([bucket, 't.tax_rate']).execute();
  for (const r of rateRows) {
    const p = at(stamp(r.slot));
    if (!p) continue;
    const f = rateOf(p, Number(r.tax_rate));
    f.sales += Number(r.taxable);
    f.tax += Number(r.tax);
  }

  // Refunds are few: each is split over its order's rates (allocateRefund).
  const refunds = await db.selectFrom('refunds').where('status', '=', 'completed').where('created_at', '>=', fromUtc).where('created_at', '<', toUtc)
    .select(['order_id', 'amount', 'created_at']).execute();
  const orderIds = [...new Set(refunds.map((r) => r.order_id))];
  const linesByOrder = new Map<string, { tax_rate: number; taxable_total: number; tax: number }[]>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const lines = await db.selectFrom('order_tax_lines').where('order_id', 'in', orderIds.slice(i, i + 500)).select(['order_id', 'tax_rate', 'taxable_total', 'tax']).execute();
    for (const l of lines) linesByOrder.set(l.order_id, [...(linesByOrder.get(l.order_id) ?? []), { tax_rate: Number(l.tax_rate), taxable_total: Number(l.taxable_total), tax: Number(l.tax) }]);
  }
  for (const r of refunds) {
    const p = at(r.created_at);
    if (!p) continue;
    p.refunds += Number(r.amount);
    for (const part of allocateRefund(Number(r.amount), linesByOrder.get(r.order_id) ?? [])) {
      const f = rateOf(p, part.rate);
      f.refunds += part.amount;
      f.refundTax += part.tax;
    }
  }

  const total = emptyPeriod(opts.granularity === 'day' ? `${opts.from}/${opts.to}` : `${opts.from.slice(0, 7)}/${opts.to.slice(0, 7)}`);
  for (const p of periods.values()) {
    p.net = p.sales - p.refunds;
    for (const f of p.rates) { f.netSales = f.sales - f.refunds; f.netTax = f.tax - f.refundTax; }
    total.orders += p.orders; total.discounts += p.discounts; total.sales += p.sales; total.refunds += p.refunds; total.net += p.net;
    for (const f of p.rates) {
      const t = rateOf(total, f.rate);
      t.sales += f.sales; t.tax += f.tax; t.refunds += f.refunds; t.refundTax += f.refundTax; t.netSales += f.netSales; t.netTax += f.netTax;
    }
  }
  return { granularity: opts.granularity, from: opts.from, to: opts.to, periods: [...periods.values()], total };
}
