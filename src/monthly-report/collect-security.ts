// Figures of the report's security-check sections: what runs (inventory snapshots), known
// vulnerabilities (stored deploy-gate checks), external scans (scan history), audit chain.
import type { Kysely } from 'kysely';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Policy } from '../policy/schema.ts';
import { QUARTER_DAYS } from '../scanner/scan-history.ts';
import { END_OF_LIFE_WARNING_DAYS, endOfLifeOf } from './end-of-life.ts';
import { inventoryChanges, loadInventorySnapshot, snapshotOf, storeInventorySnapshot } from './inventory-snapshots.ts';
import { addMonths, localDateOf, monthBounds, type MonthBounds } from './report-month.ts';
import type { SectionData } from './report-schema.ts';

const DAY_MS = 86_400_000;
export type Collected<T> = { ok: true; data: T } | { ok: false; reason: string };

/** A month's snapshot is taken live only while the report is about a month just ended (or running). */
export const LIVE_SNAPSHOT_GRACE_DAYS = 15;

export async function collectWhatRuns(
  db: Kysely<any>, bounds: MonthBounds, timeZone: string, now: Date, collect: (() => Promise<Inventory>) | undefined,
): Promise<Collected<SectionData<'what-runs'>>> {
  let snapshot = await loadInventorySnapshot(db, bounds.month);
  const live = now >= bounds.start && now.getTime() < bounds.end.getTime() + LIVE_SNAPSHOT_GRACE_DAYS * DAY_MS;
  if (!snapshot && collect && live) snapshot = await storeInventorySnapshot(db, bounds.month, snapshotOf(await collect(), now));
  if (!snapshot) {
    return { ok: false, reason: collect && !live ? 'no inventory snapshot was stored for this month (snapshots are taken when the month\'s report is built)' : 'no inventory snapshot for this month and no inventory collector' };
  }
  const previous = await loadInventorySnapshot(db, addMonths(bounds.month, -1));
  const changes = previous ? inventoryChanges(previous, snapshot) : { added: [], removed: [], upgraded: [] };
  const of = (kind: string) => snapshot.components.filter((c) => c.kind === kind);
  const db0 = of('database')[0];
  const systemOpenssl = snapshot.components.find((c) => c.kind === 'system' && c.name === 'openssl')?.version ?? null;
  const warnAt = bounds.end.getTime() + END_OF_LIFE_WARNING_DAYS * DAY_MS;
  const warnings: SectionData<'what-runs'>['endOfLifeWarnings'] = [];
  const consider = (componentName: string, version: string, eol: string | null | undefined, knownEnded = false) => {
    if (!eol && !knownEnded) return;
    const at = eol ? Date.parse(`${eol}T00:00:00Z`) : 0;
    const ended = knownEnded || at <= bounds.end.getTime();
    if (ended || at <= warnAt) warnings.push({ component: componentName, version, endOfLife: eol ?? null, ended });
  };
  if (snapshot.node) {
    consider('node', snapshot.node.version, snapshot.node.endOfLife, snapshot.node.eol);
    consider('openssl (node)', snapshot.node.openssl, endOfLifeOf('openssl', snapshot.node.openssl));
  }
  if (systemOpenssl) consider('openssl (system)', systemOpenssl, endOfLifeOf('openssl', systemOpenssl));
  if (db0?.name === 'postgresql') consider('postgresql', db0.version, endOfLifeOf('postgresql', db0.version));
  return {
    ok: true,
    data: {
      snapshotTakenAt: snapshot.takenAt,
      node: snapshot.node,
      systemOpenssl,
      database: db0 ? { name: db0.name, version: db0.version } : null,
      counts: { total: snapshot.components.length, npm: of('npm').length, os: of('os').length, runtimeLibraries: of('runtime-library').length },
      previousSnapshot: previous !== undefined,
      ...changes,
      endOfLifeWarnings: warnings,
    },
  };
}

type Sev = 'critical' | 'high' | 'medium' | 'low';
const SEVERITIES: Sev[] = ['critical', 'high', 'medium', 'low'];
export const AGE_BUCKETS = [
  { bucket: '0-7', max: 7 }, { bucket: '8-30', max: 30 }, { bucket: '31-90', max: 90 }, { bucket: '91-180', max: 180 }, { bucket: '>180', max: Infinity },
] as const;

function reportSeverity(s: string, unknownAs: string): Sev {
  const level = s === 'unknown' ? unknownAs : s;
  return (SEVERITIES as string[]).includes(level) ? (level as Sev) : 'low';
}

