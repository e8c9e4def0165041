// The seam between the monthly report (built from what the shop recorded), the security committee's
// sign-off (comments, actions, approval, frozen copies) and the compliance map. Each side is built and
// tested on its own against these types; the composition root wires the real implementations together.

export const MONTHLY_REPORT_SECTIONS = [
  'summary',
  'what-runs',
  'vulnerabilities',
  'external-scans',
  'integrity-page-watch',
  'access',
  'payments',
  'card-data',
  'audit-chain',
  'incidents',
  'compliance',
  'open-actions',
] as const;
export type MonthlyReportSectionId = (typeof MONTHLY_REPORT_SECTIONS)[number];

export type ReportLocale = 'ja' | 'en';
/** A calendar month in the shop's time zone, `YYYY-MM`. */
export type ReportMonth = string;

export interface ReportAction {
  id: string;
  text: string;
  owner?: string;
  /** `YYYY-MM-DD`, shop time. */
  due?: string;
  status: 'open' | 'done';
}

/** What the vendor adds to the month's draft; printed in the report beside the recorded figures. */
export interface ReviewAnnotations {
  sectionComments: Partial<Record<MonthlyReportSectionId, string>>;
  actions: ReportAction[];
  /** Actions of earlier months' reports still open: the report's "open actions" section. */
  previousOpenActions: ReportAction[];
}

export interface RenderedMonthlyReport {
  month: ReportMonth;
  locale: ReportLocale;
  html: string;
  /** The JSON document (schema in the repository), serialised exactly as it is frozen. */
  json: string;
  pdf(): Promise<Buffer>;
}

export interface MonthlyReportRenderer {
  render(month: ReportMonth, opts: { locale: ReportLocale; annotations?: ReviewAnnotations }): Promise<RenderedMonthlyReport>;
}

export type ComplianceItemStatus = 'pass' | 'fail' | 'not-collected' | 'attested' | 'attestation-expired' | 'attestation-missing';

export interface ComplianceItemState {
  id: string;
  framework: 'pci-dss-v4.0.1-saq-a' | 'jp-credit-card-security-guidelines-v6.0';
  /** The requirement's own number or heading in its source. */
  reference: string;
  title: { ja: string; en: string };
  kind: 'automated' | 'manual';
  status: ComplianceItemStatus;
  /** Path in the back office where the evidence is shown. */
  evidenceHref?: string;
  detail?: { ja: string; en: string };
}

export interface ComplianceSummary {
  evaluatedAt: string;
  items: ComplianceItemState[];
  counts: { automated: number; manual: number; passing: number; failing: number; notCollected: number };
}

export interface ComplianceSource {
  evaluate(at: Date): Promise<ComplianceSummary>;
}
