// The start banner's findings come from the stored history, with what resolves each.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { recordSecurityCheck } from '../policy/daily.ts';
import type { CheckResult } from '../policy/check.ts';
import { recordScan } from '../scanner/scan-history.ts';
import { makeFinding } from '../scanner/findings.ts';
import type { TargetResult } from '../scanner/scan-target.ts';
import { currentSecurityNotices } from './security-notices.ts';

const DEV_URL = 'http://127.0.0.1:3000/';

function check(status: 'pass' | 'fail', violations: CheckResult['violations']): CheckResult {
  return {
    status, exitCode: status === 'pass' ? 0 : 1, checkedAt: '2026-12-01T00:00:00.000Z', target: { host: 'test', source: 'this system' }, policyFile: null,
    advisoryData: { asOf: null, ageHours: null, maxAgeHours: 48, count: 0, sources: [] }, node: null,
    summary: { components: 10, findings: 0, violations: violations.length, tolerated: 0, excepted: 0, suppressed: 0, highestSeverity: null },
    violations, findings: [], warnings: [],
  } as unknown as CheckResult;
}

function scan(url: string, verdict: 'pass' | 'fail'): TargetResult {
  return {
    url, verdict, startedAt: '2026-12-01T00:00:05.000Z', durationMs: 10, connections: 1, tls: null, http: null,
    findings: verdict === 'fail' ? [makeFinding('http-no-referrer-policy', 'GET / → 200')] : [],
  } as unknown as TargetResult;
}

for (const database of DATABASES) {
  describe(`security notices on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      const created = await database.create();
      drop = created.drop;
      handle = openDatabase(created.url);
      await migrateToLatest(handle.db);
    });
    afterEach(async () => { await handle.close(); await drop(); });

    it('is empty before anything ran and after everything passed', async () => {
      expect(await currentSecurityNotices(handle.db, { scanTargets: [DEV_URL] })).toEqual([]);
      await recordSecurityCheck(handle, check('pass', []), { startedAt: new Date('2026-12-01T00:00:00.000Z') });
      await recordScan(handle.db, scan(DEV_URL, 'pass'));
      expect(await currentSecurityNotices(handle.db, { scanTargets: [DEV_URL] })).toEqual([]);
    });

    it('names what a fresh development shop lacks and the commands that resolve it', async () => {
      await recordSecurityCheck(handle, check('pass', []), { startedAt: new Date('2026-11-30T00:00:00.000Z') });
      await recordSecurityCheck(handle, check('fail', [{ kind: 'no-advisories', message: 'no advisory data' }]), { startedAt: new Date('2026-12-01T00:00:00.000Z') });
      await recordScan(handle.db, scan(DEV_URL, 'fail'));
      const notices = await currentSecurityNotices(handle.db, { scanTargets: [DEV_URL] });
      expect(notices.map((n) => [n.source, n.at])).toEqual([['security-check', '2026-12-01T00:00:00.000Z'], ['external-scan', '2026-12-01T00:00:05.000Z']]);
      expect(notices[0]!.meaning).toMatch(/no advisory data/);
      expect(notices[0]!.command).toBe('npm run mamori -- advisories import <file|dir|zip>');
      expect(notices[1]!.meaning).toMatch(/plain HTTP.*by design/);
      expect(notices[1]!.command).toMatch(/HTTPS/);
    });

    it('reports a check that could not run', async () => {
      await recordSecurityCheck(handle, { error: 'policy file unreadable' });
      expect(await currentSecurityNotices(handle.db)).toMatchObject([{ source: 'security-check', meaning: 'the security check could not run: policy file unreadable', command: 'npm run mamori -- check' }]);
    });
  });
}
