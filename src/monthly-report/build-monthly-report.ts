// Builds the month's report document from what the shop recorded: every figure is counted from a
// table, none is typed in. Sections whose source has no data say "not collected" with the reason,
// and the overall status is never green while any section is not collected.
import type { Kysely } from 'kysely';
import type { Inventory } from '../inventory/types.ts';
import type { Policy } from '../policy/schema.ts';
import { collectAccess, collectCardData, collectIncidents, collectIntegrityPageWatch, collectPayments } from './collect-activity.ts';
import { collectAuditChain, collectExternalScans, collectVulnerabilities, collectWhatRuns, type Collected } from './collect-security.ts';
import type { ComplianceSource, MonthlyReportSectionId, ReportLocale, ReportMonth, ReviewAnnotations } from './report-contract.ts';
import { MONTHLY_REPORT_SECTIONS } from './report-contract.ts';
import { addMonths, monthBounds, type MonthBounds } from './report-month.ts';
import { MonthlyReportDocumentSchema, type MonthlyReportDocument, type ReportSections, type SectionData, type SectionStatus } from './report-schema.ts';

export interface MonthlyReportSources {
  db: Kysely<any>;
  timeZone: string;
  shopName: string;
  clock: () => Date;
  policy: Policy;
  /** What runs now (src/inventory/collect.ts); taken once per month and stored. Absent: only stored snapshots. */
  collectInventory?: () => Promise<Inventory>;
  /** The audit anchors file (DATA_DIR/audit-anchors…): lets the verification notice a cut-off tail. */
  auditAnchorsFile?: string;
  compliance?: ComplianceSource;
}

type Data = { [K in keyof ReportSections]: SectionData<K> };
type Built = { [K in keyof ReportSections]: { status: SectionStatus; notCollectedReason: string | null; data: Data[K] | null } };

const notCollected = (reason: string) => ({ status: 'not-collected' as const, notCollectedReason: reason, data: null });
const collected = <T>(status: SectionStatus, data: T) => ({ status, notCollectedReason: null, data });
function fromCollected<T>(c: Collected<T>, status: (d: T) => SectionStatus) {
  return c.ok ? collected(status(c.data), c.data) : notCollected(c.reason);
}

// --- status rules (src/monthly-report/README.md explains each)
const whatRunsStatus = (d: Data['what-runs']): SectionStatus => (d.endOfLifeWarnings.some((w) => w.ended) ? 'red' : d.endOfLifeWarnings.length > 0 || !d.previousSnapshot ? 'amber' : 'green');
const vulnerabilitiesStatus = (d: Data['vulnerabilities']): SectionStatus => (d.overdue > 0 ? 'red' : d.open > 0 || d.checksInMonth === 0 ? 'amber' : 'green');
const scansStatus = (d: Data['external-scans']): SectionStatus => (d.targets.some((t) => t.overdue || (t.verdict === 'fail')) ? 'red' : d.runs === 0 ? 'amber' : 'green');
const watchStatus = (d: Data['integrity-page-watch']): SectionStatus => (d.unacknowledged > 0 ? 'red'
  : d.alertsTotal > 0 || d.integrityRuns.runs === 0 || d.pageWatchRuns.runs === 0 || d.integrityRuns.error + d.pageWatchRuns.error + d.integrityRuns.findings + d.pageWatchRuns.findings > 0 ? 'amber' : 'green');
const accessStatus = (d: Data['access']): SectionStatus => (d.offHoursVendorSignIns > 0 || d.lockouts > 0 ? 'amber' : 'green');
const paymentsStatus = (d: Data['payments']): SectionStatus => (d.amountMismatches > 0 ? 'red' : d.velocityBlocks + d.declineBlocks + d.reviewCases > 0 ? 'amber' : 'green');
const cardDataStatus = (d: Data['card-data']): SectionStatus => (d.latest.outcome === 'findings' ? 'red' : d.latest.outcome === 'error' || d.findingsRuns + d.errorRuns > 0 ? 'amber' : 'green');
const auditStatus = (d: Data['audit-chain']): SectionStatus => (d.ok ? 'green' : 'red');
const incidentsStatus = (d: Data['incidents']): SectionStatus => (d.openAtMonthEnd > 0 ? 'red' : d.openedInMonth + d.closedInMonth > 0 ? 'amber' : 'green');
const complianceStatus = (d: Data['compliance']): SectionStatus => (d.counts.failing > 0 ? 'red' : d.counts.notCollected > 0 || d.items.some((i) => i.status === 'attestation-missing' || i.status === 'attestation-expired') ? 'amber' : 'green');
const openActionsStatus = (d: Data['open-actions']): SectionStatus => (d.actions.some((a) => a.status === 'open' && a.overdue) ? 'red' : d.actions.some((a) => a.status === 'open') ? 'amber' : 'green');

