// A report month is a calendar month in the shop's time zone (SHOP_TIME_ZONE): its figures count
// what happened from local midnight on the 1st to local midnight on the 1st of the next month.
import { z } from 'zod';
import { localMidnight, shopLocalTime } from '../admin/access-signals/shop-local-time.ts';
import type { ReportMonth } from './report-contract.ts';

export const ReportMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'a month YYYY-MM' });

export interface MonthBounds {
  month: ReportMonth;
  /** First instant of the month (UTC), inclusive. */
  start: Date;
  /** First instant of the next month (UTC), exclusive. */
  end: Date;
}

function parts(month: ReportMonth): { year: number; month: number } {
  const m = ReportMonthSchema.parse(month);
  return { year: Number(m.slice(0, 4)), month: Number(m.slice(5, 7)) };
}

export function formatMonth(year: number, month: number): ReportMonth {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(month: ReportMonth, delta: number): ReportMonth {
  const p = parts(month);
  return formatMonth(p.year, p.month + delta);
}

export function monthBounds(month: ReportMonth, timeZone: string): MonthBounds {
  const p = parts(month);
  const next = parts(addMonths(month, 1));
  return { month, start: localMidnight(p.year, p.month, 1, timeZone), end: localMidnight(next.year, next.month, 1, timeZone) };
}

/** The month `now` falls in, in the shop's zone. */
export function monthOf(now: Date, timeZone: string): ReportMonth {
  const t = shopLocalTime(now, timeZone);
  return formatMonth(t.year, t.month);
}

/** The month before the one `now` falls in: what the report of the 1st is about. */
export function lastMonth(now: Date, timeZone: string): ReportMonth {
  return addMonths(monthOf(now, timeZone), -1);
}

/** The local dates of the month, each with its UTC bounds (login failures per day). */
export function daysOfMonth(month: ReportMonth, timeZone: string): { date: string; start: Date; end: Date }[] {
  const p = parts(month);
  const out: { date: string; start: Date; end: Date }[] = [];
  for (let day = 1; ; day++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, day));
    if (d.getUTCMonth() !== p.month - 1) break;
    const n = new Date(Date.UTC(p.year, p.month - 1, day + 1));
    out.push({
      date: d.toISOString().slice(0, 10),
      start: localMidnight(p.year, p.month, day, timeZone),
      end: localMidnight(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate(), timeZone),
    });
  }
  return out;
}

/** `YYYY-MM-DD` of an instant in the shop's zone. */
export function localDateOf(at: Date, timeZone: string): string {
  const t = shopLocalTime(at, timeZone);
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}
