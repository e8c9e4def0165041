// The security check while the shop runs: once at start-up, then every day (a job of the shop's
// scheduler, src/jobs/), each result stored with its findings (tables from migration
// 0100_security_checks) so the admin and the monthly report can show the history.
//
//   jobs: [securityCheckJob({ db, log, check: { advisoryDir } })]   // db: the DatabaseHandle
//
// A failing check does not stop the shop (the deploy gate, `mamori check`, is where a deploy is
// refused); it is logged at warn level with what it means and the command that resolves it, and
// stored with status "fail". A fresh development shop fails it by design: it has no advisory data.
import type { Kysely } from 'kysely';
import type { JobDefinition, JobSchedule } from '../jobs/job-definition.ts';
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

export interface SecurityCheckJobOptions {
  db: SecurityCheckDb;
  log: LogLike;
  /** Default: every day at 04:15 in the shop's time zone. */
  schedule?: JobSchedule;
  /** Run once when the shop starts (default true). */
  runAtStart?: boolean;
  /** Passed to runCheck (policy path, advisory dir, project root…). */
  check?: Omit<CheckOptions, 'database'>;
  /** Replaces runCheck (tests). */
  runner?: (opts: CheckOptions) => Promise<CheckResult>;
  clock?: () => Date;
}

export type SecurityCheckRun = { id: number; result: CheckResult } | { id: number; result: null; error: string };

const ADVISORY_IMPORT_COMMAND = 'npm run mamori -- advisories import <file|dir|zip>';

/** What a failed check means and what resolves it, one line each (logs and the start banner). */
export function securityCheckHints(result: Pick<CheckResult, 'violations'>): Array<{ meaning: string; command: string }> {
  const hints: Array<{ meaning: string; command: string }> = [];
  const kinds = new Set(result.violations.map((v) => v.kind));
  if (kinds.has('no-advisories')) {
    hints.push({ meaning: 'no advisory data yet, so the check cannot tell whether the installed packages are vulnerable (expected on a fresh shop)', command: ADVISORY_IMPORT_COMMAND });
  } else if (kinds.has('stale-advisories')) {
    hints.push({ meaning: 'the advisory data is too old to vouch for the installed packages', command: `${ADVISORY_IMPORT_COMMAND} (or npm run mamori -- advisories update)` });
  }
  if ([...kinds].some((k) => k !== 'no-advisories' && k !== 'stale-advisories')) {
    hints.push({ meaning: 'the running system violates the security policy (vulnerable or outdated components)', command: 'npm run mamori -- check' });
  }
  return hints;
}

/** Runs the check once and stores the result (or the error that prevented it); never throws. */
export async function runSecurityCheck(opts: SecurityCheckJobOptions, trigger: CheckTrigger): Promise<SecurityCheckRun> {
  const clock = opts.clock ?? (() => new Date());
  const runner = opts.runner ?? runCheck;
  const startedAt = clock();
  try {
    const result = await runner({ ...opts.check, database: engineOf(opts.db) });
    const id = await recordSecurityCheck(opts.db, result, { trigger, startedAt, finishedAt: clock() });
    const summary = { checkId: id, trigger, status: result.status, ...result.summary, advisoryDataAsOf: result.advisoryData.asOf };
    if (result.status === 'pass') opts.log.info(summary, 'security check passed');
    else {
      const hints = securityCheckHints(result);
      opts.log.warn(
        { ...summary, violations: result.violations.map((v) => `${v.kind}: ${v.message}`), hints: hints.map((h) => `${h.meaning}: ${h.command}`) },
        `security check failed: ${hints.map((h) => h.meaning).join('; ')} (to resolve: ${hints.map((h) => h.command).join('; ')})`,
      );
    }
    return { id, result };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    opts.log.error({ err: message, trigger }, 'security check could not run');
    try {
      const id = await recordSecurityCheck(opts.db, { error: message }, { trigger, startedAt, finishedAt: clock() });
      return { id, result: null, error: message };
    } catch (dbErr) {
      opts.log.error({ err: dbErr instanceof Error ? dbErr.message : String(dbErr) }, 'security check result could not be stored');
      return { id: -1, result: null, error: message };
    }
  }
}

/** The check as a job of the shop's scheduler: a check that cannot run makes the job run fail. */
export function securityCheckJob(opts: SecurityCheckJobOptions): JobDefinition {
  return {
    name: 'security-check',
    schedule: opts.schedule ?? { cron: '15 4 * * *' },
    timeoutMs: 10 * 60_000,
    runAtStart: opts.runAtStart !== false,
    async run(_signal, info) {
      const run = await runSecurityCheck(opts, info.trigger === 'startup' ? 'startup' : info.trigger === 'manual' ? 'manual' : 'daily');
      if (run.result === null) throw new Error(`security check could not run: ${run.error}`);
    },
  };
}