/** The figures shown beside last month's in the summary. */
export const CHANGE_FIGURES: { figure: string; of: (b: Built) => number | null }[] = [
  { figure: 'vulnerabilities.open', of: (b) => b.vulnerabilities.data?.open ?? null },
  { figure: 'vulnerabilities.overdue', of: (b) => b.vulnerabilities.data?.overdue ?? null },
  { figure: 'external-scans.findings', of: (b) => b['external-scans'].data?.trend.at(-1)?.findings ?? null },
  { figure: 'integrity-page-watch.alerts', of: (b) => b['integrity-page-watch'].data?.alertsTotal ?? null },
  { figure: 'access.logins', of: (b) => b.access.data?.logins ?? null },
  { figure: 'access.failures', of: (b) => b.access.data?.failures ?? null },
  { figure: 'access.lockouts', of: (b) => b.access.data?.lockouts ?? null },
  { figure: 'payments.card-testing-blocks', of: (b) => (b.payments.data ? b.payments.data.velocityBlocks + b.payments.data.declineBlocks : null) },
  { figure: 'payments.declines', of: (b) => b.payments.data?.declines ?? null },
  { figure: 'incidents.opened', of: (b) => b.incidents.data?.openedInMonth ?? null },
];

type BodySection = Exclude<MonthlyReportSectionId, 'summary'>;

async function buildSections(src: MonthlyReportSources, bounds: MonthBounds, now: Date, opts: { annotations?: ReviewAnnotations; locale: ReportLocale; previous: boolean }): Promise<Omit<Built, 'summary'>> {
  const { db, timeZone } = src;
  const month = bounds.month;
  const openActions = opts.annotations?.previousOpenActions;
  return {
    // Last month's figures are read, never made: no live inventory for it, no verification, no compliance.
    'what-runs': fromCollected(await collectWhatRuns(db, bounds, timeZone, now, opts.previous ? undefined : src.collectInventory), whatRunsStatus),
    vulnerabilities: fromCollected(await collectVulnerabilities(db, bounds, src.policy), vulnerabilitiesStatus),
    'external-scans': fromCollected(await collectExternalScans(db, bounds, timeZone), scansStatus),
    'integrity-page-watch': fromCollected(await collectIntegrityPageWatch(db, bounds), watchStatus),
    access: ((d) => collected(accessStatus(d), d))(await collectAccess(db, bounds, timeZone)),
    payments: ((d) => collected(paymentsStatus(d), d))(await collectPayments(db, bounds)),
    'card-data': fromCollected(await collectCardData(db, bounds), cardDataStatus),
    'audit-chain': opts.previous ? notCollected('verified at report time only') : ((d) => collected(auditStatus(d), d))(await collectAuditChain(db, bounds, now, src.auditAnchorsFile)),
    incidents: ((d) => collected(incidentsStatus(d), d))(await collectIncidents(db, bounds)),
    compliance: opts.previous || !src.compliance ? notCollected('no compliance map is connected to the report') : await (async () => {
      const s = await src.compliance!.evaluate(now);
      const d: Data['compliance'] = {
        evaluatedAt: s.evaluatedAt,
        counts: { ...s.counts },
        items: s.items.map((i) => ({ id: i.id, framework: i.framework, reference: i.reference, title: i.title[opts.locale], kind: i.kind, status: i.status })),
      };
      return collected(complianceStatus(d), d);
    })(),
    'open-actions': !openActions ? notCollected(`no previous report's action list was handed to the report (${addMonths(month, -1)})`) : (() => {
      const endDate = bounds.end.toISOString().slice(0, 10);
      const d: Data['open-actions'] = { actions: openActions.map((a) => ({ ...a, overdue: a.status === 'open' && a.due !== undefined && a.due < endDate })) };
      return collected(openActionsStatus(d), d);
    })(),
  };
}

export async function buildMonthlyReport(src: MonthlyReportSources, month: ReportMonth, opts: { locale: ReportLocale; annotations?: ReviewAnnotations }): Promise<MonthlyReportDocument> {
  const now = src.clock();
  const bounds = monthBounds(month, src.timeZone);
  const current = await buildSections(src, bounds, now, { ...opts, previous: false });
  const previous = await buildSections(src, monthBounds(addMonths(month, -1), src.timeZone), now, { locale: opts.locale, previous: true });
  const bodyIds = MONTHLY_REPORT_SECTIONS.filter((id): id is BodySection => id !== 'summary');
  const statuses = bodyIds.map((id) => current[id].status);
  // Never green without data: a section not collected keeps the whole report amber at best.
  const overall = statuses.includes('red') ? 'red' : statuses.some((s) => s === 'amber' || s === 'not-collected') ? 'amber' : 'green';
  const summary: Data['summary'] = {
    overall,
    sections: bodyIds.map((id) => ({ id, status: current[id].status, previous: previous[id].status })),
    changes: CHANGE_FIGURES.map((f) => ({ figure: f.figure, previous: f.of(previous as Built), current: f.of(current as Built) })),
    actions: opts.annotations?.actions ?? [],
  };
  const comment = (id: MonthlyReportSectionId) => opts.annotations?.sectionComments[id] ?? null;
  const sections = Object.fromEntries(MONTHLY_REPORT_SECTIONS.map((id) => {
    const s = id === 'summary' ? collected(overall, summary) : current[id];
    return [id, { status: s.status, notCollectedReason: s.notCollectedReason, comment: comment(id), data: s.data }];
  })) as MonthlyReportDocument['sections'];
  // Parsing checks the document against its published schema before anyone sees it.
  return MonthlyReportDocumentSchema.parse({
    schema: 'mamori.monthly-report/1',
    month,
    locale: opts.locale,
    timeZone: src.timeZone,
    period: { start: bounds.start.toISOString(), end: bounds.end.toISOString() },
    generatedAt: now.toISOString(),
    shopName: src.shopName,
    sections,
  });
}
