// On the 1st (shop time) the last month's report is built in both languages and stored as the
// month's draft (table monthly_reports, migration 0520): one row per month and locale, written
// once, so a rerun or a second instance never replaces what the vendor and committee already read.
import type { Kysely } from 'kysely';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { Clock, ShopLogger } from '../shop-context.ts';
import type { MonthlyReportRenderer, ReportLocale, ReportMonth } from './report-contract.ts';
import { lastMonth } from './report-month.ts';

export const MONTHLY_REPORT_JOB_NAME = 'monthly-security-report';
/** 06:00 on the 1st in SHOP_TIME_ZONE: the month is over everywhere the shop's records come from. */
export const MONTHLY_REPORT_CRON = '0 6 1 * *';
const LOCALES: ReportLocale[] = ['ja', 'en'];

export interface StoredMonthlyReport { month: ReportMonth; locale: ReportLocale; generatedAt: string; html: string; json: string }
type ReportTables = { monthly_reports: { month: string; locale: ReportLocale; generated_at: string; html: string; json: string } };

export async function loadStoredMonthlyReport(db: Kysely<any>, month: ReportMonth, locale: ReportLocale): Promise<StoredMonthlyReport | undefined> {
  const r = await (db as Kysely<ReportTables>).selectFrom('monthly_reports').selectAll().where('month', '=', month).where('locale', '=', locale).executeTakeFirst();
  return r ? { month: r.month, locale: r.locale, generatedAt: r.generated_at, html: r.html, json: r.json } : undefined;
}

/** Months with a stored report, newest first. */
export async function listStoredMonthlyReports(db: Kysely<any>): Promise<{ month: ReportMonth; locales: ReportLocale[]; generatedAt: string }[]> {
  const rows = await (db as Kysely<ReportTables>).selectFrom('monthly_reports').select(['month', 'locale', 'generated_at']).orderBy('month', 'desc').orderBy('locale').execute();
  const out = new Map<string, { month: ReportMonth; locales: ReportLocale[]; generatedAt: string }>();
  for (const r of rows) {
    const e = out.get(r.month) ?? { month: r.month, locales: [], generatedAt: r.generated_at };
    e.locales.push(r.locale);
    out.set(r.month, e);
  }
  return [...out.values()];
}

/** Builds and stores the month's report in each locale not stored yet. Returns the locales written. */
export async function storeMonthlyReport(db: Kysely<any>, renderer: MonthlyReportRenderer, month: ReportMonth, now: Date): Promise<ReportLocale[]> {
  const written: ReportLocale[] = [];
  for (const locale of LOCALES) {
    if (await loadStoredMonthlyReport(db, month, locale)) continue;
    const r = await renderer.render(month, { locale });
    const res = await (db as Kysely<ReportTables>).insertInto('monthly_reports')
      .values({ month, locale, generated_at: now.toISOString(), html: r.html, json: r.json })
      .onConflict((oc) => oc.columns(['month', 'locale']).doNothing()).executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) written.push(locale);
  }
  return written;
}

export function monthlyReportJob(opts: { db: Kysely<any>; renderer: MonthlyReportRenderer; timeZone: string; clock: Clock; log: ShopLogger }): JobDefinition {
  return {
    name: MONTHLY_REPORT_JOB_NAME,
    schedule: { cron: MONTHLY_REPORT_CRON },
    timeoutMs: 10 * 60_000,
    async run() {
      const now = opts.clock();
      const month = lastMonth(now, opts.timeZone);
      const written = await storeMonthlyReport(opts.db, opts.renderer, month, now);
      opts.log.info({ month, written }, written.length ? 'monthly security report stored' : 'monthly security report already stored');
    },
  };
}
