import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { CheckResult } from './check.ts';
import { listSecurityChecks, recordSecurityCheck, securityCheckFindings, startDailySecurityCheck } from './daily.ts';

function fakeResult(status: 'pass' | 'fail', at = '2026-11-25T12:00:00.000Z'): CheckResult {
  const finding = {
    component: { name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5', ecosystem: 'npm' },
    advisory: { id: 'GHSA-xvch-5gv4-984h', aliases: ['CVE-2021-44906'], summary: 'Prototype Pollution in minimist', references: [] },
    severity: 'critical' as const,
    score: 9.8,
    fixed: ['1.2.6'],
    hint: 'npm install minimist@^1.2.6',
    status: 'violation' as const,
  };
  return {
    status,
    exitCode: status === 'pass' ? 0 : 1,
    checkedAt: at,
    target: { host: 'test', source: 'this system' },
    policyFile: null,
    advisoryData: { asOf: '2026-11-25T00:00:00.000Z', ageHours: 12, maxAgeHours: 48, count: 5, sources: [] },
    node: { version: '24.21.0', line: 'v24', phase: 'maintenance-lts', eol: false, scheduleSource: 'x', openssl: '3.5.8', platform: 'linux', arch: 'x64', execPath: 'node' },
    summary: { components: 10, findings: status === 'pass' ? 0 : 1, violations: status === 'pass' ? 0 : 1, tolerated: 0, excepted: 0, suppressed: 0, highestSeverity: status === 'pass' ? null : 'critical' },
    violations: status === 'pass' ? [] : [{ kind: 'finding', message: 'minimist 1.2.5: GHSA-xvch-5gv4-984h' }],
    findings: status === 'pass' ? [] : [finding],
    warnings: [],
  };
}

const silentLog = () => {
  const lines: Array<{ level: string; msg?: string; obj: object }> = [];
  return {
    lines,
    info: (obj: object, msg?: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => lines.push({ level: 'error', obj, msg }),
  };
};

describe.each(DATABASES)('security check history on $name', (database) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    handle = openDatabase(created.url);
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('stores results with their findings, newest first', async () => {
    const a = await recordSecurityCheck(handle, fakeResult('pass'), { trigger: 'startup' });
    const b = await recordSecurityCheck(handle.db, fakeResult('fail'), { trigger: 'daily' });
    const c = await recordSecurityCheck(handle, { error: 'policy file unreadable' }, { trigger: 'daily' });
    expect(b).toBeGreaterThan(a);
    const list = await listSecurityChecks(handle, { limit: 10 });
    expect(list.map((x) => [x.id, x.trigger, x.status])).toEqual([
      [c, 'daily', 'error'],
      [b, 'daily', 'fail'],
      [a, 'startup', 'pass'],
    ]);
    expect(list[1]).toMatchObject({ findings: 1, violations: 1, highestSeverity: 'critical', nodeVersion: '24.21.0', nodeEol: false, advisoryDataAsOf: '2026-11-25T00:00:00.000Z' });
    expect(list[0]!.error).toBe('policy file unreadable');
    const findings = await securityCheckFindings(handle, b);
    expect(findings).toEqual([
      { advisoryId: 'GHSA-xvch-5gv4-984h', aliases: ['CVE-2021-44906'], component: { name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' }, severity: 'critical', score: 9.8, fixed: ['1.2.6'], status: 'violation', hint: 'npm install minimist@^1.2.6' },
    ]);
  });

  it('runs at start-up and then on its interval, logging a failure loudly; stop() ends it', async () => {
    const log = silentLog();
    let calls = 0;
    const seen: number[] = [];
    const job = startDailySecurityCheck({
      db: handle,
      log,
      intervalMs: 50,
      runner: async (opts) => {
        calls++;
        expect(opts.database?.kind).toBe(handle.kind); // the engine version comes from the shop's own handle
        return fakeResult(calls === 1 ? 'pass' : 'fail');
      },
      onResult: (r) => seen.push(r.id),
    });
    const until = Date.now() + 5000;
    while (seen.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await job.stop();
    const n = seen.length;
    expect(n).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.length).toBe(n); // stopped
    const rows = await listSecurityChecks(handle, { limit: 100 });
    const mine = rows.filter((r) => seen.includes(r.id));
    expect(mine.map((r) => r.trigger).sort()).toEqual(['startup', ...Array(n - 1).fill('daily')].sort());
    expect(log.lines.some((l) => l.level === 'info' && l.msg === 'security check passed')).toBe(true);
    expect(log.lines.some((l) => l.level === 'error' && /FAILED/.test(l.msg ?? ''))).toBe(true);
  });

  it('a check that throws is stored as an error, not lost', async () => {
    const log = silentLog();
    const job = startDailySecurityCheck({ db: handle, log, runAtStart: false, runner: async () => { throw new Error('boom'); } });
    const id = await job.runNow('manual');
    await job.stop();
    const [row] = await listSecurityChecks(handle, { limit: 1 });
    expect(row).toMatchObject({ id, status: 'error', error: 'boom', trigger: 'manual' });
    expect(log.lines[0]).toMatchObject({ level: 'error', msg: 'security check could not run' });
  });
});
