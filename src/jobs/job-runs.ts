// The run history (job_runs) and the planned next run (job_schedules), on either database.
import type { Kysely } from 'kysely';
import type { JobRunInfo } from './job-definition.ts';
import type { JobTables } from './job-tables.ts';

export type JobOutcome = 'ok' | 'failed' | 'timeout';

/** Runs kept per job; older rows are deleted as new runs finish. */
export const RUNS_KEPT_PER_JOB = 200;
const ERROR_MAX_CHARS = 500;

const jobsDb = (db: Kysely<any>) => db as Kysely<JobTables>;

/** The message of an error, first line only and shortened: a stack never leaves the process. */
export function errorSummary(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = message.split('\n', 1)[0] ?? '';
  return firstLine.length > ERROR_MAX_CHARS ? `${firstLine.slice(0, ERROR_MAX_CHARS - 1)}…` : firstLine;
}

export async function recordRunStart(db: Kysely<any>, jobName: string, info: JobRunInfo, startedAt: Date, instance: string): Promise<number> {
  const row = await jobsDb(db)
    .insertInto('job_runs')
    .values({ job_name: jobName, trigger: info.trigger, scheduled_for: info.scheduledFor.toISOString(), started_at: startedAt.toISOString(), outcome: 'running', instance })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function recordRunEnd(db: Kysely<any>, runId: number, jobName: string, outcome: JobOutcome, finishedAt: Date, error: string | null): Promise<void> {
  await jobsDb(db).updateTable('job_runs').set({ outcome, finished_at: finishedAt.toISOString(), error }).where('id', '=', runId).execute();
  const oldestKept = await jobsDb(db)
    .selectFrom('job_runs').select('id').where('job_name', '=', jobName)
    .orderBy('id', 'desc').offset(RUNS_KEPT_PER_JOB - 1).limit(1)
    .executeTakeFirst();
  if (oldestKept) await jobsDb(db).deleteFrom('job_runs').where('job_name', '=', jobName).where('id', '<', Number(oldestKept.id)).execute();
}

export async function recordNextRun(db: Kysely<any>, jobName: string, schedule: string, nextRunAt: Date | null, now: Date): Promise<void> {
  const values = { schedule, next_run_at: nextRunAt?.toISOString() ?? null, updated_at: now.toISOString() };
  await jobsDb(db)
    .insertInto('job_schedules')
    .values({ job_name: jobName, ...values })
    .onConflict((oc) => oc.column('job_name').doUpdateSet(values))
    .execute();
}

/** A job no longer defined (or switched off) has no next run; its history stays. */
export async function forgetOtherSchedules(db: Kysely<any>, jobNames: string[]): Promise<void> {
  let q = jobsDb(db).deleteFrom('job_schedules');
  if (jobNames.length > 0) q = q.where('job_name', 'not in', jobNames);
  await q.execute();
}

export interface JobRun {
  id: number;
  jobName: string;
  trigger: JobRunInfo['trigger'];
  scheduledFor: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: JobOutcome | 'running';
  error: string | null;
  instance: string;
}

export async function listJobRuns(db: Kysely<any>, jobName: string, opts: { limit?: number } = {}): Promise<JobRun[]> {
  const rows = await jobsDb(db).selectFrom('job_runs').selectAll().where('job_name', '=', jobName).orderBy('id', 'desc').limit(opts.limit ?? 50).execute();
  return rows.map((r) => ({
    id: Number(r.id), jobName: r.job_name, trigger: r.trigger, scheduledFor: r.scheduled_for, startedAt: r.started_at,
    finishedAt: r.finished_at, outcome: r.outcome, error: r.error, instance: r.instance,
  }));
}

export interface JobStatus {
  name: string;
  schedule: string;
  nextRunAt: string | null;
  lastRun: { startedAt: string; finishedAt: string | null; outcome: JobOutcome | 'running'; error: string | null } | null;
  /** The newest failed or timed-out run, which may be older than the last run. */
  lastError: { at: string; outcome: 'failed' | 'timeout'; error: string | null } | null;
}

/** Every known job (any that has a schedule row or a run), by name, with its last run and next run. */
export async function listJobStatus(db: Kysely<any>): Promise<JobStatus[]> {
  const k = jobsDb(db);
  const schedules = await k.selectFrom('job_schedules').selectAll().execute();
  const lastIds = await k.selectFrom('job_runs').select(['job_name', (eb) => eb.fn.max('id').as('id')]).groupBy('job_name').execute();
  const lastErrorIds = await k.selectFrom('job_runs').select(['job_name', (eb) => eb.fn.max('id').as('id')])
    .where('outcome', 'in', ['failed', 'timeout']).groupBy('job_name').execute();
  const ids = [...lastIds, ...lastErrorIds].map((r) => Number(r.id));
  const runs = ids.length === 0 ? [] : await k.selectFrom('job_runs').selectAll().where('id', 'in', ids).execute();
  const runById = new Map(runs.map((r) => [Number(r.id), r]));
  const names = new Set([...schedules.map((s) => s.job_name), ...lastIds.map((r) => r.job_name)]);
  return [...names].sort().map((name) => {
    const schedule = schedules.find((s) => s.job_name === name);
    const last = runById.get(Number(lastIds.find((r) => r.job_name === name)?.id));
    const failed = runById.get(Number(lastErrorIds.find((r) => r.job_name === name)?.id));
    return {
      name,
      schedule: schedule?.schedule ?? '',
      nextRunAt: schedule?.next_run_at ?? null,
      lastRun: last ? { startedAt: last.started_at, finishedAt: last.finished_at, outcome: last.outcome, error: last.error } : null,
      lastError: failed ? { at: failed.started_at, outcome: failed.outcome as 'failed' | 'timeout', error: failed.error } : null,
    };
  });
}
