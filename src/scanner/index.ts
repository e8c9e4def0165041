// Public entry point of the external scanner. Only point it at systems you are allowed to test.
//
// One-off scan (what `mamori scan` does):
//   const result = await scanTarget('https://shop.example.jp/', { bounds: { timeoutMs: 5000 } });
//   result.verdict            // 'pass' | 'fail' (PCI ASV rule: any CVSS ≥ 4.0 or an auto-fail item)
//   result.findings           // [{ id, title, severity, cvss, cve, evidence, fix, autoFail }]
//
// In the running shop (composition root), a job of the shop's scheduler (src/jobs/):
//   jobs: [scanScheduleJob({ db, log, targets: [config.publicUrl], appVersion: pkg.version })]
//   …from a deploy hook: await scanAllTargets(options, 'deploy');
// It scans each target quarterly, again on start-up when the app version changed (a deploy), daily
// while a target fails, stores every run (recordScan → scan_runs / scan_findings, migration 0200),
// and logs an overdue scan as a finding (overdueScanFinding) for the back office and monthly report.
export { scanTarget, type ScanOptions, type ScanProgress, type TargetResult, type TlsReport } from './scan-target.ts';
export { buildScanReport, exitCodeOf, type ScanReport } from './scan-report.ts';
export { FINDING_CATALOG, makeFinding, verdictOf, type Finding, type FindingId, type Severity } from './findings.ts';
export { DEFAULT_BOUNDS, type ScanBounds } from './connection-budget.ts';
export { renderHtml } from './report-html.tsx';
export { renderJson } from './report-json.ts';
export { renderSarif } from './report-sarif.ts';
export { renderTable } from './report-table.ts';
export { latestScan, overdueScanFinding, QUARTER_DAYS, recordScan, scanFindings, scanHistory, type ScanRunSummary, type ScanTables, type ScanTrigger } from './scan-history.ts';
export { checkScanSchedule, scanAllTargets, scanFailureHint, scanScheduleJob, type ScanScheduleOptions } from './scan-schedule.ts';
export { bannerAdvisoryLookup } from './banner-advisory-lookup.ts';
export { ScanJsonContract, type ScanJson } from './scan-json-contract.ts';
