// Figures of the report's activity sections, counted from what the shop recorded in the month:
// the audit log, alerts, watch results, payment attempts and events, incidents.
import { sql, type Kysely } from 'kysely';
import { watchResultsBetween, type Watcher } from '../watch-results/watch-results.ts';
import type { Collected } from './collect-security.ts';
import { daysOfMonth, type MonthBounds } from './report-month.ts';
import type { SectionData } from './report-schema.ts';

type Sev = 'critical' | 'high' | 'medium' | 'low';
const range = (bounds: MonthBounds) => ({ start: bounds.start.toISOString(), end: bounds.end.toISOString() });

async function auditCounts(db: Kysely<any>, bounds: MonthBounds, actions: string[]): Promise<Map<string, number>> {
  const { start, end } = range(bounds);
  const rows = await db.selectFrom('audit_log').select(['action', (eb) => eb.fn.countAll().as('n')])
    .where('action', 'in', actions).where('created_at', '>=', start).where('created_at', '<', end).groupBy('action').execute() as { action: string; n: number | string }[];
  return new Map(rows.map((r) => [r.action, Number(r.n)]));
}

async function watchCounts(db: Kysely<any>, watcher: Watcher, bounds: MonthBounds) {
  const results = await watchResultsBetween(db, watcher, bounds.start, bounds.end);
  return {
    results,
    counts: { runs: results.length, clean: results.filter((r) => r.outcome === 'clean').length, findings: results.filter((r) => r.outcome === 'findings').length, error: results.filter((r) => r.outcome === 'error').length },
  };
}

export const WATCH_ALERT_PREFIXES = ['integrity.', 'page_watch.', 'csp.'] as const;
export const APPROVAL_ACTIONS = ['integrity.baseline_recorded', 'integrity.approved', 'page_watch.baseline_recorded', 'page_watch.baseline_approved'] as const;

export async function collectIntegrityPageWatch(db: Kysely<any>, bounds: MonthBounds): Promise<Collected<SectionData<'integrity-page-watch'>>> {
  const { start, end } = range(bounds);
  const integrity = await watchCounts(db, 'integrity', bounds);
  const pageWatch = await watchCounts(db, 'page-watch', bounds);
  const alertRows = await db.selectFrom('security_alerts').select(['kind', 'severity', 'acknowledged_at'])
    .where((eb) => eb.or(WATCH_ALERT_PREFIXES.map((p) => eb('kind', 'like', `${p}%`))))
    .where('first_seen_at', '>=', start).where('first_seen_at', '<', end).execute() as { kind: string; severity: Sev; acknowledged_at: string | null }[];
  const approvals = await db.selectFrom('audit_log').select(['action', 'created_at', 'actor']).where('action', 'in', [...APPROVAL_ACTIONS])
    .where('created_at', '>=', start).where('created_at', '<', end).orderBy('id').execute() as { action: string; created_at: string; actor: string | null }[];
  if (integrity.counts.runs === 0 && pageWatch.counts.runs === 0 && alertRows.length === 0 && approvals.length === 0) {
    return { ok: false, reason: 'neither the file integrity check nor the page watch recorded a run in the month' };
  }
  const grouped = new Map<string, { kind: string; severity: Sev; count: number }>();
  for (const a of alertRows) {
    const k = `${a.kind}\u0000${a.severity}`;
    const g = grouped.get(k) ?? { kind: a.kind, severity: a.severity, count: 0 };
    g.count++;
    grouped.set(k, g);
  }
  return {
    ok: true,
    data: {
      alertsTotal: alertRows.length,
      unacknowledged: alertRows.filter((a) => a.acknowledged_at === null || a.acknowledged_at >= end).length,
      alerts: [...grouped.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.severity.localeCompare(b.severity)),
      approvals: approvals.map((a) => ({ action: a.action, at: a.created_at, actor: a.actor })),
      integrityRuns: integrity.counts,
      pageWatchRuns: pageWatch.counts,
    },
  };
}

export const ACCESS_ACTIONS = {
  logins: 'auth.login_succeeded',
  failures: 'auth.login_failed',
  lockouts: 'admin.lockout',
  newAddresses: 'auth.new_address',
  newDevices: 'auth.new_device',
  vendorSessions: 'auth.vendor_session',
} as const;
export const ACCOUNT_CHANGE_ACTIONS = ['account.created', 'account.updated', 'mfa.reset'] as const;

function describeAccountChange(action: string, before: string | null, after: string | null): string {
  const b = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const a = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  if (action === 'account.created') return `role ${String(a.role ?? '?')}${a.via ? ` (${String(a.via)})` : ''}`;
  if (action === 'mfa.reset') return 'second factor reset';
  // Only the fields that changed, and never the e-mail address itself (the committee needs the what, not the who's mail).
  const changed = ['role', 'disabled', 'refundLimit', 'accessExpiresAt', 'mfaEnrolled'].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (JSON.stringify(b.email) !== JSON.stringify(a.email)) changed.push('email');
  return changed.map((k) => (k === 'email' ? 'e-mail changed' : `${k}: ${JSON.stringify(b[k] ?? null)} → ${JSON.stringify(a[k] ?? null)}`)).join('; ') || 'no field changed';
}

