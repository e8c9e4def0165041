// PostgreSQL: several shop instances may share the database, so a slot must run exactly once
// among them. Every instance that sees a slot come due sends it to the job's pg-boss queue under
// an id derived from (job, slot): the second send of the same slot is a no-op (pg-boss inserts
// ON CONFLICT DO NOTHING), and fetch() hands the entry to exactly one instance (SKIP LOCKED).
//
// Why not pg-boss's own schedule(): its timekeeper fires from pg-boss's clock on a 30-second pass,
// while the shop's jobs are planned on the shop's clock (injected in tests, so a test moves time
// and calls runDue()). Deriving the slot from the job's schedule gives both cron and interval jobs
// the same exactly-once rule: an interval is a grid aligned to the epoch, so every instance names
// the same slots, just as cron occurrences are the same everywhere.
//
// Queues use the "stately" policy: at most one entry waiting and one active per job, so a job
// never runs in two instances at once, and slots that come due while it runs collapse into one.
//
// An instance that dies mid-run (SIGKILL, a lost machine) stops the entry's heartbeat: pg-boss's
// monitor, in any live instance, puts it back for retry and the next instance that dispatches the
// job takes it and runs that slot. A run that ends (ok, failed, timed out) is completed: its
// outcome is in job_runs, and retrying a failed slot would only run a stale one; so retries happen
// only for runs that never ended.
import { createHash } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { JobDefinition } from './job-definition.ts';
import type { JobSchedulerOptions } from './job-scheduler.ts';
import { SchedulerCore } from './scheduler-core.ts';

/** pg-boss keeps its tables in a schema of its own in the shop's database. */
export const PG_BOSS_SCHEMA = 'pgboss';

/** The same UUID in every instance for the same job and slot. */
export function slotJobId(jobName: string, slot: Date): string {
  const h = createHash('sha256').update(`mamori-job\0${jobName}\0${slot.toISOString()}`).digest('hex').slice(0, 32).split('');
  h[12] = '8'; // UUID version 8 (custom), RFC 9562
  h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const queueName = (job: JobDefinition) => `mamori-${job.name}`;

export class PgBossScheduler extends SchedulerCore {
  readonly kind = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly heartbeatSeconds: number;

  constructor(opts: JobSchedulerOptions) {
    super(opts);
    const timings = opts.queueTimings ?? { heartbeatSeconds: 30, superviseSeconds: 30 };
    this.heartbeatSeconds = Math.max(10, timings.heartbeatSeconds);
    this.boss = new PgBoss({
      connectionString: opts.databaseUrl,
      schema: PG_BOSS_SCHEMA,
      max: 3,
      superviseIntervalSeconds: timings.superviseSeconds,
      monitorIntervalSeconds: timings.superviseSeconds,
      // Slots are planned by this scheduler (see above), so pg-boss's cron pass stays off; its
      // supervisor still expires entries of a crashed instance and deletes old ones.
      schedule: false,
      registerInstance: false,
    });
    // An unheard 'error' event would crash the process; pg-boss reports and carries on.
    this.boss.on('error', (err) => this.log.error({ err }, 'pg-boss error'));
  }

  protected async open(): Promise<void> {
    await this.boss.start();
    for (const job of this.jobs) {
      const options = {
        // Retries only follow a lost heartbeat or an expiry (the instance died): see above.
        retryLimit: 3,
        retryDelay: 0,
        heartbeatSeconds: this.heartbeatSeconds,
        // The last resort should heartbeats be off: an entry left active still frees the queue.
        expireInSeconds: Math.ceil(job.timeoutMs / 1000) + 60,
        // Kept a week: the entry's id is what refuses a second run of its slot.
        deleteAfterSeconds: 7 * 86_400,
      };
      await this.boss.createQueue(queueName(job), { policy: 'stately', ...options });
      // Queues made by an earlier version keep their options otherwise (createQueue leaves them).
      await this.boss.updateQueue(queueName(job), options);
    }
  }

  protected async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true });
  }

  protected async dispatch(job: JobDefinition, slot: Date): Promise<boolean> {
    const release = this.reserve(job);
    if (!release) return false;
    try {
      const queue = queueName(job);
      await this.boss.send(queue, { slot: slot.toISOString() }, { id: slotJobId(job.name, slot) });
      const [entry] = await this.boss.fetch<{ slot: string }>(queue, { batchSize: 1 });
      if (!entry) {
        release();
        return false; // another instance has (or had) this slot
      }
      const scheduledFor = new Date(entry.data.slot);
      // Alive: while this run lasts, its entry's heartbeat says so (a dead instance stops it).
      const heartbeat = setInterval(() => {
        this.boss.touch(queue, entry).catch((err: unknown) => this.log.warn({ err, job: job.name }, 'job heartbeat failed'));
      }, (this.heartbeatSeconds * 1000) / 3);
      heartbeat.unref();
      const started = this.launch(job, { trigger: 'schedule', scheduledFor }, async (r) => {
        clearInterval(heartbeat);
        // Completed whatever the outcome (see above); fenced to this attempt, so a run that was
        // given up on and retried elsewhere cannot complete the retry's entry.
        await this.boss.complete(queue, entry, r.outcome === 'ok' ? null : { outcome: r.outcome, error: r.error });
      }, release);
      if (!started) clearInterval(heartbeat);
      return started;
    } catch (err) {
      release();
      throw err;
    }
  }
}
