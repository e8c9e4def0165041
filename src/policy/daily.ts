// The security check while the shop runs: once at start-up, then every day, each result
// stored with its findings (tables from migration 0100_security_checks) so later features can
// show the history in the admin and the monthly report.
//
//   import { startDailySecurityCheck } from './policy/daily.ts';
//   const securityCheck = startDailySecurityCheck({ db, log: logger });   // db: the DatabaseHandle
//   …on shutdown: await securityCheck.stop();
//
// A failing check does not stop the shop (the deploy gate, `mamori check`, is where a deploy is
// refused); it is logged at error level with its violations and stored with status "fail".
import type { Kysely } from 'kysely';
import type { EngineVersionSource } from '../inventory/database.ts';
import { runCheck, type CheckOptions, type CheckResult } from './check.ts';

/** Either the shop's DatabaseHandle (src/db/database.ts) or a bare Kysely instance. */
export type SecurityCheckDb = Kysely<any> | ({ db: Kysely<any> } & Partial<EngineVersionSource>);

export type CheckTrigger = 'startup' | 'daily' | 'cli' | 'manual';

interface LogLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

function kyselyOf(db: SecurityCheckDb): Kysely<any> {
  return 'db' in db && db.db && typeof (db as { db: Kysely<any> }).db.selectFrom === 'function' ? (db as { db: Kysely<any> }).db : (db as Kysely<any>);
}

function engineOf(db: SecurityCheckDb): EngineVersionSource | undefined {
  const h = db as Partial<EngineVersionSource>;
  return typeof h.engineVersion === 'function' && (h.kind === 'sqlite' || h.kind === 'postgres') ? (h as EngineVersionSource) : undefined;
}

export interface StoredSecurityCheck {
  id: number;
  trigger: CheckTrigger;
  startedAt: string;
  finishedAt: string;
  status: 'pass' | 'fail' | 'error';
  exitCode: number;
  components: number;
  findings: number;
  violations: number;
  highestSeverity: string | null;
  advisoryDataAsOf: string | null;
  nodeVersion: string | null;
  nodeEol: boolean;
  error: string | null;
}

