// The report as the sign-off and the job receive it (MonthlyReportRenderer, report-contract.ts):
// the document built from the shop's records, its HTML with the charts, its JSON, and a PDF
// printed from the same HTML by Chromium (src/pdf/html-to-pdf.ts: one queue for the shop).
import path from 'node:path';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { htmlToPdf } from '../pdf/html-to-pdf.ts';
import { collectInventory } from '../inventory/collect.ts';
import { resolvePolicy } from '../policy/check.ts';
import type { ShopContext } from '../shop-context.ts';
import { buildMonthlyReport, type MonthlyReportSources } from './build-monthly-report.ts';
import type { ComplianceSource, MonthlyReportRenderer, RenderedMonthlyReport, ReportLocale, ReportMonth, ReviewAnnotations } from './report-contract.ts';
import { advisoriesByAgeChart, loginFailuresChart, scanFindingsChart } from './report-charts.ts';
import { renderMonthlyReportHtml, type ReportCharts } from './report-document.tsx';
import { reportMessages } from './report-messages.ts';
import type { MonthlyReportDocument } from './report-schema.ts';

/** The PDF printer failed (no Chromium, busy, timed out): an infrastructure fault, thrown. */
export class MonthlyReportPdfError extends Error {
  constructor(readonly code: string, detail: string) {
    super(`monthly report PDF: ${code}: ${detail}`);
  }
}

export async function chartsOf(doc: MonthlyReportDocument): Promise<ReportCharts> {
  const m = reportMessages(doc.locale);
  const s = doc.sections;
  return {
    ...(s['external-scans'].data ? { scanFindings: await scanFindingsChart(s['external-scans'].data.trend, m) } : {}),
    ...(s.vulnerabilities.data ? { advisoriesByAge: await advisoriesByAgeChart(s.vulnerabilities.data.ageBuckets, m) } : {}),
    ...(s.access.data ? { loginFailures: await loginFailuresChart(s.access.data.failuresPerDay, m) } : {}),
  };
}

/** The JSON exactly as frozen: the document, two-space indented, newline-terminated. */
export function serialiseMonthlyReport(doc: MonthlyReportDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function createMonthlyReportRenderer(sources: MonthlyReportSources & { chromiumPath: string }): MonthlyReportRenderer {
  return {
    async render(month: ReportMonth, opts: { locale: ReportLocale; annotations?: ReviewAnnotations }): Promise<RenderedMonthlyReport> {
      const doc = await buildMonthlyReport(sources, month, opts);
      const html = renderMonthlyReportHtml(doc, await chartsOf(doc));
      return {
        month, locale: opts.locale, html, json: serialiseMonthlyReport(doc),
        async pdf() {
          const r = await htmlToPdf(html, sources.chromiumPath);
          if (!r.ok) throw new MonthlyReportPdfError(r.error, r.detail);
          return r.pdf;
        },
      };
    },
  };
}

/** The report's sources in a running shop (or a CLI with the shop's settings). */
export function monthlyReportSourcesFromShop(shop: Pick<ShopContext, 'config' | 'db' | 'clock'>, opts: { compliance?: ComplianceSource; projectRoot?: string } = {}): MonthlyReportSources & { chromiumPath: string } {
  const projectRoot = opts.projectRoot ?? process.cwd();
  return {
    db: shop.db.db,
    timeZone: shop.config.timeZone,
    shopName: shop.config.shopName,
    clock: shop.clock,
    policy: resolvePolicy({ projectRoot }).policy,
    collectInventory: () => collectInventory({ projectRoot, database: shop.db, ...(shop.config.advisories.nodeScheduleFile ? { schedulePath: path.resolve(shop.config.advisories.nodeScheduleFile) } : {}), now: shop.clock() }),
    auditAnchorsFile: defaultAuditAnchorsFile(shop.config.dataDir),
    chromiumPath: shop.config.chromiumPath,
    ...(opts.compliance ? { compliance: opts.compliance } : {}),
  };
}

/** For the back-office pages: the month's report in one locale, with the header to serve its HTML under. */
export async function renderMonthlyReport(shop: Pick<ShopContext, 'config' | 'db' | 'clock'>, month: ReportMonth, opts: { locale: ReportLocale; annotations?: ReviewAnnotations; compliance?: ComplianceSource }): Promise<RenderedMonthlyReport> {
  return createMonthlyReportRenderer(monthlyReportSourcesFromShop(shop, opts.compliance ? { compliance: opts.compliance } : {})).render(month, opts);
}

export { MONTHLY_REPORT_CSP } from './report-document.tsx';