export async function collectVulnerabilities(db: Kysely<any>, bounds: MonthBounds, policy: Policy): Promise<Collected<SectionData<'vulnerabilities'>>> {
  const end = bounds.end.toISOString();
  const start = bounds.start.toISOString();
  const checks = await db.selectFrom('security_checks').select(['id', 'started_at']).where('status', '!=', 'error').where('started_at', '<', end)
    .orderBy('started_at').orderBy('id').execute() as { id: number; started_at: string }[];
  if (checks.length === 0) return { ok: false, reason: 'no security check (mamori check / the daily check job) ran before the month\'s end' };
  const order = new Map(checks.map((c, i) => [Number(c.id), i]));
  const rows = await db.selectFrom('security_check_findings').innerJoin('security_checks', 'security_checks.id', 'security_check_findings.check_id')
    .select(['check_id', 'advisory_id', 'component_name', 'component_version', 'component_purl', 'severity'])
    .where('security_checks.status', '!=', 'error').where('security_checks.started_at', '<', end)
    // Suppressed findings are ones the distribution fixed by backport: not vulnerabilities to remediate.
    .where('security_check_findings.status', '!=', 'suppressed').execute() as { check_id: number; advisory_id: string; component_name: string; component_version: string; component_purl: string; severity: string }[];
  const keys = new Map<string, { first: number; last: number; row: (typeof rows)[number] }>();
  for (const r of rows) {
    const i = order.get(Number(r.check_id))!;
    const k = `${r.advisory_id}\u0000${r.component_purl}`;
    const seen = keys.get(k);
    if (!seen) keys.set(k, { first: i, last: i, row: r });
    else { seen.first = Math.min(seen.first, i); seen.last = Math.max(seen.last, i); }
  }
  const latest = checks.length - 1;
  const targets = policy.remediationDays;
  const items: SectionData<'vulnerabilities'>['items'] = [];
  for (const { first, last, row } of keys.values()) {
    const severity = reportSeverity(row.severity, policy.unknownSeverityAs);
    const firstSeenAt = checks[first]!.started_at;
    const isNew = firstSeenAt >= start;
    const targetDays = targets[severity];
    if (last === latest) {
      const ageDays = Math.floor((bounds.end.getTime() - Date.parse(firstSeenAt)) / DAY_MS);
      items.push({ advisoryId: row.advisory_id, component: row.component_name, version: row.component_version, severity, state: 'open', firstSeenAt, fixedAt: null, ageDays, targetDays, overdue: ageDays > targetDays, isNew });
    } else {
      const fixedAt = checks[last + 1]!.started_at;
      if (fixedAt < start) continue;
      const ageDays = Math.floor((Date.parse(fixedAt) - Date.parse(firstSeenAt)) / DAY_MS);
      items.push({ advisoryId: row.advisory_id, component: row.component_name, version: row.component_version, severity, state: 'fixed', firstSeenAt, fixedAt, ageDays, targetDays, overdue: false, isNew });
    }
  }
  items.sort((a, b) => (a.state === b.state ? 0 : a.state === 'open' ? -1 : 1) || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.ageDays - a.ageDays || a.advisoryId.localeCompare(b.advisoryId));
  const open = items.filter((i) => i.state === 'open');
  const ageBuckets: SectionData<'vulnerabilities'>['ageBuckets'] = [];
  for (const b of AGE_BUCKETS) {
    const lower = AGE_BUCKETS[AGE_BUCKETS.indexOf(b) - 1]?.max ?? -1;
    for (const severity of SEVERITIES) {
      ageBuckets.push({ bucket: b.bucket, severity, count: open.filter((i) => i.severity === severity && i.ageDays > lower && i.ageDays <= b.max).length });
    }
  }
  return {
    ok: true,
    data: {
      lastCheckAt: checks[latest]!.started_at,
      checksInMonth: checks.filter((c) => c.started_at >= start).length,
      targetDays: { ...targets },
      open: open.length,
      new: items.filter((i) => i.isNew).length,
      fixed: items.filter((i) => i.state === 'fixed').length,
      overdue: open.filter((i) => i.overdue).length,
      bySeverity: SEVERITIES.map((severity) => ({ severity, open: open.filter((i) => i.severity === severity).length, overdue: open.filter((i) => i.severity === severity && i.overdue).length })),
      ageBuckets,
      items,
    },
  };
}

interface RunRow { id: number; target_url: string; verdict: 'pass' | 'fail'; started_at: string; finding_count: number; failing_count: number }

