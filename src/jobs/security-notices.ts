// The findings of the newest security check and external scans, each with what it means and the
// command that resolves it, for the start banner (src/main.ts prints them once) and the back office.
// Read from the stored history, so they are the same whichever instance ran the check.
import type { Kysely } from 'kysely';
import type { CheckResult } from '../policy/check.ts';
import { securityCheckHints } from '../policy/daily.ts';
import { latestScan } from '../scanner/scan-history.ts';
import { scanFailureHint } from '../scanner/scan-schedule.ts';

export interface SecurityNotice {
  source: 'security-check' | 'external-scan';
  /** When the check or scan ran (ISO 8601 UTC). */
  at: string;
  meaning: string;
  command: string;
}

/** Current findings: empty when the newest check passed (or none ran yet) and every target's newest scan passed. */
export async function currentSecurityNotices(db: Kysely<any>, opts: { scanTargets?: string[] } = {}): Promise<SecurityNotice[]> {
  const notices: SecurityNotice[] = [];
  const check = await db.selectFrom('security_checks').select(['started_at', 'status', 'error', 'report_json']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (check?.status === 'fail') {
    const report = JSON.parse(check.report_json) as Pick<CheckResult, 'violations'>;
    for (const hint of securityCheckHints(report)) notices.push({ source: 'security-check', at: check.started_at, ...hint });
  } else if (check?.status === 'error') {
    notices.push({ source: 'security-check', at: check.started_at, meaning: `the security check could not run: ${check.error ?? 'unknown error'}`, command: 'npm run mamori -- check' });
  }
  for (const url of opts.scanTargets ?? []) {
    const scan = await latestScan(db, url);
    if (scan?.verdict === 'fail') notices.push({ source: 'external-scan', at: scan.startedAt, ...scanFailureHint(url) });
  }
  return notices;
}
