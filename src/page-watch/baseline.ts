// The baseline: the snapshots of the way to payment that the merchant trusts (PCI DSS 6.4.3 asks
// that every payment-page script be authorised; approving the baseline is that authorisation).
// The first walk is kept as 'trust-on-first-use' so checks can start at once; a person approves it
// (or a later walk) to make it 'approved'. Rows are never updated: the newest row is the baseline.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { compareToBaseline, type Difference } from './compare.ts';
import { sha256Hex, type PageSnapshot } from './page-snapshot.ts';
import type { BaselineStatus, PageWatchTables, RunOutcome } from './page-watch-tables.ts';
import type { WalkLevel } from './walk-to-payment.ts';

export interface Baseline {
  id: number;
  status: BaselineStatus;
  level: string;
  snapshots: PageSnapshot[];
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

/** How many runs are kept; older ones are deleted as new ones are recorded. */
export const RUN_HISTORY_LIMIT = 1000;

const tables = (db: Kysely<any>) => db as Kysely<PageWatchTables>;

type BaselineRow = { id: number; status: BaselineStatus; level: string; snapshots_json: string; created_at: string; approved_by: string | null; approved_at: string | null };

function toBaseline(row: BaselineRow): Baseline {
  return {
    id: row.id,
    status: row.status,
    level: row.level,
    snapshots: JSON.parse(row.snapshots_json) as PageSnapshot[],
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
  };
}

export async function currentBaseline(db: Kysely<any>): Promise<Baseline | undefined> {
  const row = await tables(db).selectFrom('page_watch_baselines').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toBaseline(row) : undefined;
}

/**
 * Keeps a first walk as the baseline when there is none yet. Returns the baseline in force
 * afterwards, and whether this call recorded it (false: another one was already there).
 */
export async function recordTrustOnFirstUse(db: Kysely<any>, snapshots: PageSnapshot[], level: WalkLevel, now: Date): Promise<{ baseline: Baseline; recorded: boolean }> {
  return tables(db).transaction().execute(async (trx) => {
    const existing = await currentBaseline(trx);
    if (existing) return { baseline: existing, recorded: false };
    const row = { status: 'trust-on-first-use' as const, level, snapshots_json: JSON.stringify(snapshots), created_at: now.toISOString(), approved_by: null, approved_at: null };
    const { id } = await trx.insertInto('page_watch_baselines').values(row).returning('id').executeTakeFirstOrThrow();
    await appendAuditEntry(trx, { actor: 'system', action: 'page_watch.baseline_recorded', target: `page_watch_baseline:${id}`, after: { baselineId: id, status: row.status, pages: snapshots.map((s) => s.page), snapshotsSha256: sha256Hex(row.snapshots_json) }, at: now });
    return { baseline: toBaseline({ id, ...row }), recorded: true };
  });
}

// Length and form are the audit log's to check (inside the transaction, so a refused actor stores nothing).
const Actor = z.string().trim().min(1);

/**
 * Makes `snapshots` the approved baseline. One transaction: the new row and an audit entry naming
 * who approved, when, and what differs from the baseline it replaces.
 */
export async function approveBaseline(db: Kysely<any>, snapshots: PageSnapshot[], actor: string, opts: { now?: Date; level?: WalkLevel } = {}): Promise<Baseline> {
  const by = Actor.parse(actor);
  const now = opts.now ?? new Date();
  return tables(db).transaction().execute(async (trx) => {
    const previous = await currentBaseline(trx);
    const row = { status: 'approved' as const, level: opts.level ?? 'http', snapshots_json: JSON.stringify(snapshots), created_at: now.toISOString(), approved_by: by, approved_at: now.toISOString() };
    const { id } = await trx.insertInto('page_watch_baselines').values(row).returning('id').executeTakeFirstOrThrow();
    const differences = previous ? compareToBaseline(previous.snapshots, snapshots) : [];
    await appendAuditEntry(trx, {
      actor: by,
      action: 'page_watch.baseline_approved',
      target: `page_watch_baseline:${id}`,
      ...(previous ? { before: { baselineId: previous.id, status: previous.status, approvedBy: previous.approvedBy, approvedAt: previous.approvedAt, snapshotsSha256: sha256Hex(JSON.stringify(previous.snapshots)) } } : {}),
      after: { baselineId: id, status: 'approved', pages: snapshots.map((s) => s.page), snapshotsSha256: sha256Hex(row.snapshots_json), differencesFromPrevious: differences },
      at: now,
    });
    return toBaseline({ id, ...row });
  });
}

export interface RunRecord {
  startedAt: Date;
  finishedAt: Date;
  level: WalkLevel;
  outcome: RunOutcome;
  baselineId: number | null;
  differences: Difference[];
  error?: string;
}

/** Stores one check and trims the history to the newest `keep` runs. */
export async function recordRun(db: Kysely<any>, run: RunRecord, keep = RUN_HISTORY_LIMIT): Promise<number> {
  return tables(db).transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('page_watch_runs')
      .values({
        started_at: run.startedAt.toISOString(),
        finished_at: run.finishedAt.toISOString(),
        level: run.level,
        outcome: run.outcome,
        baseline_id: run.baselineId,
        differences_json: JSON.stringify(run.differences),
        error: run.error ? run.error.slice(0, 500) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('page_watch_runs').where('id', '<=', id - keep).execute();
    return id;
  });
}

export interface RunRow {
  id: number;
  startedAt: string;
  outcome: RunOutcome;
  baselineId: number | null;
  differences: Difference[];
  error: string | null;
}

/** The newest runs first. */
export async function recentRuns(db: Kysely<any>, limit = 50): Promise<RunRow[]> {
  const rows = await tables(db).selectFrom('page_watch_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, startedAt: r.started_at, outcome: r.outcome, baselineId: r.baseline_id, differences: JSON.parse(r.differences_json) as Difference[], error: r.error }));
}
