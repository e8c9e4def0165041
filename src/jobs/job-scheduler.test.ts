// The scheduler on every database: slots, no overlap, failures, timeouts, history and, on
// PostgreSQL, exactly one run per slot among several instances. Time is a variable the test moves;
// work happens when the test calls tick()/runDue().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { silentLogger } from '../shop-context.ts';
import type { JobDefinition } from './job-definition.ts';
import { createJobScheduler, type JobScheduler, type JobSchedulerOptions, type TimeoutTimers } from './job-scheduler.ts';
import { listJobRuns, listJobStatus, RUNS_KEPT_PER_JOB } from './job-runs.ts';

const MIN = 60_000;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** Timeouts the test fires by hand. */
function manualTimers() {
  const pending = new Set<{ fn: () => void; ms: number }>();
  const timers: TimeoutTimers = {
    setTimeout(fn, ms) {
      const t = { fn, ms };
      pending.add(t);
      return () => { pending.delete(t); };
    },
  };
  return {
    timers,
    pending: () => [...pending].map((t) => t.ms),
    fireAll() { for (const t of [...pending]) { pending.delete(t); t.fn(); } },
  };
}

for (const database of DATABASES) {
  describe(`job scheduler on ${database.name}`, () => {
    let url: string;
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    let now: Date;
    const schedulers: JobScheduler[] = [];
    const handles: DatabaseHandle[] = [];

    beforeEach(async () => {
      const created = await database.create();
      url = created.url;
      drop = created.drop;
      handle = openDatabase(url);
      await migrateToLatest(handle.db);
      now = new Date('2026-12-01T00:00:30.000Z');
    });
    afterEach(async () => {
      for (const s of schedulers.splice(0)) await s.stop();
      for (const h of handles.splice(0)) await h.close();
      await handle.close();
      await drop();
    });

    async function started(jobs: JobDefinition[], opts: Partial<JobSchedulerOptions> = {}): Promise<JobScheduler> {
      const s = createJobScheduler({ db: handle, databaseUrl: url, jobs, clock: () => now, timeZone: 'Asia/Tokyo', log: silentLogger, pollMs: 0, ...opts });
      schedulers.push(s);
      await s.start();
      return s;
    }

    it(`runs through ${database.name === 'postgres' ? 'pg-boss' : 'the in-process scheduler'}`, async () => {
      const s = await started([]);
      expect(s.kind).toBe(database.name === 'postgres' ? 'pg-boss' : 'in-process');
    });

    it('runs an interval job once per slot, records each run, and plans the next', async () => {
      const slots: string[] = [];
      const s = await started([{ name: 'tick', schedule: { everyMs: MIN }, timeoutMs: 5000, run: async (_signal, info) => { slots.push(info.scheduledFor.toISOString()); } }]);
      expect(s.nextRunAt('tick')?.toISOString()).toBe('2026-12-01T00:01:00.000Z');
      expect(await s.runDue()).toEqual([]); // not due yet
      now = new Date('2026-12-01T00:01:00.000Z');
      expect(await s.runDue()).toEqual(['tick']);
      expect(await s.runDue()).toEqual([]); // same slot: once
      now = new Date('2026-12-01T00:03:10.000Z'); // two slots passed while away: one catch-up run
      expect(await s.runDue()).toEqual(['tick']);
      expect(slots).toEqual(['2026-12-01T00:01:00.000Z', '2026-12-01T00:02:00.000Z']);
      const runs = await listJobRuns(handle.db, 'tick');
      expect(runs.map((r) => [r.trigger, r.outcome, r.scheduledFor])).toEqual([
        ['schedule', 'ok', '2026-12-01T00:02:00.000Z'],
        ['schedule', 'ok', '2026-12-01T00:01:00.000Z'],
      ]);
      expect(runs[0]).toMatchObject({ startedAt: '2026-12-01T00:03:10.000Z', finishedAt: '2026-12-01T00:03:10.000Z', error: null });
      const [status] = await listJobStatus(handle.db);
      expect(status).toEqual({
        name: 'tick', schedule: 'every 1 min', nextRunAt: '2026-12-01T00:04:00.000Z',
        lastRun: { startedAt: '2026-12-01T00:03:10.000Z', finishedAt: '2026-12-01T00:03:10.000Z', outcome: 'ok', error: null },
        lastError: null,
      });
    });

    it('runs a start-up job at start, then on its schedule', async () => {
      const triggers: string[] = [];
      const s = await started([{ name: 'boot', schedule: { everyMs: 5 * MIN }, timeoutMs: 5000, runAtStart: true, run: async (_s, info) => { triggers.push(info.trigger); } }]);
      await s.settled();
      expect(triggers).toEqual(['startup']);
      now = new Date('2026-12-01T00:05:00.000Z');
      await s.runDue();
      expect(triggers).toEqual(['startup', 'schedule']);
    });

    it('never starts a job again while it runs: a slow run makes the next slot skip', async () => {
      let calls = 0;
      let gate = deferred();
      const s = await started([{ name: 'slow', schedule: { everyMs: MIN }, timeoutMs: 60 * MIN, run: async () => { calls++; await gate.promise; } }]);
      try {
        now = new Date('2026-12-01T00:01:00.000Z');
        expect(await s.tick()).toEqual(['slow']);
        now = new Date('2026-12-01T00:02:00.000Z');
        expect(await s.tick()).toEqual([]);
        expect(await s.runNow('slow')).toBe('already-running');
        expect(calls).toBe(1);
        const [running] = await listJobStatus(handle.db);
        expect(running!.lastRun).toMatchObject({ outcome: 'running', finishedAt: null });
      } finally {
        gate.resolve();
      }
      await s.settled();
      gate = deferred();
      gate.resolve();
      now = new Date('2026-12-01T00:03:00.000Z');
      expect(await s.runDue()).toEqual(['slow']);
      expect(calls).toBe(2);
      expect((await listJobRuns(handle.db, 'slow')).map((r) => r.outcome)).toEqual(['ok', 'ok']);
    });

    it('records a failure with its message only, and runs the job again at the next slot', async () => {
      let calls = 0;
      const s = await started([{
        name: 'flaky', schedule: { everyMs: MIN }, timeoutMs: 5000,
        run: async () => { calls++; if (calls === 1) throw new Error('gateway unreachable\n    at secret (/srv/app.ts:1:1)'); },
      }]);
      now = new Date('2026-12-01T00:01:00.000Z');
      expect(await s.runDue()).toEqual(['flaky']);
      now = new Date('2026-12-01T00:02:00.000Z');
      expect(await s.runDue()).toEqual(['flaky']);
      expect(calls).toBe(2);
      const runs = await listJobRuns(handle.db, 'flaky');
      expect(runs.map((r) => [r.outcome, r.error])).toEqual([['ok', null], ['failed', 'gateway unreachable']]);
      const [status] = await listJobStatus(handle.db);
      expect(status).toMatchObject({ lastRun: { outcome: 'ok' }, lastError: { outcome: 'failed', error: 'gateway unreachable', at: '2026-12-01T00:01:00.000Z' } });
      expect(JSON.stringify(status)).not.toMatch(/secret|app\.ts/);
    });

    it('aborts a run at its timeout and records it as timed out', async () => {
      const t = manualTimers();
      let aborted: unknown;
      const s = await started([{
        name: 'hang', schedule: { everyMs: MIN }, timeoutMs: 30_000,
        run: (signal) => new Promise<void>((_resolve, reject) => { signal.addEventListener('abort', () => { aborted = signal.reason; reject(signal.reason); }); }),
      }], { timers: t.timers });
      now = new Date('2026-12-01T00:01:00.000Z');
      expect(await s.tick()).toEqual(['hang']);
      await expect.poll(() => t.pending()).toEqual([30_000]); // the run has started and armed its timeout
      expect(aborted).toBeUndefined();
      t.fireAll();
      await s.settled();
      expect(aborted).toBeInstanceOf(Error);
      expect((await listJobRuns(handle.db, 'hang')).map((r) => [r.outcome, r.error])).toEqual([['timeout', 'timed out after 30000 ms']]);
      expect(t.pending()).toEqual([]);
    });

    it('plans a cron job in the shop time zone (Asia/Tokyo) and runs it when its time comes', async () => {
      now = new Date('2026-12-01T20:00:00.000Z'); // 05:00 on 2 December in Tokyo: today's 04:15 has passed
      let runs = 0;
      const s = await started([{ name: 'nightly', schedule: { cron: '15 4 * * *' }, timeoutMs: 5000, run: async () => { runs++; } }]);
      expect(s.nextRunAt('nightly')?.toISOString()).toBe('2026-12-02T19:15:00.000Z'); // 04:15 JST on 3 December
      expect((await listJobStatus(handle.db))[0]).toMatchObject({ schedule: 'cron 15 4 * * *', nextRunAt: '2026-12-02T19:15:00.000Z' });
      now = new Date('2026-12-02T19:14:59.999Z');
      expect(await s.runDue()).toEqual([]);
      now = new Date('2026-12-02T19:15:00.000Z');
      expect(await s.runDue()).toEqual(['nightly']);
      expect(runs).toBe(1);
      expect(s.nextRunAt('nightly')?.toISOString()).toBe('2026-12-03T19:15:00.000Z');
    });

    it(`keeps the run history bounded (${RUNS_KEPT_PER_JOB} per job)`, async () => {
      const s = await started([
        { name: 'busy', schedule: { everyMs: MIN }, timeoutMs: 5000, run: async () => {} },
        { name: 'quiet', schedule: { everyMs: MIN }, timeoutMs: 5000, run: async () => {} },
      ]);
      await s.runNow('quiet');
      for (let i = 0; i < RUNS_KEPT_PER_JOB + 5; i++) expect(await s.runNow('busy')).toBe('ok');
      const busy = await listJobRuns(handle.db, 'busy', { limit: 1000 });
      expect(busy).toHaveLength(RUNS_KEPT_PER_JOB);
      expect(await listJobRuns(handle.db, 'quiet')).toHaveLength(1);
    });

    it('the poll timer runs a due job without an explicit tick', async () => {
      const ran = deferred();
      const s = await started([{ name: 'polled', schedule: { everyMs: MIN }, timeoutMs: 5000, run: async () => { ran.resolve(); } }], { pollMs: 5 });
      now = new Date('2026-12-01T00:01:00.000Z');
      await ran.promise; // resolved by the timer's tick, not by the test
      await s.settled();
      expect((await listJobRuns(handle.db, 'polled')).map((r) => [r.trigger, r.outcome])).toEqual([['schedule', 'ok']]);
    });

    it('forgets the planned next run of a job that is no longer defined, keeping its history', async () => {
      const job = (name: string): JobDefinition => ({ name, schedule: { everyMs: MIN }, timeoutMs: 5000, run: async () => {} });
      const before = await started([job('kept'), job('dropped')]);
      await before.runNow('dropped');
      await before.stop();
      schedulers.splice(0);
      await started([job('kept')]);
      const status = await listJobStatus(handle.db);
      expect(status.map((j) => [j.name, j.nextRunAt !== null])).toEqual([['dropped', false], ['kept', true]]);
      expect(status.find((j) => j.name === 'dropped')?.lastRun?.outcome).toBe('ok');
    });

    it('refuses a malformed definition at start-up', () => {
      expect(() => createJobScheduler({ db: handle, databaseUrl: url, jobs: [{ name: 'bad', schedule: { cron: 'every day' }, timeoutMs: 1, run: async () => {} }], clock: () => now, timeZone: 'Asia/Tokyo', log: silentLogger })).toThrow();
      const job = { name: 'twice', schedule: { everyMs: MIN }, timeoutMs: 1, run: async () => {} };
      expect(() => createJobScheduler({ db: handle, databaseUrl: url, jobs: [job, job], clock: () => now, timeZone: 'Asia/Tokyo', log: silentLogger })).toThrow(/twice/);
    });

    if (database.name === 'postgres') {
      it('two instances on one database run a due slot exactly once, and neither runs it again later', async () => {
        const ranBy: string[] = [];
        const jobFor = (instance: string): JobDefinition => ({ name: 'shared', schedule: { everyMs: MIN }, timeoutMs: 5000, run: async () => { ranBy.push(instance); } });
        const second = openDatabase(url);
        handles.push(second);
        const a = await started([jobFor('a')], { instance: 'a' });
        const b = await started([jobFor('b')], { instance: 'b', db: second });
        now = new Date('2026-12-01T00:01:00.000Z');
        const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
        expect(ranBy).toHaveLength(1);
        expect([...ranA, ...ranB]).toEqual(['shared']);
        now = new Date('2026-12-01T00:01:30.000Z');
        expect(await a.runDue()).toEqual([]);
        expect(await b.runDue()).toEqual([]);
        // A late instance that only now sees the 00:01 slot finds it done.
        const c = await started([jobFor('c')], { instance: 'c', db: second });
        now = new Date('2026-12-01T00:02:00.000Z');
        await a.runDue();
        await b.runDue();
        await c.runDue();
        expect(ranBy).toHaveLength(2);
        const runs = await listJobRuns(handle.db, 'shared');
        expect(runs.map((r) => r.scheduledFor)).toEqual(['2026-12-01T00:02:00.000Z', '2026-12-01T00:01:00.000Z']);
      });

      it('a job running in one instance is not started in another', async () => {
        const gate = deferred();
        const ranBy: string[] = [];
        const jobFor = (instance: string): JobDefinition => ({ name: 'long', schedule: { everyMs: MIN }, timeoutMs: 60 * MIN, run: async () => { ranBy.push(instance); await gate.promise; } });
        const second = openDatabase(url);
        handles.push(second);
        const a = await started([jobFor('a')], { instance: 'a' });
        const b = await started([jobFor('b')], { instance: 'b', db: second });
        try {
          now = new Date('2026-12-01T00:01:00.000Z');
          expect(await a.tick()).toEqual(['long']);
          now = new Date('2026-12-01T00:02:00.000Z');
          expect(await b.tick()).toEqual([]); // the 00:02 slot waits behind the active run
          expect(ranBy).toEqual(['a']);
        } finally {
          gate.resolve();
        }
        await a.settled();
        now = new Date('2026-12-01T00:03:00.000Z');
        await b.runDue();
        expect(ranBy).toEqual(['a', 'b']);
      });
    }
  });
}
