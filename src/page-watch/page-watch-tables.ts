// Table types of migration 0440_page_watch (kept beside the page watch, as the job tables are).
import type { Generated } from 'kysely';

export type BaselineStatus = 'trust-on-first-use' | 'approved';
export type RunOutcome = 'match' | 'differences' | 'baseline-recorded' | 'failed';

export interface PageWatchBaselineTable {
  id: Generated<number>;
  status: BaselineStatus;
  level: string;
  snapshots_json: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface PageWatchRunTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string;
  level: string;
  outcome: RunOutcome;
  baseline_id: number | null;
  differences_json: string;
  error: string | null;
}

// A type alias, not an interface: withTables<T> wants an index-signature-compatible record.
export type PageWatchTables = {
  page_watch_baselines: PageWatchBaselineTable;
  page_watch_runs: PageWatchRunTable;
};
