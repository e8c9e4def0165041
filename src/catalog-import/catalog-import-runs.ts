// A large product CSV import, checked in the request and written by the `catalog-import` job, so
// the merchant watches its progress (/admin/products/import/runs/:id) instead of a request that
// hangs. The write is still the one transaction of applyCatalogImport: all in or nothing.
import type { Generated, Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { Clock, ShopLogger } from '../shop-context.ts';
import { applyCatalogImport, type ImportError, type ImportPlan } from './catalog-import.ts';

/** Files with more rows than this are written in the background; smaller ones in the request, as before. */
export const BACKGROUND_IMPORT_ROWS = 1000;
/** A run of 50,000 rows takes well under this; the job's timeout. */
const RUN_TIMEOUT_MS = 15 * 60_000;
/** A run still "running" this long after its start had its process die: its transaction rolled back, so it runs again. */
const STALE_RUN_MS = 2 * RUN_TIMEOUT_MS;

export type ImportRunStatus = 'queued' | 'running' | 'done' | 'refused' | 'failed';

interface CatalogImportRunTable {
  id: Generated<number>;
  status: ImportRunStatus;
  rows: number;
  plan_json: string | null;
  written: number;
  variants_total: number;
  counts_json: string;
  errors_json: string | null;
  requested_by: number;
  requested_ip: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const runsDb = (db: Kysely<Database> | Kysely<any>) => (db as Kysely<Database>).withTables<{ catalog_import_runs: CatalogImportRunTable }>();

export interface ImportRunView {
  id: number;
  status: ImportRunStatus;
  rows: number;
  written: number;
  variantsTotal: number;
  counts: ImportPlan['counts'];
  errors: ImportError[];
  requestedBy: number;
}

/** Stores a checked plan for the job; audited as queued (the write itself is audited as catalog.imported). */
export async function queueCatalogImport(db: Kysely<Database>, plan: ImportPlan, by: { accountId: number; ip: string; now: Date }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await runsDb(trx).insertInto('catalog_import_runs').values({
      status: 'queued', rows: plan.rows, plan_json: JSON.stringify(plan), written: 0,
      variants_total: plan.products.reduce((n, p) => n + p.variants.length, 0),
      counts_json: JSON.stringify(plan.counts), requested_by: by.accountId, requested_ip: by.ip, created_at: by.now.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const id = Number(row.id);
    await appendAuditEntry(trx, { actor: `admin:${by.accountId}`, action: 'catalog.import_queued', target: `catalog_import:${id}`, ip: by.ip, after: { rows: plan.rows, sha256: plan.sha256, encoding: plan.encoding }, at: by.now });
    return id;
  });
}

export async function catalogImportRun(db: Kysely<Database>, id: number): Promise<ImportRunView | undefined> {
  const r = await runsDb(db).selectFrom('catalog_import_runs')
    .select(['id', 'status', 'rows', 'written', 'variants_total', 'counts_json', 'errors_json', 'requested_by']).where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const written = r.status === 'done' ? Number(r.variants_total) : Number(r.written);
  return {
    id: Number(r.id), status: r.status, rows: Number(r.rows), written, variantsTotal: Number(r.variants_total),
    counts: JSON.parse(r.counts_json) as ImportPlan['counts'], errors: r.errors_json ? JSON.parse(r.errors_json) as ImportError[] : [], requestedBy: Number(r.requested_by),
  };
}

export interface ImportRunDeps {
  db: Pick<DatabaseHandle, 'db' | 'kind'>;
  clock: Clock;
  log: ShopLogger;
  /** After a run wrote the catalog (the storefront's cache). */
  onCatalogChanged: () => void;
  /** Tests: after each chunk's progress was recorded. */
  onProgressRecorded?: (runId: number, written: number) => Promise<void>;
}

/** Claims the oldest waiting run (or one whose process died), atomically, so two instances never write the same file. */
interface ClaimedRun { id: number; plan_json: string | null; requested_by: number; requested_ip: string }
async function claimNextRun(deps: ImportRunDeps): Promise<ClaimedRun | null> {
  const r = runsDb(deps.db.db);
  const now = deps.clock();
  const staleBefore = new Date(now.getTime() - STALE_RUN_MS).toISOString();
  const waiting = r.selectFrom('catalog_import_runs').select('id')
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('started_at', '<', staleBefore)])]));
  const next = await waiting.orderBy('id').limit(1).executeTakeFirst();
  if (!next) return null;
  const claimed = await r.updateTable('catalog_import_runs').set({ status: 'running', started_at: now.toISOString(), written: 0 })
    .where('id', '=', next.id)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('started_at', '<', staleBefore)])]))
    .returning(['id', 'plan_json', 'requested_by', 'requested_ip']).executeTakeFirst();
  // Another instance took it between the read and the update: look again.
  return claimed ?? claimNextRun(deps);
}

/** Writes every waiting import, oldest first. Returns how many ran. */
export async function runQueuedCatalogImports(deps: ImportRunDeps, signal?: AbortSignal): Promise<number> {
  const r = runsDb(deps.db.db);
  let ran = 0;
  for (;;) {
    signal?.throwIfAborted();
    const run = await claimNextRun(deps);
    if (!run) return ran;
    ran += 1;
    const id = Number(run.id);
    const finish = (values: { status: ImportRunStatus; errors_json?: string }) =>
      r.updateTable('catalog_import_runs').set({ ...values, plan_json: null, finished_at: deps.clock().toISOString() }).where('id', '=', id).execute();
    try {
      const account = await adminDb(deps.db.db).selectFrom('admin_accounts').selectAll().where('id', '=', Number(run.requested_by)).executeTakeFirst();
      if (!account || !run.plan_json) {
        await finish({ status: 'failed' });
        deps.log.warn({ importRunId: id }, 'catalog import run without its account or plan');
        continue;
      }
      const plan = JSON.parse(run.plan_json) as ImportPlan;
      const applied = await applyCatalogImport(deps.db.db, plan, { account, ip: run.requested_ip, now: deps.clock() }, {
        // Recorded beside the run's transaction on another pooled connection. SQLite has one
        // connection, held by that transaction, and every request (this page's too) waits for it:
        // there the page shows the run as writing until it is done.
        onProgress: async (phase, done) => {
          if (phase !== 'writing' || deps.db.kind !== 'postgres') return;
          await r.updateTable('catalog_import_runs').set({ written: done }).where('id', '=', id).execute();
          await deps.onProgressRecorded?.(id, done);
        },
      });
      if (applied.ok) {
        await finish({ status: 'done' });
        deps.onCatalogChanged();
        deps.log.info({ importRunId: id, rows: plan.rows }, 'catalog import written');
      } else {
        await finish({ status: 'refused', errors_json: JSON.stringify(applied.errors) });
      }
    } catch (err) {
      await finish({ status: 'failed' });
      throw err;
    }
  }
}

export function catalogImportJob(deps: ImportRunDeps): JobDefinition {
  return {
    name: 'catalog-import',
    // The upload starts the job at once (runNow); the schedule only picks up a run whose start was
    // missed (the process restarted, or the job was still finishing the previous file).
    schedule: { everyMs: 30_000 },
    timeoutMs: RUN_TIMEOUT_MS,
    runAtStart: true,
    async run(signal) { await runQueuedCatalogImports(deps, signal); },
  };
}
