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

  constructor(opts: JobSchedulerOptions) {
    super(opts);
    this.boss = new PgBoss({
      connectionString: opts.databaseUrl,
      schema: PG_BOSS_SCHEMA,
      max: 3,
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
      await this.boss.createQueue(queueName(job), {
        policy: 'stately',
        // A failed run is recorded and the next slot runs; a retry would run a stale slot.
        retryLimit: 0,
        // An instance that dies mid-run leaves the entry active; expiring it frees the queue.
        expireInSeconds: Math.ceil(job.timeoutMs / 1000) + 60,
        // Kept a week: the entry's id is what refuses a second run of its slot.
        deleteAfterSeconds: 7 * 86_400,
      });
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
      return this.launch(job, { trigger: 'schedule', scheduledFor }, async (r) => {
        if (r.outcome === 'ok') await this.boss.complete(queue, entry.id);
        else await this.boss.fail(queue, entry.id, { outcome: r.outcome, error: r.error });
      }, release);
    } catch (err) {
      release();
      throw err;
    }
  }
}
