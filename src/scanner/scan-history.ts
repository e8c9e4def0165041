// Stores scan results with their history (tables from migration 0200) and answers the questions
// the back office, the monthly report and the schedule ask: latest per target, history, overdue.
import type { Generated, Kysely, Selectable } from 'kysely';
import { makeFinding, type Finding, type Severity } from './findings.ts';
import type { TargetResult } from './scan-target.ts';

export type ScanTrigger = 'schedule' | 'deploy' | 'manual';

export interface ScanTables {
  scan_runs: {
    id: Generated<number>;
    target_url: string;
    verdict: 'pass' | 'fail';
    error_code: string | null;
    triggered_by: ScanTrigger;
    app_version: string | null;
    started_at: string;
    duration_ms: number;
    finding_count: number;
    failing_count: number;
    report_json: string;
  };
  scan_findings: {
    id: Generated<number>;
    run_id: number;
    finding_id: string;
    title: string;
    severity: Severity;
    cvss: number;
    cve: string;
    evidence: string;
    fix: string;
    auto_fail: number;
  };
}

export interface ScanRunSummary {
  id: number;
  targetUrl: string;
  verdict: 'pass' | 'fail';
  errorCode: string | null;
  triggeredBy: ScanTrigger;
  appVersion: string | null;
  startedAt: string;
  durationMs: number;
  findingCount: number;
  failingCount: number;
}

/** PCI DSS 11.3.2: a passing external scan at least once every three months. */
export const QUARTER_DAYS = 91;
const DAY_MS = 86_400_000;

export async function recordScan(db: Kysely<any>, result: TargetResult, trigger: ScanTrigger = 'manual', appVersion: string | null = null): Promise<{ runId: number }> {
  const t = db as Kysely<ScanTables>;
  return t.transaction().execute(async (trx) => {
    const run = await trx.insertInto('scan_runs').values({
      target_url: result.url,
      verdict: result.verdict,
      error_code: result.error?.code ?? null,
      triggered_by: trigger,
      app_version: appVersion,
      started_at: result.startedAt,
      duration_ms: result.durationMs,
      finding_count: result.findings.length,
      failing_count: result.findings.filter((f) => f.cvss >= 4 || f.autoFail).length,
      report_json: JSON.stringify(result),
    }).returning('id').executeTakeFirstOrThrow();
    if (result.findings.length > 0) {
      await trx.insertInto('scan_findings').values(result.findings.map((f) => ({
        run_id: run.id,
        finding_id: f.id,
        title: f.title,
        severity: f.severity,
        cvss: f.cvss,
        cve: JSON.stringify(f.cve),
        evidence: f.evidence,
        fix: f.fix,
        auto_fail: f.autoFail ? 1 : 0,
      }))).execute();
    }
    return { runId: run.id };
  });
}

type RunRow = Omit<Selectable<ScanTables['scan_runs']>, 'report_json'>;

function summary(r: RunRow): ScanRunSummary {
  return {
    id: r.id,
    targetUrl: r.target_url,
    verdict: r.verdict,
    errorCode: r.error_code,
    triggeredBy: r.triggered_by,
    appVersion: r.app_version,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    findingCount: r.finding_count,
    failingCount: r.failing_count,
  };
}

const SUMMARY_COLUMNS = ['id', 'target_url', 'verdict', 'error_code', 'triggered_by', 'app_version', 'started_at', 'duration_ms', 'finding_count', 'failing_count'] as const;

/** Newest first. */
export async function scanHistory(db: Kysely<any>, targetUrl: string, limit = 20): Promise<ScanRunSummary[]> {
  const rows = await (db as Kysely<ScanTables>).selectFrom('scan_runs').select(SUMMARY_COLUMNS)
    .where('target_url', '=', targetUrl).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => summary(r));
}

export async function latestScan(db: Kysely<any>, targetUrl: string, onlyPassing = false): Promise<ScanRunSummary | undefined> {
  let q = (db as Kysely<ScanTables>).selectFrom('scan_runs').select(SUMMARY_COLUMNS).where('target_url', '=', targetUrl);
  if (onlyPassing) q = q.where('verdict', '=', 'pass');
  const row = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row ? summary(row) : undefined;
}

export async function scanFindings(db: Kysely<any>, runId: number): Promise<Finding[]> {
  const rows = await (db as Kysely<ScanTables>).selectFrom('scan_findings').selectAll().where('run_id', '=', runId).orderBy('cvss', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ id: r.finding_id, title: r.title, severity: r.severity, cvss: Number(r.cvss), cve: JSON.parse(r.cve) as string[], evidence: r.evidence, fix: r.fix, autoFail: r.auto_fail === 1 }));
}

/** An overdue scan is itself a finding: no passing scan of the target within the last `intervalDays`. */
export async function overdueScanFinding(db: Kysely<any>, targetUrl: string, now = new Date(), intervalDays = QUARTER_DAYS): Promise<Finding | null> {
  const lastPass = await latestScan(db, targetUrl, true);
  if (lastPass && now.getTime() - Date.parse(lastPass.startedAt) <= intervalDays * DAY_MS) return null;
  const last = await latestScan(db, targetUrl);
  const evidence = `${targetUrl}: last passing scan ${lastPass ? lastPass.startedAt : 'never'}; last scan ${last ? `${last.startedAt} (${last.verdict})` : 'never'}; required every ${intervalDays} days`;
  return makeFinding('scan-overdue', evidence);
}