export async function collectAccess(db: Kysely<any>, bounds: MonthBounds, timeZone: string): Promise<SectionData<'access'>> {
  const { start, end } = range(bounds);
  const counts = await auditCounts(db, bounds, Object.values(ACCESS_ACTIONS));
  const n = (k: keyof typeof ACCESS_ACTIONS) => counts.get(ACCESS_ACTIONS[k]) ?? 0;
  const vendorSessions = await db.selectFrom('audit_log').select(['actor', 'after_json']).where('action', '=', ACCESS_ACTIONS.vendorSessions)
    .where('created_at', '>=', start).where('created_at', '<', end).execute() as { actor: string | null; after_json: string | null }[];
  const vendors = [...new Set(vendorSessions.map((v) => v.actor).filter((a): a is string => a !== null))];
  const offHours = vendorSessions.filter((v) => v.after_json !== null && (JSON.parse(v.after_json) as { withinVendorHours?: boolean }).withinVendorHours === false).length;
  const vendorActions = vendors.length === 0 ? [] : (await db.selectFrom('audit_log').select(['action', (eb) => eb.fn.countAll().as('n')])
    .where('actor', 'in', vendors).where('created_at', '>=', start).where('created_at', '<', end).groupBy('action').orderBy('action').execute() as { action: string; n: number | string }[])
    .map((r) => ({ action: r.action, count: Number(r.n) }));
  const changes = await db.selectFrom('audit_log').select(['created_at', 'action', 'target', 'actor', 'before_json', 'after_json']).where('action', 'in', [...ACCOUNT_CHANGE_ACTIONS])
    .where('created_at', '>=', start).where('created_at', '<', end).orderBy('id').execute() as { created_at: string; action: string; target: string | null; actor: string | null; before_json: string | null; after_json: string | null }[];
  // Day buckets computed here (SQLite has no time zones), one grouped query over ISO-8601 text, as the dashboard does.
  const days = daysOfMonth(bounds.month, timeZone);
  const dayIndex = sql.join(days.map((d, i) => sql`when created_at < ${d.end.toISOString()} then ${sql.lit(i)}`), sql` `);
  const perDay = await sql<{ day: number | string; n: number | string }>`
    select case ${dayIndex} end as day, count(*) as n from audit_log
    where action = ${ACCESS_ACTIONS.failures} and created_at >= ${start} and created_at < ${end} group by 1`.execute(db);
  const failuresPerDay = days.map((d) => ({ date: d.date, failures: 0 }));
  for (const r of perDay.rows) { const d = failuresPerDay[Number(r.day)]; if (d) d.failures += Number(r.n); }
  return {
    logins: n('logins'), failures: n('failures'), lockouts: n('lockouts'), newAddresses: n('newAddresses'), newDevices: n('newDevices'), vendorSessions: n('vendorSessions'),
    offHoursVendorSignIns: offHours,
    vendorActions,
    accountChanges: changes.map((c) => ({ at: c.created_at, action: c.action, target: c.target, actor: c.actor, detail: describeAccountChange(c.action, c.before_json, c.after_json) })),
    failuresPerDay,
  };
}

export async function collectPayments(db: Kysely<any>, bounds: MonthBounds): Promise<SectionData<'payments'>> {
  const { start, end } = range(bounds);
  const events = await db.selectFrom('security_events').select(['type', (eb) => eb.fn.countAll().as('n')])
    .where('type', 'in', ['payment.velocity_block', 'payment.decline_block', 'payment.amount_mismatch'])
    .where('created_at', '>=', start).where('created_at', '<', end).groupBy('type').execute() as { type: string; n: number | string }[];
  const ev = (t: string) => Number(events.find((e) => e.type === t)?.n ?? 0);
  const one = async (q: any) => Number(((await q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: number | string }).n);
  return {
    velocityBlocks: ev('payment.velocity_block'),
    declineBlocks: ev('payment.decline_block'),
    amountMismatches: ev('payment.amount_mismatch'),
    declines: await one(db.selectFrom('payment_attempts').where('status', '=', 'declined').where('created_at', '>=', start).where('created_at', '<', end)),
    reviewCases: await one(db.selectFrom('order_events').where('to_status', '=', 'payment_review').where('created_at', '>=', start).where('created_at', '<', end)),
    paidOrders: await one(db.selectFrom('orders').where('paid_at', '>=', start).where('paid_at', '<', end)),
  };
}

export async function collectCardData(db: Kysely<any>, bounds: MonthBounds): Promise<Collected<SectionData<'card-data'>>> {
  const { results, counts } = await watchCounts(db, 'pan-scan', bounds);
  const latest = results.at(-1);
  if (!latest) return { ok: false, reason: 'the card-number search (mamori pan-scan / the pan-scan job) recorded no run in the month' };
  return { ok: true, data: { runs: counts.runs, findingsRuns: counts.findings, errorRuns: counts.error, latest: { at: latest.ran_at, outcome: latest.outcome, summary: latest.summary } } };
}

export async function collectIncidents(db: Kysely<any>, bounds: MonthBounds): Promise<SectionData<'incidents'>> {
  const { start, end } = range(bounds);
  const rows = await db.selectFrom('incidents').select(['reference', 'title', 'status', 'aware_at', 'opened_at', 'closed_at'])
    .where('opened_at', '<', end).where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', start)])).orderBy('opened_at').execute() as { reference: string; title: string; status: 'open' | 'closed'; aware_at: string; opened_at: string; closed_at: string | null }[];
  const closedBy = (r: (typeof rows)[number]) => r.closed_at !== null && r.closed_at < end;
  return {
    openedInMonth: rows.filter((r) => r.opened_at >= start).length,
    closedInMonth: rows.filter((r) => r.closed_at !== null && r.closed_at >= start && r.closed_at < end).length,
    openAtMonthEnd: rows.filter((r) => !closedBy(r)).length,
    // Status as at the month's end, not as today.
    items: rows.map((r) => ({ reference: r.reference, title: r.title, status: closedBy(r) ? 'closed' : 'open', awareAt: r.aware_at, closedAt: closedBy(r) ? r.closed_at : null })),
  };
}
