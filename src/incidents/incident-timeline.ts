// The incident's timeline: what the shop recorded in the incident's period (security events,
// alerts, the audit entries of pauses, watchers and lockouts, watcher findings), gathered when the
// page is shown rather than copied, merged with the entries people wrote. Oldest first.
import type { Kysely } from 'kysely';
import { alertDb } from '../alerts/alert-tables.ts';
import type { AuditLogDatabase } from '../audit/audit-log-table.ts';
import { WATCHERS, watchResultsBetween } from '../watch-results/watch-results.ts';
import { incidentDb, type Incident } from './incident-tables.ts';

/** How far before the moment of awareness the timeline looks: a breach is usually noticed late. */
export const TIMELINE_LOOKBACK_DAYS = 30;
/** Per source, so a noisy detector cannot make the page unreadable. */
const PER_SOURCE_LIMIT = 500;

/**
 * Audit actions that belong on an incident's timeline: pauses and resumes, the detectors'
 * findings, lockouts. Security events and alerts come from their own tables (their audit twins,
 * security.*, are left out so nothing shows twice).
 */
export const TIMELINE_AUDIT_ACTION_PREFIXES = ['shop.', 'page_watch.', 'integrity.', 'pan_scan.', 'malware_scan.', 'csp.', 'admin.lockout', 'auth.locked'] as const;

export type TimelineSource = 'security_event' | 'alert' | 'audit' | 'watcher' | 'manual';

export interface TimelineItem {
  at: string;
  source: TimelineSource;
  /** Machine name: event type, alert kind, audit action, watcher. */
  kind: string;
  summary: string;
  by: string | null;
  /** Where it came from, e.g. 'alert:12', 'audit:340'. */
  ref: string;
}

export function timelinePeriod(incident: Incident, now: Date): { from: Date; to: Date } {
  const from = new Date(Date.parse(incident.aware_at) - TIMELINE_LOOKBACK_DAYS * 86_400_000);
  const to = incident.closed_at ? new Date(Date.parse(incident.closed_at) + 1) : new Date(now.getTime() + 1);
  return { from, to };
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** An audit entry's details as people read them (`reference: INC-2026-0001 · finalDueOn: 2027-01-31`), not as raw JSON. */
export function readableDetails(json: string | null): string {
  if (!json) return '';
  let value: unknown;
  try { value = JSON.parse(json); } catch { return json; }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ');
}

export async function incidentTimeline(db: Kysely<any>, incident: Incident, now: Date): Promise<TimelineItem[]> {
  const { from, to } = timelinePeriod(incident, now);
  const f = from.toISOString();
  const t = to.toISOString();
  const items: TimelineItem[] = [];

  const events = await db.selectFrom('security_events').select(['id', 'type', 'detail', 'created_at'])
    .where('created_at', '>=', f).where('created_at', '<', t).orderBy('id').limit(PER_SOURCE_LIMIT).execute() as { id: number; type: string; detail: string; created_at: string }[];
  for (const e of events) items.push({ at: String(e.created_at), source: 'security_event', kind: e.type, summary: clip(e.detail), by: 'system', ref: `security_event:${e.id}` });

  const alerts = await alertDb(db).selectFrom('security_alerts').selectAll()
    .where('first_seen_at', '>=', f).where('first_seen_at', '<', t).orderBy('id').limit(PER_SOURCE_LIMIT).execute();
  for (const a of alerts) {
    items.push({ at: a.first_seen_at, source: 'alert', kind: a.kind, summary: `[${a.severity}] ${a.summary}${a.occurrences > 1 ? ` (×${a.occurrences})` : ''}`, by: 'system', ref: `alert:${a.id}` });
  }

  const audit = await (db as Kysely<AuditLogDatabase>).selectFrom('audit_log').select(['id', 'created_at', 'actor', 'action', 'target', 'after_json'])
    .where('created_at', '>=', f).where('created_at', '<', t)
    .where((eb) => eb.or([
      ...TIMELINE_AUDIT_ACTION_PREFIXES.map((p) => (p.endsWith('.') ? eb('action', 'like', `${p}%`) : eb('action', '=', p))),
      eb.and([eb('action', 'like', 'incident.%'), eb('target', '=', `incident:${incident.id}`)]),
    ]))
    .orderBy('id').limit(PER_SOURCE_LIMIT).execute();
  for (const a of audit) {
    items.push({ at: a.created_at, source: 'audit', kind: a.action, summary: clip([a.target, readableDetails(a.after_json)].filter(Boolean).join(' — ')), by: a.actor, ref: `audit:${a.id}` });
  }

  for (const watcher of WATCHERS) {
    const results = await watchResultsBetween(db, watcher, from, to);
    for (const r of results.filter((x) => x.outcome !== 'clean').slice(0, PER_SOURCE_LIMIT)) {
      items.push({ at: r.ran_at, source: 'watcher', kind: `${watcher}.${r.outcome}`, summary: clip(r.summary), by: 'system', ref: `watch_result:${r.id}` });
    }
  }

  const manual = await incidentDb(db).selectFrom('incident_timeline_entries').selectAll().where('incident_id', '=', incident.id).orderBy('occurred_at').execute();
  for (const m of manual) items.push({ at: m.occurred_at, source: 'manual', kind: 'note', summary: m.entry, by: m.added_by, ref: `entry:${m.id}` });

  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
