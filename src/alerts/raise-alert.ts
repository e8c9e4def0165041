// The one alert channel every detector uses (page watch, file integrity, admin-access signals,
// pan-scan): an audit entry, a row an owner acknowledges on the dashboard, an e-mail to every
// owner and, when configured, a signed webhook. A repeat of an open alert only counts up, so a
// detector that runs every minute does not mail every minute.
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { ShopContext } from '../shop-context.ts';
import { alertDb, type AlertSeverity, type SecurityAlert } from './alert-tables.ts';
import { deliverAlert } from './deliver-alert.ts';

export interface AlertInput {
  kind: string;
  severity: AlertSeverity;
  /** Same key, same open alert: e.g. `page_watch:/checkout:script:/static/x.js`. Defaults to kind. */
  dedupeKey?: string;
  summary: string;
  evidence: Record<string, unknown>;
}

export type RaiseAlertResult = { alert: SecurityAlert; isNew: boolean };

type AlertContext = Pick<ShopContext, 'db' | 'clock' | 'mailer' | 'config' | 'logger'>;

/** Records the alert (in `trx` when given, so it commits with what caused it) without sending anything. */
export async function recordAlert(db: Kysely<any>, input: AlertInput, now: Date): Promise<RaiseAlertResult> {
  const adb = alertDb(db);
  const key = input.dedupeKey ?? input.kind;
  const at = now.toISOString();
  const open = await adb.selectFrom('security_alerts').selectAll().where('dedupe_key', '=', key).where('acknowledged_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();
  if (open) {
    await adb.updateTable('security_alerts').set((eb) => ({ occurrences: eb('occurrences', '+', 1), last_seen_at: at })).where('id', '=', open.id).execute();
    return { alert: { ...open, occurrences: open.occurrences + 1, last_seen_at: at }, isNew: false };
  }
  const alert = await adb.insertInto('security_alerts').values({
    kind: input.kind, severity: input.severity, dedupe_key: key, summary: input.summary.slice(0, 500),
    evidence: JSON.stringify(input.evidence), first_seen_at: at, last_seen_at: at, acknowledged_by: null, acknowledged_at: null,
  }).returningAll().executeTakeFirstOrThrow();
  await appendAuditEntry(db, { actor: 'system', action: 'security.alert_raised', target: `alert:${alert.id}`, after: { kind: input.kind, severity: input.severity, summary: alert.summary, evidence: input.evidence }, at: now });
  return { alert, isNew: true };
}

/** Records the alert and, when it is new, tells the owners (mail, webhook) after the record commits. */
export async function raiseAlert(ctx: AlertContext, input: AlertInput): Promise<RaiseAlertResult> {
  const now = ctx.clock();
  const result = await ctx.db.db.transaction().execute((trx) => recordAlert(trx, input, now));
  if (result.isNew) await deliverAlert(ctx, result.alert);
  return result;
}

export type AcknowledgeResult = { ok: true } | { ok: false; error: 'ALERT_NOT_FOUND' | 'ALREADY_ACKNOWLEDGED' };

export async function acknowledgeAlert(ctx: Pick<ShopContext, 'db' | 'clock'>, alertId: number, actor: { id: string; ip?: string }, note: string): Promise<AcknowledgeResult> {
  const now = ctx.clock();
  return ctx.db.db.transaction().execute(async (trx) => {
    const adb = alertDb(trx);
    const alert = await adb.selectFrom('security_alerts').select(['id', 'acknowledged_at', 'kind']).where('id', '=', alertId).executeTakeFirst();
    if (!alert) return { ok: false, error: 'ALERT_NOT_FOUND' } as const;
    const r = await adb.updateTable('security_alerts').set({ acknowledged_by: actor.id, acknowledged_at: now.toISOString() }).where('id', '=', alertId).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { ok: false, error: 'ALREADY_ACKNOWLEDGED' } as const;
    await appendAuditEntry(trx, { actor: actor.id, action: 'security.alert_acknowledged', target: `alert:${alertId}`, ...(actor.ip ? { ip: actor.ip } : {}), after: { kind: alert.kind, note: note.slice(0, 500) }, at: now });
    return { ok: true } as const;
  });
}

/** Open (unacknowledged) alerts, most severe and newest first: what the dashboard shows. */
export async function listOpenAlerts(db: Kysely<any>, limit = 50): Promise<SecurityAlert[]> {
  const rows = await alertDb(db).selectFrom('security_alerts').selectAll().where('acknowledged_at', 'is', null).orderBy('id', 'desc').limit(limit).execute();
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  return rows.sort((a, b) => (rank[a.severity]! - rank[b.severity]!) || b.id - a.id);
}
