// One scheduler instance in its own process for the exactly-once test (test/instances/
// scheduled-jobs.test.ts): the shop's own pg-boss scheduler on the shared database, running one
// test-only job on a short interval. Each run tells the parent `{ type: 'started', slot }` over IPC
// and ends when the parent answers `{ type: 'finish', slot }`, so the parent decides which run is
// in flight when it SIGKILLs an instance. Test-only.
import { openDatabase } from '../../src/db/database.ts';
import { createJobScheduler } from '../../src/jobs/job-scheduler.ts';
import { systemClock, type ShopLogger } from '../../src/shop-context.ts';

// Faults on stderr (the test shows them); routine lines dropped.
const name = process.env.MAMORI_TEST_INSTANCE!;
const say = (level: string) => (obj: unknown, msg?: string) => process.stderr.write(`[instance ${name}] ${level} ${msg ?? ''} ${obj instanceof Error ? obj.message : JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : v))}\n`);
const log: ShopLogger = { info() {}, debug() {}, warn: say('warn'), error: say('error') };
const everyMs = Number(process.env.MAMORI_TEST_JOB_EVERY_MS);
const db = openDatabase(process.env.DATABASE_URL!);
const waiting = new Map<string, () => void>();
process.on('message', (raw) => {
  const m = raw as { type: string; slot?: string };
  if (m.type === 'finish') { waiting.get(m.slot!)?.(); waiting.delete(m.slot!); }
  if (m.type === 'close') void scheduler.stop().then(() => db.close()).then(() => process.exit(0));
});

const scheduler = createJobScheduler({
  db, databaseUrl: process.env.DATABASE_URL!, clock: systemClock, timeZone: 'Asia/Tokyo', log,
  pollMs: 100, instance: name,
  queueTimings: { heartbeatSeconds: 10, superviseSeconds: 1 },
  jobs: [{
    name: 'instances-test-slot',
    schedule: { everyMs },
    timeoutMs: 120_000,
    run: (_signal, info) => new Promise<void>((resolve) => {
      const slot = info.scheduledFor.toISOString();
      waiting.set(slot, resolve);
      process.send!({ type: 'started', slot });
    }),
  }],
});
await scheduler.start();
process.send!({ type: 'ready' });
