// What both schedulers share: slots, the one-run-at-a-time rule, timeouts and the run history.
// A subclass decides how a due slot becomes a run (in-process: directly; pg-boss: through a queue).
import type { Kysely } from 'kysely';
import type { Clock, ShopLogger } from '../shop-context.ts';
import { describeSchedule, nextSlotAfter, checkJobDefinitions, type JobDefinition, type JobRunInfo } from './job-definition.ts';
import { errorSummary, forgetOtherSchedules, recordNextRun, recordRunEnd, recordRunStart, type JobOutcome } from './job-runs.ts';
import { defaultInstanceName, realTimers, type JobScheduler, type JobSchedulerOptions, type TimeoutTimers } from './job-scheduler.ts';

export interface RunResult {
  outcome: JobOutcome;
  error: string | null;
}

export abstract class SchedulerCore implements JobScheduler {
  abstract readonly kind: JobScheduler['kind'];
  readonly jobs: readonly JobDefinition[];
  protected readonly db: Kysely<any>;
  protected readonly clock: Clock;
  protected readonly log: ShopLogger;
  protected readonly timeZone: string;
  protected readonly instance: string;
  private readonly timers: TimeoutTimers;
  private readonly pollMs: number;
  private readonly nextDue = new Map<string, Date>();
  /** Jobs running (or being claimed) in this process: the no-overlap rule. */
  private readonly running = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(opts: JobSchedulerOptions) {
    checkJobDefinitions(opts.jobs, opts.timeZone);
    this.jobs = opts.jobs;
    this.db = opts.db.db;
    this.clock = opts.clock;
    this.log = opts.log;
    this.timeZone = opts.timeZone;
    this.instance = opts.instance ?? defaultInstanceName();
    this.timers = opts.timers ?? realTimers;
    this.pollMs = opts.pollMs ?? 1000;
  }

  /** Backend set-up before the first slot (pg-boss: schema and queues). */
  protected abstract open(): Promise<void>;
  protected abstract close(): Promise<void>;
  /** Turns a due slot into a run, or not (another instance has it). Resolves once started or skipped. */
  protected abstract dispatch(job: JobDefinition, slot: Date): Promise<boolean>;

