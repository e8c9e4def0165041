// Table types of migration 0400_job_runs (kept beside the jobs, as the admin tables are).
import type { Generated } from 'kysely';

export interface JobRunTable {
  id: Generated<number>;
  job_name: string;
  trigger: 'startup' | 'schedule' | 'manual';
  scheduled_for: string;
  started_at: string;
  finished_at: string | null;
  outcome: 'running' | 'ok' | 'failed' | 'timeout';
  error: string | null;
  instance: string;
}

export interface JobScheduleTable {
  job_name: string;
  schedule: string;
  next_run_at: string | null;
  updated_at: string;
}

export interface JobTables {
  job_runs: JobRunTable;
  job_schedules: JobScheduleTable;
}
