// Scan history and the schedule on every database (SQLite always, PostgreSQL when configured).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { makeFinding } from './findings.ts';
import { latestScan, overdueScanFinding, recordScan, scanFindings, scanHistory } from './scan-history.ts';
import { startScanSchedule } from './scan-schedule.ts';
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

for (const database of DATABASES) {
  describe(`scan history and schedule on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      const created = await database.create();
      drop = created.drop;
      handle = openDatabase(created.url);
      await migrateToLatest(handle.db);
    });
    afterEach(async () => { await handle.close(); await drop(); });

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

    it('scans on start when never scanned, not again within the quarter, and again after a deploy', async () => {
      const scanned: string[] = [];
      const now = new Date('2026-11-25T00:00:00.000Z');
      const scan = async (url: string) => { scanned.push(url); return result(url, 'pass', now.toISOString()); };
      const { log, lines } = silentLog();
      const first = startScanSchedule({ db: handle.db, log, targets: [URL_A], appVersion: '1.0.0', scan, now: () => now });
      await first.idle();
      first.stop();
      expect(scanned).toEqual([URL_A]);
      expect(lines.some((l) => l.level === 'warn' && /overdue/i.test(l.msg))).toBe(true);

      const same = startScanSchedule({ db: handle.db, log, targets: [URL_A], appVersion: '1.0.0', scan, now: () => now });
      await same.idle();
      same.stop();
      expect(scanned).toHaveLength(1);

      const deployed = startScanSchedule({ db: handle.db, log, targets: [URL_A], appVersion: '1.1.0', scan, now: () => now });
      await deployed.idle();
      deployed.stop();
      expect(scanned).toHaveLength(2);
      expect((await latestScan(handle.db, URL_A))).toMatchObject({ triggeredBy: 'deploy', appVersion: '1.1.0' });

      const later = startScanSchedule({ db: handle.db, log, targets: [URL_A], appVersion: '1.1.0', scan, now: () => new Date(now.getTime() + 92 * DAY) });
      await later.idle();
      await later.runNow('manual');
      later.stop();
      expect(scanned).toHaveLength(4);
      expect((await scanHistory(handle.db, URL_A)).map((h) => h.triggeredBy)).toEqual(['manual', 'schedule', 'deploy', 'schedule']);
    });

    it('logs a crashing scan instead of throwing', async () => {
      const { log, lines } = silentLog();
      const s = startScanSchedule({ db: handle.db, log, targets: [URL_A], scan: async () => { throw new Error('boom'); } });
      await s.idle();
      s.stop();
      expect(lines.some((l) => l.level === 'error')).toBe(true);
    });
  });
}
