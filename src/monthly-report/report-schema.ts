// The monthly report as JSON: this Zod definition is the contract for anyone who processes it; the
// JSON Schema generated from it is committed at docs/schemas/monthly-report.schema.json (a test
// keeps the two equal). Every section has a status; "not-collected" always says why.
import { z } from 'zod';
import { MONTHLY_REPORT_SECTIONS } from './report-contract.ts';

export const SectionStatusSchema = z.enum(['green', 'amber', 'red', 'not-collected']);
export type SectionStatus = z.infer<typeof SectionStatusSchema>;

const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().min(0);
const severity = z.enum(['critical', 'high', 'medium', 'low']);

/** What every section carries besides its figures. */
function section<T extends z.ZodType>(data: T) {
  return z.object({
    status: SectionStatusSchema,
    /** Why there are no figures (status "not-collected"), else null. */
    notCollectedReason: z.string().nullable(),
    /** The vendor's comment on this section (sign-off), else null. */
    comment: z.string().nullable(),
    data: data.nullable(),
  });
}

const component = z.object({ kind: z.string(), name: z.string(), version: z.string() });
const action = z.object({
  id: z.string(), text: z.string(), owner: z.string().optional(), due: localDate.optional(), status: z.enum(['open', 'done']),
});

export const SummaryDataSchema = z.object({
  overall: z.enum(['green', 'amber', 'red']),
  sections: z.array(z.object({ id: z.enum(MONTHLY_REPORT_SECTIONS), status: SectionStatusSchema, previous: SectionStatusSchema.nullable() })),
  /** Key figures of this month beside last month's (null: not collected that month). */
  changes: z.array(z.object({ figure: z.string(), previous: z.number().nullable(), current: z.number().nullable() })),
  /** The vendor's action list for this month (sign-off). */
  actions: z.array(action),
});

export const WhatRunsDataSchema = z.object({
  snapshotTakenAt: isoInstant,
  node: z.object({ version: z.string(), openssl: z.string(), phase: z.string(), endOfLife: localDate.nullable(), eol: z.boolean() }).nullable(),
  systemOpenssl: z.string().nullable(),
  database: z.object({ name: z.string(), version: z.string() }).nullable(),
  counts: z.object({ total: count, npm: count, os: count, runtimeLibraries: count }),
  /** false: no snapshot of the previous month, so added/removed/upgraded are empty. */
  previousSnapshot: z.boolean(),
  added: z.array(component),
  removed: z.array(component),
  upgraded: z.array(z.object({ kind: z.string(), name: z.string(), from: z.string(), to: z.string() })),
  endOfLifeWarnings: z.array(z.object({ component: z.string(), version: z.string(), endOfLife: localDate.nullable(), ended: z.boolean() })),
});

export const VulnerabilitiesDataSchema = z.object({
  lastCheckAt: isoInstant,
  checksInMonth: count,
  /** Remediation target per severity (days from first detection), from the policy file. */
  targetDays: z.object({ critical: count, high: count, medium: count, low: count }),
  open: count,
  new: count,
  fixed: count,
  overdue: count,
  bySeverity: z.array(z.object({ severity, open: count, overdue: count })),
  /** Open advisories by age at the month's end (the chart). */
  ageBuckets: z.array(z.object({ bucket: z.string(), severity, count })),
  items: z.array(z.object({
    advisoryId: z.string(), component: z.string(), version: z.string(), severity,
    state: z.enum(['open', 'fixed']), firstSeenAt: isoInstant, fixedAt: isoInstant.nullable(),
    ageDays: count, targetDays: count, overdue: z.boolean(), isNew: z.boolean(),
  })),
});

export const ExternalScansDataSchema = z.object({
  runs: count,
  passing: count,
  failing: count,
  targets: z.array(z.object({
    url: z.string(), lastScanAt: isoInstant.nullable(), verdict: z.enum(['pass', 'fail']).nullable(), findings: count,
    lastPassingAt: isoInstant.nullable(), quarterlyDueOn: localDate.nullable(), overdue: z.boolean(),
  })),
  findings: z.array(z.object({ target: z.string(), id: z.string(), title: z.string(), severity: z.string(), cvss: z.number() })),
  /** The 12 months ending with this one: runs and the findings of each target's last run that month. */
  trend: z.array(z.object({ month: z.string(), runs: count, findings: count, failing: count })),
});