  async start(): Promise<void> {
    await this.open();
    const now = this.clock();
    for (const job of this.jobs) await this.planNext(job, now);
    await forgetOtherSchedules(this.db, this.jobs.map((j) => j.name));
    for (const job of this.jobs) {
      // Start-up runs are about this process (after a crash, after a deploy), so every instance runs its own.
      if (job.runAtStart) this.launch(job, { trigger: 'startup', scheduledFor: now });
    }
    if (this.pollMs > 0) {
      this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.log.error({ err }, 'job scheduler tick failed')), this.pollMs);
      this.timer.unref(); // background work never keeps the process alive
    }
  }

  async tick(): Promise<string[]> {
    if (this.stopped) return [];
    const now = this.clock();
    const due: Array<{ job: JobDefinition; slot: Date }> = [];
    for (const job of this.jobs) {
      const slot = this.nextDue.get(job.name);
      if (!slot || now < slot) continue;
      // Advanced before anything is awaited, so a concurrent tick cannot take the same slot.
      this.nextDue.set(job.name, nextSlotAfter(job.schedule, now, this.timeZone));
      due.push({ job, slot });
    }
    const started = await Promise.all(due.map(async ({ job, slot }) => {
      let ok = false;
      try {
        ok = this.running.has(job.name) ? this.skipOverlap(job, slot) : await this.dispatch(job, slot);
      } catch (err) {
        this.log.error({ err, job: job.name }, 'job could not be dispatched');
      }
      await recordNextRun(this.db, job.name, describeSchedule(job.schedule), this.nextDue.get(job.name) ?? null, now)
        .catch((err: unknown) => this.log.error({ err, job: job.name }, 'next job run could not be stored'));
      return ok ? job.name : null;
    }));
    return started.filter((n): n is string => n !== null);
  }

  async runDue(): Promise<string[]> {
    const started = await this.tick();
    await this.settled();
    return started;
  }

  async runNow(name: string): Promise<JobOutcome | 'already-running'> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no job named ${name}`);
    let result: RunResult | undefined;
    if (!this.launch(job, { trigger: 'manual', scheduledFor: this.clock() }, async (r) => { result = r; })) return 'already-running';
    await this.running.get(name);
    return result?.outcome ?? 'failed';
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  nextRunAt(name: string): Date | null {
    return this.nextDue.get(name) ?? null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.settled();
    await this.close();
  }

  private skipOverlap(job: JobDefinition, slot: Date): false {
    this.log.warn({ job: job.name, slot: slot.toISOString() }, 'job still running from its previous slot; this slot is skipped');
    return false;
  }

  private async planNext(job: JobDefinition, now: Date): Promise<void> {
    const next = nextSlotAfter(job.schedule, now, this.timeZone);
    this.nextDue.set(job.name, next);
    await recordNextRun(this.db, job.name, describeSchedule(job.schedule), next, now);
  }

  /** Marks a job as claimed in this process before an await, so nothing else starts it meanwhile. */
  protected reserve(job: JobDefinition): (() => void) | null {
    if (this.running.has(job.name) || this.stopped) return null;
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    this.running.set(job.name, held);
    return () => {
      this.running.delete(job.name);
      release();
    };
  }

  /**
   * Starts a run in the background unless the job is running here; `settle` sees the outcome
   * (pg-boss completes or fails its queue entry there). Returns whether it started.
   */
  protected launch(job: JobDefinition, info: JobRunInfo, settle?: (r: RunResult) => Promise<void>, reservation?: () => void): boolean {
    const release = reservation ?? this.reserve(job);
    if (!release) return false;
    const done = this.execute(job, info, settle)
      .catch((err: unknown) => this.log.error({ err, job: job.name }, 'job run crashed'))
      .finally(release);
    this.running.set(job.name, done);
    return true;
  }

  private async execute(job: JobDefinition, info: JobRunInfo, settle?: (r: RunResult) => Promise<void>): Promise<void> {
    let runId: number | null = null;
    try {
      runId = await recordRunStart(this.db, job.name, info, this.clock(), this.instance);
    } catch (err) {
      // Without a history row the job still runs: skipping it (expiry, reconciliation) would be worse.
      this.log.error({ err, job: job.name }, 'job run could not be recorded');
    }
    const controller = new AbortController();
    const handler = Promise.resolve().then(() => job.run(controller.signal, info));
    let cancelTimeout = () => {};
    const timedOut = new Promise<RunResult>((resolve) => {
      cancelTimeout = this.timers.setTimeout(() => {
        const error = `timed out after ${job.timeoutMs} ms`;
        controller.abort(new Error(error));
        resolve({ outcome: 'timeout', error });
      }, job.timeoutMs);
    });
    const result = await Promise.race([
      handler.then((): RunResult => ({ outcome: 'ok', error: null }), (err: unknown): RunResult => ({ outcome: 'failed', error: errorSummary(err) })),
      timedOut,
    ]);
    cancelTimeout();
    try {
      if (runId !== null) {
        await recordRunEnd(this.db, runId, job.name, result.outcome, this.clock(), result.error)
          .catch((err: unknown) => this.log.error({ err, job: job.name }, 'job run end could not be recorded'));
      }
      if (result.outcome === 'ok') this.log.debug({ job: job.name, trigger: info.trigger }, 'job finished');
      else this.log.error({ job: job.name, trigger: info.trigger, outcome: result.outcome, err: result.error }, `job ${job.name} ${result.outcome === 'timeout' ? 'timed out' : 'failed'}`);
    } finally {
      // Always hand the entry back to the queue: an entry left active would block the job everywhere.
      await settle?.(result).catch((err: unknown) => this.log.error({ err, job: job.name }, 'job result could not be reported to the queue'));
    }
    if (result.outcome === 'timeout') {
      // The run is recorded as timed out; the job stays "running" here until its handler returns,
      // so a handler that ignores its signal is never started a second time beside itself.
      await handler.catch(() => undefined);
    }
  }
}
