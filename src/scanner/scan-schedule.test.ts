// Scan history and the schedule on every database (SQLite always, PostgreSQL when configured).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { makeFinding } from './findings.ts';
import { latestScan, overdueScanFinding, recordScan, scanFindings, scanHistory } from './scan-history.ts';
import { scanScheduleJob, type ScanScheduleOptions } from './scan-schedule.ts';
import { createJobScheduler, type JobScheduler } from '../jobs/job-scheduler.ts';
import { listJobRuns } from '../jobs/job-runs.ts';
import { silentLogger } from '../shop-context.ts';
import type { TargetResult } from './scan-target.ts';

const URL_A = 'https://shop.example.jp/';
const DAY = 86_400_000;

function result(url: string, verdict: 'pass' | 'fail', startedAt: string): TargetResult {
  return {
    url,
    verdict,
    startedAt,
    durationMs: 120,
    connections: 70,
    tls: { protocols: { SSLv3: false, 'TLSv1.0': verdict === 'fail', 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true }, sslv2: false, ciphers: {}, certificate: null, heartbleed: null, secureRenegotiation: true, compression: false, ocspStapling: false },
    http: null,
    findings: verdict === 'fail' ? [makeFinding('tls-tls10', 'TLSv1.0 ClientHello → ServerHello 0x301'), makeFinding('http-no-referrer-policy', 'GET / → 200')] : [],
  };
}

const silentLog = () => {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (obj: unknown, msg?: string) => { lines.push({ level, msg: msg ?? String(obj) }); };
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } as never };
};

describeEachDatabase('scan history and schedule', (database) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let now: Date;
  const schedulers: JobScheduler[] = [];
  beforeEach(async () => {
    const created = await database.create();
    drop = created.drop;
    databaseUrl = created.url;
    handle = openDatabase(created.url);
    await migrateToLatest(handle.db);
  });
  afterEach(async () => { for (const s of schedulers.splice(0)) await s.stop(); await handle.close(); await drop(); });

  it('records runs with their findings and lists history newest first', async () => {
    await recordScan(handle.db, result(URL_A, 'fail', '2026-08-01T00:00:00.000Z'), 'schedule', '1.0.0');
    const { runId } = await recordScan(handle.db, result(URL_A, 'pass', '2026-08-02T00:00:00.000Z'), 'manual', '1.0.1');
    const history = await scanHistory(handle.db, URL_A);
    expect(history.map((h) => [h.verdict, h.triggeredBy, h.appVersion])).toEqual([['pass', 'manual', '1.0.1'], ['fail', 'schedule', '1.0.0']]);
    expect(history[1]).toMatchObject({ findingCount: 2, failingCount: 1 });
    expect(await scanFindings(handle.db, runId)).toEqual([]);
    const failed = await scanFindings(handle.db, history[1]!.id);
    expect(failed[0]).toMatchObject({ id: 'tls-tls10', cvss: 6.5, autoFail: true, cve: ['CVE-2011-3389'] });
  });

  it('makes an overdue scan a finding: no passing scan within the quarter', async () => {
    const now = new Date('2026-11-25T00:00:00.000Z');
    expect((await overdueScanFinding(handle.db, URL_A, now))?.evidence).toMatch(/last passing scan never/);
    await recordScan(handle.db, result(URL_A, 'pass', new Date(now.getTime() - 100 * DAY).toISOString()));
    await recordScan(handle.db, result(URL_A, 'fail', new Date(now.getTime() - 10 * DAY).toISOString()));
    expect(await overdueScanFinding(handle.db, URL_A, now)).toMatchObject({ id: 'scan-overdue', severity: 'medium' });
    await recordScan(handle.db, result(URL_A, 'pass', new Date(now.getTime() - 1 * DAY).toISOString()));
    expect(await overdueScanFinding(handle.db, URL_A, now)).toBeNull();
  });

  /** A shop (re)start: a scheduler with the scan job, its start-up run finished. */
  async function startShopJobs(opts: Omit<ScanScheduleOptions, 'db' | 'now'>): Promise<JobScheduler> {
    const s = createJobScheduler({
      db: handle, databaseUrl, clock: () => now, timeZone: 'Asia/Tokyo', log: silentLogger, pollMs: 0,
      jobs: [scanScheduleJob({ ...opts, db: handle.db, now: () => now })],
    });
    schedulers.push(s);
    await s.start();
    await s.settled();
    return s;
  }

  it('scans on start when never scanned, not again within the quarter, again after a deploy and when the quarter is over', async () => {
    const scanned: string[] = [];
    now = new Date('2026-11-25T00:00:00.000Z');
    const scan = async (url: string) => { scanned.push(url); return result(url, 'pass', now.toISOString()); };
    const { log, lines } = silentLog();
    const first = await startShopJobs({ log, targets: [URL_A], appVersion: '1.0.0', scan });
    expect(scanned).toEqual([URL_A]);
    expect(lines.some((l) => l.level === 'warn' && /overdue/i.test(l.msg))).toBe(true);
    await first.stop();

    await (await startShopJobs({ log, targets: [URL_A], appVersion: '1.0.0', scan })).stop();
    expect(scanned).toHaveLength(1);

    const deployed = await startShopJobs({ log, targets: [URL_A], appVersion: '1.1.0', scan });
    expect(scanned).toHaveLength(2);
    expect((await latestScan(handle.db, URL_A))).toMatchObject({ triggeredBy: 'deploy', appVersion: '1.1.0' });
    now = new Date(now.getTime() + 3_600_000); // the hourly look: nothing due
    expect(await deployed.runDue()).toEqual(['external-scan']);
    expect(scanned).toHaveLength(2);
    now = new Date(Date.parse('2026-11-25T00:00:00.000Z') + 92 * DAY); // the quarter is over
    await deployed.runDue();
    expect(scanned).toHaveLength(3);
    expect(await deployed.runNow('external-scan')).toBe('ok');
    expect(scanned).toHaveLength(4);
    expect((await scanHistory(handle.db, URL_A)).map((h) => h.triggeredBy)).toEqual(['manual', 'schedule', 'deploy', 'schedule']);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a failing scan of a plain-HTTP shop is a warning saying why and what resolves it, and is retried daily', async () => {
    const devUrl = 'http://127.0.0.1:3000/';
    now = new Date('2026-11-25T00:00:00.000Z');
    let scans = 0;
    const scan = async (url: string) => { scans++; return result(url, 'fail', now.toISOString()); };
    const { log, lines } = silentLog();
    const s = await startShopJobs({ log, targets: [devUrl], scan });
    expect(scans).toBe(1);
    const failed = lines.filter((l) => /external scan failed/.test(l.msg));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn' });
    expect(failed[0]!.msg).toMatch(/plain HTTP.*by design.*HTTPS/);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    now = new Date('2026-11-25T01:00:00.000Z');
    await s.runDue();
    expect(scans).toBe(1);
    now = new Date('2026-11-26T00:00:00.000Z');
    await s.runDue();
    expect(scans).toBe(2);
  });

  it('records a crashing scan as a failed job run instead of throwing', async () => {
    now = new Date('2026-11-25T00:00:00.000Z');
    const { log } = silentLog();
    await startShopJobs({ log, targets: [URL_A], scan: async () => { throw new Error('boom'); } });
    const [run] = await listJobRuns(handle.db, 'external-scan');
    expect(run).toMatchObject({ trigger: 'startup', outcome: 'failed', error: 'boom' });
  });
});
