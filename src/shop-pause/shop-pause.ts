// The shop's safe mode. `card_payments`: no payment URL is handed out and checkout says card
// payment is unavailable, while browsing and carts keep working. `storefront`: the whole
// storefront answers 503 (the back office, health check and payment notifications keep working,
// so payments already in flight still settle). Both are rows in the database, so they survive a
// restart and every instance on one database sees them. Detectors pause; only an owner lifts.
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { ShopContext } from '../shop-context.ts';
import { alertDb, type PauseScope, type ShopPause } from '../alerts/alert-tables.ts';

export interface PauseRequest {
  scope: PauseScope;
  reason: string;
  message?: string;
  alertId?: number;
  actor: { id: string; ip?: string };
}

/** Pauses (in `trx` when given, so it commits with the alert that caused it); a second pause of the same scope keeps the first. */
export async function pauseShop(db: Kysely<any>, request: PauseRequest, now: Date): Promise<{ paused: boolean }> {
  const adb = alertDb(db);
  const existing = await adb.selectFrom('shop_pauses').select('scope').where('scope', '=', request.scope).executeTakeFirst();
  if (existing) return { paused: false };
  const inserted = await adb.insertInto('shop_pauses').values({
    scope: request.scope, reason: request.reason.slice(0, 500), message: request.message?.slice(0, 2000) ?? null,
    alert_id: request.alertId ?? null, paused_by: request.actor.id, paused_at: now.toISOString(),
  }).onConflict((oc) => oc.column('scope').doNothing()).returning('scope').executeTakeFirst();
  // Two detectors pausing at once: only the one whose row landed records the pause.
  if (!inserted) return { paused: false };
  await appendAuditEntry(db, { actor: request.actor.id, action: 'shop.paused', target: `pause:${request.scope}`, ...(request.actor.ip ? { ip: request.actor.ip } : {}), after: { reason: request.reason, alertId: request.alertId ?? null }, at: now });
  return { paused: true };
}

export type ResumeResult = { ok: true } | { ok: false; error: 'NOT_PAUSED' };

/** Lifts a pause. Callers check who may (an owner with a fresh TOTP code, or the CLI operator). */
export async function resumeShop(ctx: Pick<ShopContext, 'db' | 'clock'>, scope: PauseScope, actor: { id: string; ip?: string }, note: string): Promise<ResumeResult> {
  const now = ctx.clock();
  return ctx.db.db.transaction().execute(async (trx) => {
    const adb = alertDb(trx);
    const pause = await adb.selectFrom('shop_pauses').selectAll().where('scope', '=', scope).executeTakeFirst();
    if (!pause) return { ok: false, error: 'NOT_PAUSED' } as const;
    await adb.deleteFrom('shop_pauses').where('scope', '=', scope).execute();
    await appendAuditEntry(trx, { actor: actor.id, action: 'shop.resumed', target: `pause:${scope}`, ...(actor.ip ? { ip: actor.ip } : {}), before: { reason: pause.reason, pausedBy: pause.paused_by, pausedAt: pause.paused_at }, after: { note: note.slice(0, 500) }, at: now });
    return { ok: true } as const;
  });
}

export async function activePauses(db: Kysely<any>): Promise<Partial<Record<PauseScope, ShopPause>>> {
  const rows = await alertDb(db).selectFrom('shop_pauses').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [r.scope, r]));
}

/** A stopped storefront stops card payments too. */
export async function isCardPaymentPaused(db: Kysely<any>): Promise<boolean> {
  const rows = await alertDb(db).selectFrom('shop_pauses').select('scope').execute();
  return rows.length > 0;
}
