// What each watcher found the last time it ran. Watchers record here; readers (admin status page,
// incident resumption checklist, monthly report) never need to know how a watcher works.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const WATCHERS = ['integrity', 'pan-scan', 'malware-scan', 'page-watch', 'csp-reports'] as const;
export type Watcher = (typeof WATCHERS)[number];

/** clean: nothing found; findings: something to look at; error: the watcher could not check. */
export type WatchOutcome = 'clean' | 'findings' | 'error';

export interface WatchResultTable {
  id: Generated<number>;
  watcher: Watcher;
  outcome: WatchOutcome;
  ran_at: string;
  /** One line for people, in English (views translate by watcher + outcome). */
  summary: string;
  /** JSON the watcher defines (counts, level, paths). Never card data: findings are masked. */
  details: string;
}

export type WatchResultTables = { watch_results: WatchResultTable };
export type WatchResult = Omit<Selectable<WatchResultTable>, 'details'> & { details: unknown };

/** Rows kept per watcher: integrity runs every 5 minutes, so this is about 10 days of it. */
const KEPT_PER_WATCHER = 3000;

function watchDb(db: Kysely<any>): Kysely<Database & WatchResultTables> {
  return (db as Kysely<Database>).withTables<WatchResultTables>();
}

export async function recordWatchResult(
  db: Kysely<any>,
  result: { watcher: Watcher; outcome: WatchOutcome; summary: string; details?: unknown; at: Date },
): Promise<number> {
  const wdb = watchDb(db);
  const row = await wdb.insertInto('watch_results').values({
    watcher: result.watcher, outcome: result.outcome, ran_at: result.at.toISOString(),
    summary: result.summary.slice(0, 1000), details: JSON.stringify(result.details ?? {}),
  }).returning('id').executeTakeFirstOrThrow();
  const cutoff = await wdb.selectFrom('watch_results').select('id').where('watcher', '=', result.watcher)
    .orderBy('id', 'desc').offset(KEPT_PER_WATCHER).limit(1).executeTakeFirst();
  if (cutoff) await wdb.deleteFrom('watch_results').where('watcher', '=', result.watcher).where('id', '<=', cutoff.id).execute();
  return row.id;
}

export async function latestWatchResult(db: Kysely<any>, watcher: Watcher): Promise<WatchResult | undefined> {
  const row = await watchDb(db).selectFrom('watch_results').selectAll().where('watcher', '=', watcher)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { ...row, details: JSON.parse(row.details) as unknown } : undefined;
}

/** The newest result of every watcher that has run. */
export async function latestWatchResults(db: Kysely<any>): Promise<Partial<Record<Watcher, WatchResult>>> {
  const out: Partial<Record<Watcher, WatchResult>> = {};
  for (const watcher of WATCHERS) {
    const r = await latestWatchResult(db, watcher);
    if (r) out[watcher] = r;
  }
  return out;
}

/** Results of one watcher in a period (monthly report, incident timeline), oldest first. */
export async function watchResultsBetween(db: Kysely<any>, watcher: Watcher, from: Date, to: Date): Promise<WatchResult[]> {
  const rows = await watchDb(db).selectFrom('watch_results').selectAll().where('watcher', '=', watcher)
    .where('ran_at', '>=', from.toISOString()).where('ran_at', '<', to.toISOString()).orderBy('id').execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as unknown }));
}
