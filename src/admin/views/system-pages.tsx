// The vendor's system status and the auditor's security settings: no personal data on either.
import type { AdminViewContext } from './admin-layout.tsx';
import { formatDateTime } from '../../i18n/locale.ts';
import type { JobStatus } from '../../jobs/job-runs.ts';
import type { SecurityNotice } from '../../jobs/security-notices.ts';
import { JobStatusTable } from '../../jobs/views/job-status-table.tsx';
import type { MalwareScanStatus } from '../../malware-scan/malware-scan-status.ts';
import { MalwareScanStatusBlock } from '../../malware-scan/views/malware-scan-status-block.tsx';
import type { WatchResult } from '../../watch-results/watch-results.ts';
import { IntegrityStatusBlock } from '../../integrity/integrity-pages.tsx';
import { PanScanStatus } from '../../pan-scan/views/pan-scan-status.tsx';

export interface LatestSecurityCheck { started_at: string; status: string; findings: number; violations: number; node_eol: number }

export function StatusPage({ ctx, database, engineVersion, nodeVersion, uptimeSeconds, securityCheck, jobs, notices, malwareScan, integrity, panScan }: { ctx: AdminViewContext; database: string; engineVersion: string; nodeVersion: string; uptimeSeconds: number; securityCheck: LatestSecurityCheck | undefined; jobs: JobStatus[]; notices: SecurityNotice[]; malwareScan?: { status: MalwareScanStatus; now: Date }; integrity?: WatchResult | undefined; panScan?: WatchResult | undefined }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.status.title}</h1>
      <dl class="order-facts">
        <dt>{m.status.database}</dt><dd>{`${database} ${engineVersion}`}</dd>
        <dt>{m.status.node}</dt><dd>{nodeVersion}</dd>
        <dt>{m.status.uptime}</dt><dd>{uptimeSeconds}</dd>
        <dt>{m.status.securityCheck}</dt>
        <dd>{securityCheck
          ? m.status.securityCheckResult(formatDateTime(securityCheck.started_at, ctx.locale, ctx.timeZone), securityCheck.status, securityCheck.findings, securityCheck.violations)
          : m.status.noSecurityCheck}</dd>
      </dl>
      {malwareScan ? <MalwareScanStatusBlock status={malwareScan.status} locale={ctx.locale} timeZone={ctx.timeZone} now={malwareScan.now} /> : null}
      <IntegrityStatusBlock ctx={ctx} latest={integrity} />
      <h2>{m.status.notices}</h2>
      {notices.length === 0 ? <p id="no-security-notices">{m.status.noNotices}</p> : (
        <ul id="security-notices">
          {notices.map((n) => (
            <li data-source={n.source}>
              <time datetime={n.at}>{formatDateTime(n.at, ctx.locale, ctx.timeZone)}</time>{` ${m.status.noticeSources[n.source]}: ${n.meaning} `}
              <small>{m.status.noticeCommand} <code>{n.command}</code></small>
            </li>
          ))}
        </ul>
      )}
      <PanScanStatus result={panScan} locale={ctx.locale} timeZone={ctx.timeZone} />
      <h2>{m.status.jobs}</h2>
      <JobStatusTable jobs={jobs} locale={ctx.locale} timeZone={ctx.timeZone} />
    </section>
  );
}

export function SecurityPage({ ctx, allowList }: { ctx: AdminViewContext; allowList: string[] | undefined }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.security.title}</h1>
      <dl class="order-facts">
        <dt>{m.security.ipAllowList}</dt><dd>{allowList ? allowList.join(', ') : m.security.ipAllowListOff}</dd>
      </dl>
      <ul>
        <li>{m.security.mfaPolicy}</li>
        <li>{m.security.lockPolicy}</li>
        <li>{m.security.sessionPolicy}</li>
      </ul>
    </section>
  );
}
