// What a background job is: a name, when it runs, how long it may take, and what it does.
// Definitions are plain values built by the composition root (src/jobs/shop-jobs.ts); the
// scheduler (job-scheduler.ts) decides when and where they run. See README.md to add one.
import { Cron } from 'croner';

/**
 * Either a fixed interval (slots aligned to the Unix epoch, so every instance of the shop agrees
 * on the slot a run belongs to) or a cron expression read in the shop's time zone.
 */
export type JobSchedule = { everyMs: number } | { cron: string };

export interface JobRunInfo {
  /** The slot the run is for (the start time for a start-up run). */
  scheduledFor: Date;
  trigger: 'startup' | 'schedule' | 'manual';
}

export interface JobDefinition {
  /** Stable and unique: it keys the run history and, on PostgreSQL, the pg-boss queue. */
  name: string;
  schedule: JobSchedule;
  /** After this long the run's signal is aborted and the run is recorded as timed out. */
  timeoutMs: number;
  /** Also run once when the scheduler starts (in each instance: it is about this process). */
  runAtStart?: boolean;
  /** Throwing (or rejecting) records the run as failed; the next slot runs as usual. */
  run(signal: AbortSignal, info: JobRunInfo): Promise<void>;
}

export function describeSchedule(schedule: JobSchedule): string {
  if ('cron' in schedule) return `cron ${schedule.cron}`;
  const ms = schedule.everyMs;
  if (ms % 3_600_000 === 0) return `every ${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `every ${ms / 60_000} min`;
  if (ms % 1000 === 0) return `every ${ms / 1000} s`;
  return `every ${ms} ms`;
}

/** The first slot strictly after `after`. */
export function nextSlotAfter(schedule: JobSchedule, after: Date, timeZone: string): Date {
  if ('cron' in schedule) {
    const next = new Cron(schedule.cron, { timezone: timeZone, paused: true }).nextRun(after);
    if (!next) throw new Error(`cron expression ${schedule.cron} has no future run`);
    return next;
  }
  const every = schedule.everyMs;
  return new Date((Math.floor(after.getTime() / every) + 1) * every);
}

/** Refuses a definition that could never run sensibly, at start-up rather than at the first slot. */
export function checkJobDefinitions(jobs: readonly JobDefinition[], timeZone: string): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(job.name)) throw new Error(`job name ${JSON.stringify(job.name)}: use lower-case letters, digits and dashes`);
    if (seen.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
    seen.add(job.name);
    if (!(job.timeoutMs > 0)) throw new Error(`job ${job.name}: timeoutMs must be positive`);
    if ('everyMs' in job.schedule && !(Number.isInteger(job.schedule.everyMs) && job.schedule.everyMs >= 1000)) {
      throw new Error(`job ${job.name}: everyMs must be a whole number of at least 1000`);
    }
    nextSlotAfter(job.schedule, new Date(), timeZone); // throws on a malformed cron expression
  }
}