/** Stores one check result (or the error that prevented it) with its findings. Returns the new row id. */
export async function recordSecurityCheck(
  db: SecurityCheckDb,
  result: CheckResult | { error: string; checkedAt?: string },
  meta: { trigger?: CheckTrigger; startedAt?: Date; finishedAt?: Date } = {},
): Promise<number> {
  const k = kyselyOf(db);
  const finishedAt = (meta.finishedAt ?? new Date()).toISOString();
  const startedAt = (meta.startedAt ?? new Date(finishedAt)).toISOString();
  return k.transaction().execute(async (trx) => {
    if ('error' in result) {
      const row = await trx
        .insertInto('security_checks')
        .values({ trigger: meta.trigger ?? 'manual', started_at: startedAt, finished_at: finishedAt, status: 'error', exit_code: 2, error: result.error, report_json: JSON.stringify(result) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }
    const row = await trx
      .insertInto('security_checks')
      .values({
        trigger: meta.trigger ?? 'manual',
        started_at: startedAt,
        finished_at: finishedAt,
        status: result.status,
        exit_code: result.exitCode,
        components: result.summary.components,
        findings: result.summary.findings,
        violations: result.summary.violations,
        highest_severity: result.summary.highestSeverity,
        advisory_data_as_of: result.advisoryData.asOf,
        node_version: result.node?.version ?? null,
        node_eol: result.node?.eol ? 1 : 0,
        report_json: JSON.stringify(result),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const rows = result.findings.map((f) => ({
      check_id: id,
      advisory_id: f.advisory.id,
      aliases: JSON.stringify(f.advisory.aliases),
      component_name: f.component.name,
      component_version: f.component.version,
      component_purl: f.component.purl,
      severity: f.severity,
      score: f.score ?? null,
      fixed: JSON.stringify(f.fixed),
      status: f.status,
      hint: f.hint,
    }));
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('security_check_findings').values(rows.slice(i, i + 200)).execute();
    return id;
  });
}

/** The latest checks, newest first. */
export async function listSecurityChecks(db: SecurityCheckDb, opts: { limit?: number } = {}): Promise<StoredSecurityCheck[]> {
  const rows = await kyselyOf(db)
    .selectFrom('security_checks')
    .select(['id', 'trigger', 'started_at', 'finished_at', 'status', 'exit_code', 'components', 'findings', 'violations', 'highest_severity', 'advisory_data_as_of', 'node_version', 'node_eol', 'error'])
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 30)
    .execute();
  return rows.map((r: any) => ({
    id: Number(r.id),
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    exitCode: Number(r.exit_code),
    components: Number(r.components),
    findings: Number(r.findings),
    violations: Number(r.violations),
    highestSeverity: r.highest_severity ?? null,
    advisoryDataAsOf: r.advisory_data_as_of ?? null,
    nodeVersion: r.node_version ?? null,
    nodeEol: Boolean(Number(r.node_eol)),
    error: r.error ?? null,
  }));
}

/** The findings stored for one check. */
export async function securityCheckFindings(db: SecurityCheckDb, checkId: number): Promise<Array<{ advisoryId: string; aliases: string[]; component: { name: string; version: string; purl: string }; severity: string; score: number | null; fixed: string[]; status: string; hint: string }>> {
  const rows = await kyselyOf(db).selectFrom('security_check_findings').selectAll().where('check_id', '=', checkId).orderBy('id').execute();
  return rows.map((r: any) => ({
    advisoryId: r.advisory_id,
    aliases: JSON.parse(r.aliases),
    component: { name: r.component_name, version: r.component_version, purl: r.component_purl },
    severity: r.severity,
    score: r.score === null ? null : Number(r.score),
    fixed: JSON.parse(r.fixed),
    status: r.status,
    hint: r.hint,
  }));
}

export interface DailySecurityCheckOptions {
  db: SecurityCheckDb;
  log: LogLike;
  /** Default 24 hours. */
  intervalMs?: number;
  /** Run once right away (default true). */
  runAtStart?: boolean;
  /** Passed to runCheck (policy path, advisory dir, project root…). */
  check?: Omit<CheckOptions, 'database'>;
  /** Replaces runCheck (tests). */
  runner?: (opts: CheckOptions) => Promise<CheckResult>;
  onResult?: (r: { id: number; result: CheckResult | null; error?: string }) => void;
}

export interface DailySecurityCheck {
  /** Runs a check now (also used by the timer); resolves with the stored row id. */
  runNow(trigger?: CheckTrigger): Promise<number>;
  /** Stops the timer and waits for a running check to finish. */
  stop(): Promise<void>;
}

export function startDailySecurityCheck(opts: DailySecurityCheckOptions): DailySecurityCheck {
  const interval = opts.intervalMs ?? 24 * 60 * 60 * 1000;
  const runner = opts.runner ?? runCheck;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let inFlight: Promise<number> | null = null;

  const runOnce = async (trigger: CheckTrigger): Promise<number> => {
    const startedAt = new Date();
    try {
      const result = await runner({ ...opts.check, database: engineOf(opts.db) });
      const id = await recordSecurityCheck(opts.db, result, { trigger, startedAt });
      const summary = { checkId: id, trigger, status: result.status, ...result.summary, advisoryDataAsOf: result.advisoryData.asOf };
      if (result.status === 'pass') opts.log.info(summary, 'security check passed');
      else opts.log.error({ ...summary, violations: result.violations.map((v) => `${v.kind}: ${v.message}`) }, 'security check FAILED: the running system violates the security policy');
      opts.onResult?.({ id, result });
      return id;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      opts.log.error({ err: message, trigger }, 'security check could not run');
      try {
        const id = await recordSecurityCheck(opts.db, { error: message }, { trigger, startedAt });
        opts.onResult?.({ id, result: null, error: message });
        return id;
      } catch (dbErr) {
        opts.log.error({ err: dbErr instanceof Error ? dbErr.message : String(dbErr) }, 'security check result could not be stored');
        return -1;
      }
    }
  };

  const runNow = (trigger: CheckTrigger = 'manual'): Promise<number> => {
    if (inFlight) return inFlight; // one at a time
    inFlight = runOnce(trigger).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow('daily').finally(schedule);
    }, interval);
    timer.unref();
  };

  if (opts.runAtStart !== false) void runNow('startup');
  schedule();

  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight.catch(() => undefined);
    },
  };
}