export async function collectExternalScans(db: Kysely<any>, bounds: MonthBounds, timeZone: string): Promise<Collected<SectionData<'external-scans'>>> {
  const end = bounds.end.toISOString();
  const start = bounds.start.toISOString();
  const trendStart = monthBounds(addMonths(bounds.month, -11), timeZone).start.toISOString();
  const all = (await db.selectFrom('scan_runs').select(['id', 'target_url', 'verdict', 'started_at', 'finding_count', 'failing_count'])
    .where('started_at', '<', end).orderBy('started_at').orderBy('id').execute() as RunRow[]).map((r) => ({ ...r, id: Number(r.id), finding_count: Number(r.finding_count), failing_count: Number(r.failing_count) }));
  if (all.length === 0) return { ok: false, reason: 'no external scan (mamori scan / the scan schedule) ran before the month\'s end' };
  const inMonth = all.filter((r) => r.started_at >= start);
  const lastPerTarget = (runs: RunRow[]) => {
    const m = new Map<string, RunRow>();
    for (const r of runs) m.set(r.target_url, r); // ordered by time: the last one wins
    return m;
  };
  const targetUrls = [...new Set(all.map((r) => r.target_url))].sort();
  const lastInMonth = lastPerTarget(inMonth);
  const targets = targetUrls.map((url) => {
    const runs = all.filter((r) => r.target_url === url);
    const last = runs.at(-1)!;
    const lastPass = runs.filter((r) => r.verdict === 'pass').at(-1);
    const due = lastPass ? new Date(Date.parse(lastPass.started_at) + QUARTER_DAYS * DAY_MS) : null;
    return {
      url, lastScanAt: last.started_at, verdict: last.verdict, findings: last.finding_count,
      lastPassingAt: lastPass?.started_at ?? null, quarterlyDueOn: due ? localDateOf(due, timeZone) : null, overdue: !due || due.getTime() < bounds.end.getTime(),
    };
  });
  const findings: SectionData<'external-scans'>['findings'] = [];
  for (const [target, run] of lastInMonth) {
    const rows = await db.selectFrom('scan_findings').select(['finding_id', 'title', 'severity', 'cvss']).where('run_id', '=', run.id).orderBy('cvss', 'desc').orderBy('id').execute();
    for (const f of rows as { finding_id: string; title: string; severity: string; cvss: number }[]) findings.push({ target, id: f.finding_id, title: f.title, severity: f.severity, cvss: Number(f.cvss) });
  }
  const trend: SectionData<'external-scans'>['trend'] = [];
  for (let i = 11; i >= 0; i--) {
    const m = monthBounds(addMonths(bounds.month, -i), timeZone);
    const runs = all.filter((r) => r.started_at >= m.start.toISOString() && r.started_at < m.end.toISOString() && r.started_at >= trendStart);
    const last = [...lastPerTarget(runs).values()];
    trend.push({ month: m.month, runs: runs.length, findings: last.reduce((s, r) => s + r.finding_count, 0), failing: last.reduce((s, r) => s + r.failing_count, 0) });
  }
  return {
    ok: true,
    data: { runs: inMonth.length, passing: inMonth.filter((r) => r.verdict === 'pass').length, failing: inMonth.filter((r) => r.verdict === 'fail').length, targets, findings, trend },
  };
}

export async function collectAuditChain(db: Kysely<any>, bounds: MonthBounds, now: Date, anchorsFile: string | undefined): Promise<SectionData<'audit-chain'>> {
  const v = await verifyAuditChain(db, anchorsFile ? { anchorsFile } : {});
  const monthEnd = await db.selectFrom('audit_log').select(['id', 'hash']).where('created_at', '<', bounds.end.toISOString()).orderBy('id', 'desc').limit(1).executeTakeFirst() as { id: number; hash: string } | undefined;
  const inMonth = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '>=', bounds.start.toISOString()).where('created_at', '<', bounds.end.toISOString()).executeTakeFirstOrThrow() as { n: number | string };
  return {
    verifiedAt: now.toISOString(),
    ok: v.ok,
    entries: v.ok ? v.entries : v.entriesChecked,
    head: v.ok && v.entries > 0 ? { id: v.head.id, hash: v.head.hash } : null,
    breakAt: v.ok ? null : { id: v.firstBadId, reason: v.reason },
    monthEndHead: monthEnd ? { id: Number(monthEnd.id), hash: monthEnd.hash } : null,
    entriesInMonth: Number(inMonth.n),
  };
}
