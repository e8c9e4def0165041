// Scheduled external scans for the running shop: each target quarterly (PCI DSS 11.3.2), after every
// deploy (an app version not seen in the last scan), and daily again while it fails so a fix shows up.
// Results go to the history; an overdue scan is logged as a finding of its own.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { latestScan, overdueScanFinding, QUARTER_DAYS, recordScan, type ScanTrigger } from './scan-history.ts';
import { scanTarget, type ScanOptions, type TargetResult } from './scan-target.ts';

export interface ScanScheduleOptions {
  db: Kysely<any>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The shop's own public URLs; nothing else is ever scanned. */
  targets: string[];
  intervalDays?: number;
  /** How often to look whether a scan is due (default hourly). */
  checkEveryMs?: number;
  /** A failing target is scanned again after this long (default one day). */
  retryFailedAfterMs?: number;
  /** The running version: differing from the last scan's means a deploy happened, so scan now. */
  appVersion?: string;
  scanOptions?: ScanOptions;
  /** Injected in tests. */
  scan?: (url: string, options: ScanOptions) => Promise<TargetResult>;
  now?: () => Date;
}

export interface ScanSchedule {
  stop(): void;
  /** Scans every target now (e.g. from a deploy hook) and records the results. */
  runNow(trigger: ScanTrigger): Promise<TargetResult[]>;
  /** Resolves when the check in progress (if any) has finished. */
  idle(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function startScanSchedule(options: ScanScheduleOptions): ScanSchedule {
  const { db, log, targets } = options;
  const intervalMs = (options.intervalDays ?? QUARTER_DAYS) * DAY_MS;
  const retryMs = options.retryFailedAfterMs ?? DAY_MS;
  const now = options.now ?? (() => new Date());
  const scan = options.scan ?? scanTarget;
  const appVersion = options.appVersion ?? null;
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;

  async function scanAndRecord(url: string, trigger: ScanTrigger): Promise<TargetResult> {
    const result = await scan(url, options.scanOptions ?? {});
    await recordScan(db, result, trigger, appVersion);
    const failing = result.findings.filter((f) => f.cvss >= 4 || f.autoFail);
    if (result.verdict === 'pass') log.info({ target: url, trigger, findings: result.findings.length }, 'external scan passed');
    else log.warn({ target: url, trigger, error: result.error, failing: failing.map((f) => `${f.id} (${f.cvss})`) }, 'external scan FAILED');
    return result;
  }

  async function dueTrigger(url: string): Promise<ScanTrigger | null> {
    const last = await latestScan(db, url);
    if (!last) return 'schedule';
    const age = now().getTime() - Date.parse(last.startedAt);
    if (appVersion && last.appVersion !== appVersion) return 'deploy';
    if (age >= intervalMs) return 'schedule';
    if (last.verdict === 'fail' && age >= retryMs) return 'schedule';
    return null;
  }

  async function check(): Promise<void> {
    for (const url of targets) {
      if (stopped) return;
      const overdue = await overdueScanFinding(db, url, now(), options.intervalDays ?? QUARTER_DAYS);
      if (overdue) log.warn({ target: url, finding: overdue.id, cvss: overdue.cvss, evidence: overdue.evidence }, overdue.title);
      const trigger = await dueTrigger(url);
      if (trigger) await scanAndRecord(url, trigger);
    }
  }

  function guarded(work: () => Promise<void>): Promise<void> {
    if (busy || stopped) return current.then(() => undefined);
    busy = true;
    const p = work().catch((err: unknown) => log.error({ err }, 'scheduled external scan crashed')).finally(() => { busy = false; });
    current = p;
    return p;
  }

  void guarded(check);
  const timer = setInterval(() => void guarded(check), options.checkEveryMs ?? 3_600_000);
  timer.unref(); // the schedule must never keep the process alive on shutdown

  return {
    stop() { stopped = true; clearInterval(timer); },
    async runNow(trigger) {
      await current;
      const results: TargetResult[] = [];
      await guarded(async () => { for (const url of targets) results.push(await scanAndRecord(url, trigger)); });
      return results;
    },
    idle: () => current.then(() => undefined),
  };
}
