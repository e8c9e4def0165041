import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createJobScheduler, type JobScheduler } from '../jobs/job-scheduler.ts';
import { listJobRuns } from '../jobs/job-runs.ts';
import type { CheckResult } from './check.ts';
import { listSecurityChecks, recordSecurityCheck, securityCheckFindings, securityCheckJob, type SecurityCheckJobOptions } from './daily.ts';

/** What a fresh shop without advisory data gets. */
function noAdvisoriesResult(): CheckResult {
  const r = fakeResult('pass');
  return {
    ...r,
    status: 'fail',
    exitCode: 1,
    advisoryData: { ...r.advisoryData, asOf: null, count: 0 },
    summary: { ...r.summary, violations: 1 },
    violations: [{ kind: 'no-advisories', message: 'no advisory data: import some (mamori advisories import <file|dir|zip>) or run mamori advisories update; an empty database proves nothing' }],
  };
}

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
    debug: (obj: object, msg?: string) => lines.push({ level: 'debug', obj, msg }),
  };
};

describe.each(DATABASES)('security check history on $name', (database) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    databaseUrl = created.url;
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

  let scheduler: JobScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });
  let now: Date;
  const startScheduler = async (opts: Omit<SecurityCheckJobOptions, 'db' | 'clock'>) => {
    scheduler = createJobScheduler({
      db: handle, databaseUrl: databaseUrl, clock: () => now, timeZone: 'Asia/Tokyo', log: opts.log as ReturnType<typeof silentLog>, pollMs: 0,
      jobs: [securityCheckJob({ ...opts, db: handle, clock: () => now })],
    });
    await scheduler.start();
    return scheduler;
  };

  it('runs at start-up and then every day at 04:15 in Tokyo; a failure is a warning with its meaning and the command that resolves it', async () => {
    now = new Date('2026-12-01T00:00:00.000Z'); // 09:00 in Tokyo
    const log = silentLog();
    const results = [fakeResult('pass'), noAdvisoriesResult(), fakeResult('fail')];
    const seenEngines: Array<string | undefined> = [];
    const s = await startScheduler({ log, runner: async (opts) => { seenEngines.push(opts.database?.kind); return results.shift()!; } });
    await s.settled();
    expect(s.nextRunAt('security-check')?.toISOString()).toBe('2026-12-01T19:15:00.000Z');
    now = new Date('2026-12-01T19:15:00.000Z');
    expect(await s.runDue()).toEqual(['security-check']);
    now = new Date('2026-12-02T19:15:00.000Z');
    expect(await s.runDue()).toEqual(['security-check']);
    expect(seenEngines).toEqual([handle.kind, handle.kind, handle.kind]); // the engine version comes from the shop's own handle

    const rows = (await listSecurityChecks(handle, { limit: 3 })).reverse();
    expect(rows.map((r) => [r.trigger, r.status, r.startedAt])).toEqual([
      ['startup', 'pass', '2026-12-01T00:00:00.000Z'],
      ['daily', 'fail', '2026-12-01T19:15:00.000Z'],
      ['daily', 'fail', '2026-12-02T19:15:00.000Z'],
    ]);
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.msg).toMatch(/no advisory data yet/);
    expect(warnings[0]!.msg).toContain('npm run mamori -- advisories import <file|dir|zip>');
    expect(warnings[1]!.msg).toMatch(/violates the security policy/);
    expect(warnings[1]!.msg).toContain('npm run mamori -- check');
    expect(log.lines[0]).toMatchObject({ level: 'info', msg: 'security check passed' });
    expect((await listJobRuns(handle.db, 'security-check')).map((r) => [r.trigger, r.outcome])).toEqual([['schedule', 'ok'], ['schedule', 'ok'], ['startup', 'ok']]);
  });

  it('a check that throws is stored as an error, not lost, and the job run is recorded as failed', async () => {
    now = new Date('2026-12-01T00:00:00.000Z');
    const log = silentLog();
    const s = await startScheduler({ log, runAtStart: false, runner: async () => { throw new Error('boom'); } });
    expect(await s.runNow('security-check')).toBe('failed');
    const [row] = await listSecurityChecks(handle, { limit: 1 });
    expect(row).toMatchObject({ status: 'error', error: 'boom', trigger: 'manual' });
    expect(log.lines[0]).toMatchObject({ level: 'error', msg: 'security check could not run' });
    const [run] = await listJobRuns(handle.db, 'security-check');
    expect(run).toMatchObject({ trigger: 'manual', outcome: 'failed', error: 'security check could not run: boom' });
  });
});