const watchCounts = z.object({ runs: count, clean: count, findings: count, error: count });
export const IntegrityPageWatchDataSchema = z.object({
  alertsTotal: count,
  unacknowledged: count,
  alerts: z.array(z.object({ kind: z.string(), severity, count })),
  approvals: z.array(z.object({ action: z.string(), at: isoInstant, actor: z.string().nullable() })),
  integrityRuns: watchCounts,
  pageWatchRuns: watchCounts,
});

export const AccessDataSchema = z.object({
  logins: count, failures: count, lockouts: count, newAddresses: count, newDevices: count, vendorSessions: count, offHoursVendorSignIns: count,
  vendorActions: z.array(z.object({ action: z.string(), count })),
  accountChanges: z.array(z.object({ at: isoInstant, action: z.string(), target: z.string().nullable(), actor: z.string().nullable(), detail: z.string() })),
  failuresPerDay: z.array(z.object({ date: localDate, failures: count })),
});

export const PaymentsDataSchema = z.object({
  velocityBlocks: count, declineBlocks: count, declines: count, reviewCases: count, amountMismatches: count, paidOrders: count,
});

export const CardDataDataSchema = z.object({
  runs: count, findingsRuns: count, errorRuns: count,
  latest: z.object({ at: isoInstant, outcome: z.enum(['clean', 'findings', 'error']), summary: z.string() }),
});

export const AuditChainDataSchema = z.object({
  verifiedAt: isoInstant,
  ok: z.boolean(),
  entries: count,
  head: z.object({ id: count, hash: z.string() }).nullable(),
  breakAt: z.object({ id: count, reason: z.string() }).nullable(),
  monthEndHead: z.object({ id: count, hash: z.string() }).nullable(),
  entriesInMonth: count,
});

export const IncidentsDataSchema = z.object({
  openedInMonth: count, closedInMonth: count, openAtMonthEnd: count,
  items: z.array(z.object({ reference: z.string(), title: z.string(), status: z.enum(['open', 'closed']), awareAt: isoInstant, closedAt: isoInstant.nullable() })),
});

export const ComplianceDataSchema = z.object({
  evaluatedAt: z.string(),
  counts: z.object({ automated: count, manual: count, passing: count, failing: count, notCollected: count }),
  items: z.array(z.object({ id: z.string(), framework: z.string(), reference: z.string(), title: z.string(), kind: z.enum(['automated', 'manual']), status: z.string() })),
});

export const OpenActionsDataSchema = z.object({
  actions: z.array(action.extend({ overdue: z.boolean() })),
});

export const MonthlyReportDocumentSchema = z.object({
  schema: z.literal('mamori.monthly-report/1'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  locale: z.enum(['ja', 'en']),
  timeZone: z.string(),
  period: z.object({ start: isoInstant, end: isoInstant }),
  generatedAt: isoInstant,
  shopName: z.string(),
  sections: z.object({
    summary: section(SummaryDataSchema),
    'what-runs': section(WhatRunsDataSchema),
    vulnerabilities: section(VulnerabilitiesDataSchema),
    'external-scans': section(ExternalScansDataSchema),
    'integrity-page-watch': section(IntegrityPageWatchDataSchema),
    access: section(AccessDataSchema),
    payments: section(PaymentsDataSchema),
    'card-data': section(CardDataDataSchema),
    'audit-chain': section(AuditChainDataSchema),
    incidents: section(IncidentsDataSchema),
    compliance: section(ComplianceDataSchema),
    'open-actions': section(OpenActionsDataSchema),
  }),
});

export type MonthlyReportDocument = z.infer<typeof MonthlyReportDocumentSchema>;
export type ReportSections = MonthlyReportDocument['sections'];
export type ReportSection<K extends keyof ReportSections> = ReportSections[K];
export type SectionData<K extends keyof ReportSections> = NonNullable<ReportSections[K]['data']>;

export function monthlyReportJsonSchema(): unknown {
  return { ...z.toJSONSchema(MonthlyReportDocumentSchema), title: 'Mamori monthly security report' };
}
