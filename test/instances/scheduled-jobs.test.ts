// Scheduled jobs across instances (issue 15): three real processes run the shop's pg-boss
// scheduler on one PostgreSQL database with a test job every 1.5 s. Every slot runs exactly once
// among them; the instance running a slot is then SIGKILLed mid-run, and another instance takes
// that slot over (pg-boss notices the lost heartbeat) and completes it. Nothing sleeps: the test
// waits for the instances' IPC messages and reads job_runs.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Kysely } from 'kysely';
import type { JobTables } from '../../src/jobs/job-tables.ts';

const postgres = DATABASES.find((d) => d.name === 'postgres');
const EVERY_MS = 1500;

interface Instance { name: string; child: ChildProcess }
interface Started { slot: string; instance: Instance }

describe.skipIf(!postgres)('scheduled jobs over three instances on postgres', () => {
  let db: DatabaseHandle | undefined;
  let drop: () => Promise<void> = async () => {};
  const instances: Instance[] = [];
  const started: Started[] = [];
  // Until a test step waits for a start, every run is finished at once (a run left in flight
  // would hold the job on every instance: the queue lets one run at a time).
  let onStarted: (s: Started) => void = (s) => finish(s);

  beforeAll(async () => {
    const created = await postgres!.create();
    drop = created.drop;
    db = openDatabase(created.url);
    await migrateToLatest(db.db);
    await Promise.all(['one', 'two', 'three'].map(async (name) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/job-instance-process.ts')], {
        env: { ...process.env, DATABASE_URL: created.url, MAMORI_TEST_INSTANCE: name, MAMORI_TEST_JOB_EVERY_MS: String(EVERY_MS) },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const instance = { name, child };
      instances.push(instance);
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}`)));
        child.on('message', (raw) => {
          const m = raw as { type: string; slot?: string };
          if (m.type === 'ready') { child.removeAllListeners('exit'); resolve(); }
          if (m.type === 'started') {
            const s = { slot: m.slot!, instance };
            started.push(s);
            onStarted(s);
          }
        });
      });
    }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => new Promise<void>((resolve) => {
      if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
      i.child.once('exit', () => resolve());
      i.child.send({ type: 'close' });
    })));
    await db?.close();
    await drop();
  }, 60_000);

  /** Waits (bounded) for the next run start that `accept` takes; runs it may pass on are finished at once. */
  function nextStart(accept: (s: Started) => boolean, timeoutMs: number, finishOthers = true): Promise<Started> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { onStarted = finishAll; reject(new Error(`no matching run started within ${timeoutMs} ms`)); }, timeoutMs);
      onStarted = (s) => {
        if (accept(s)) { clearTimeout(timer); onStarted = finishAll; resolve(s); } else if (finishOthers) finish(s);
      };
    });
  }
  const finish = (s: Started) => { if (s.instance.child.connected) s.instance.child.send({ type: 'finish', slot: s.slot }); };
  const finishAll = (s: Started) => finish(s);

  const runs = async () => ((db!.db as unknown as Kysely<JobTables>).selectFrom('job_runs').select(['scheduled_for', 'instance', 'outcome', 'trigger'])
    .where('job_name', '=', 'instances-test-slot').orderBy('id').execute());

  it('runs every slot once among them; a run whose instance is SIGKILLed is completed by another', async () => {
    // Several slots run normally (each finished as soon as it starts).
    const firstSlots: string[] = [];
    for (let n = 0; n < 4; n++) {
      const s = await nextStart(() => true, 20_000);
      firstSlots.push(s.slot);
      finish(s);
    }
    // The next run is left in flight, and its instance killed.
    const victim = await nextStart(() => true, 20_000);
    const exited = new Promise((r) => victim.instance.child.once('exit', r));
    victim.instance.child.kill('SIGKILL');
    await exited;
    // Another instance takes the same slot over once the heartbeat is missed (10 s + a monitor pass).
    const retried = await nextStart((s) => s.slot === victim.slot, 60_000);
    expect(retried.instance.name).not.toBe(victim.instance.name);
    finish(retried);
    // And the schedule goes on, on the two that are left.
    const after: string[] = [];
    for (let n = 0; n < 3; n++) {
      const s = await nextStart((x) => x.slot !== victim.slot, 30_000);
      after.push(s.slot);
      finish(s);
    }
    // The last finish is recorded by its instance: wait (bounded) until job_runs shows it.
    const deadline = Date.now() + 10_000;
    while ((await runs()).filter((r) => after.includes(r.scheduled_for) && r.outcome === 'ok').length < after.length) {
      if (Date.now() > deadline) throw new Error('the last runs were not recorded');
    }

    const history = (await runs()).filter((r) => r.trigger === 'schedule');
    const bySlot = new Map<string, typeof history>();
    for (const r of history) bySlot.set(r.scheduled_for, [...(bySlot.get(r.scheduled_for) ?? []), r]);
    // Exactly once: no slot has two finished runs, and every IPC start was one job_runs row.
    for (const [slot, list] of bySlot) {
      if (slot === victim.slot) continue;
      expect(list.map((r) => r.outcome), slot).toEqual(['ok']);
    }
    expect(started.filter((s) => s.slot !== victim.slot).length).toBe(new Set(started.filter((s) => s.slot !== victim.slot).map((s) => s.slot)).size);
    // The slots before the kill came one after the other: none was skipped.
    const first = new Date(firstSlots[0]!).getTime();
    expect(firstSlots.map((s) => (new Date(s).getTime() - first) / EVERY_MS)).toEqual([0, 1, 2, 3]);
    // The killed run: started on the victim, never ended there, completed once by another.
    expect(bySlot.get(victim.slot)!.map((r) => [r.instance, r.outcome])).toEqual([[victim.instance.name, 'running'], [retried.instance.name, 'ok']]);
    // Every instance took part before the kill (the slots are spread, not pinned to one).
    process.stdout.write(`slots per instance: ${JSON.stringify(Object.fromEntries(['one', 'two', 'three'].map((n) => [n, history.filter((r) => r.instance === n).length])))}\n`);
  }, 180_000);
});
