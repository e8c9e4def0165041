// One scheduler for every background job, behind one small interface. SQLite (one instance)
// runs jobs in this process; PostgreSQL runs them through pg-boss so that several shop instances
// on one database run each scheduled slot exactly once. See README.md for how to add a job.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../db/database.ts';
import type { Clock, ShopLogger } from '../shop-context.ts';
import type { JobDefinition } from './job-definition.ts';
import type { JobOutcome } from './job-runs.ts';
import { InProcessScheduler } from './in-process-scheduler.ts';
import { PgBossScheduler } from './pg-boss-scheduler.ts';

export interface JobScheduler {
  readonly kind: 'in-process' | 'pg-boss';
  readonly jobs: readonly JobDefinition[];
  /** Prepares the backend, starts the start-up runs (without waiting for them) and the poll timer. */
  start(): Promise<void>;
  /** Starts every job whose slot has come at clock(); resolves with their names once started. */
  tick(): Promise<string[]>;
  /** tick(), then waits until no run is in flight: what tests call after moving the clock. */
  runDue(): Promise<string[]>;
  /** Runs one job now (trigger "manual"), unless it is already running; resolves with its outcome. */
  runNow(name: string): Promise<JobOutcome | 'already-running'>;
  /** Resolves once no run is in flight. */
  settled(): Promise<void>;
  /** The planned next slot of a job (null before start()). */
  nextRunAt(name: string): Date | null;
  /** Stops the timer, waits for running jobs to finish, and releases the backend. */
  stop(): Promise<void>;
}

/** Timers for job timeouts; tests pass one they fire by hand. Returns a cancel function. */
export interface TimeoutTimers {
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realTimers: TimeoutTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface JobSchedulerOptions {
  db: Pick<DatabaseHandle, 'db' | 'kind'>;
  /** The database URL, for pg-boss's own pool (PostgreSQL only). */
  databaseUrl: string;
  jobs: readonly JobDefinition[];
  clock: Clock;
  /** Cron expressions are read in this zone (the shop's; config.timeZone). */
  timeZone: string;
  log: ShopLogger;
  /** How often the timer looks for due slots (ms, real time). 0: no timer, only tick()/runDue(). Default 1000. */
  pollMs?: number;
  timers?: TimeoutTimers;
  /** Names this process in job_runs. */
  instance?: string;
  /** Run on SQLite semantics even on PostgreSQL (tests of the in-process scheduler). */
  forceInProcess?: boolean;
  /**
   * PostgreSQL: how soon a run whose instance died is handed to another (pg-boss heartbeat, at
   * least 10 s, and its monitor pass). Defaults 30 s and 30 s; tests shorten them.
   */
  queueTimings?: { heartbeatSeconds: number; superviseSeconds: number };
}

export function defaultInstanceName(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export function createJobScheduler(opts: JobSchedulerOptions): JobScheduler {
  return opts.db.kind === 'postgres' && !opts.forceInProcess ? new PgBossScheduler(opts) : new InProcessScheduler(opts);
}
