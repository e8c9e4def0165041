// The shop's safe mode. `card_payments`: no payment URL is handed out and checkout says card
// payment is unavailable, while browsing and carts keep working. `storefront`: the whole
// storefront answers 503 (the back office, health check and payment notifications keep working,
// so payments already in flight still settle). Both are rows in the database, so they survive a
// restart and every instance on one database sees them. Detectors pause; only an owner lifts.
// On PostgreSQL every change NOTIFYs PAUSE_CHANNEL in its own transaction, so every instance's
// in-memory copy (pause-state.ts) follows within milliseconds of the commit.
import { sql, type Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { isPostgres } from '../db/migrate.ts';
import type { ShopContext } from '../shop-context.ts';
import type { PauseScope } from '../alerts/alert-tables.ts';
import { incidentBlockingResume, type ResumeBlocker } from '../incidents/resumption-gate.ts';
import { shopPauseDb, type ShopPauseRow } from './shop-pause-tables.ts';

/** The PostgreSQL channel pause changes are announced on (the payload is the scope). */
export const PAUSE_CHANNEL = 'mamori_shop_pause';

export interface PauseRequest {
  scope: PauseScope;
  reason: string;
  /** What customers read on the maintenance page: Japanese, or the one text for both languages. */
  message?: string | undefined;
  /** The English text when it differs. */
  messageEn?: string | undefined;
  alertId?: number;
  actor: { id: string; ip?: string };
}

export type Pauses = Partial<Record<PauseScope, ShopPauseRow>>;

/** Tells the other instances on PostgreSQL; delivered only if `trx` commits. */
async function announcePauseChange(trx: Kysely<any>, scope: PauseScope): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_notify(${PAUSE_CHANNEL}, ${scope})`.execute(trx);
}

/** Runs `work` in `db` when it is already a transaction (the caller's), in a new one otherwise. */
function inTransaction<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Pauses (in `db` when it is a transaction, so it commits with the alert that caused it); a second pause of the same scope keeps the first. */
export async function pauseShop(db: Kysely<any>, request: PauseRequest, now: Date): Promise<{ paused: boolean }> {
  return inTransaction(db, async (trx) => {
    const pdb = shopPauseDb(trx);
    const existing = await pdb.selectFrom('shop_pauses').select('scope').where('scope', '=', request.scope).executeTakeFirst();
    if (existing) return { paused: false };
    const message = request.message?.trim().slice(0, 2000) || null;
    const messageEn = request.messageEn?.trim().slice(0, 2000) || null;
    const inserted = await pdb.insertInto('shop_pauses').values({
      scope: request.scope, reason: request.reason.slice(0, 500), message, message_en: messageEn,
      alert_id: request.alertId ?? null, paused_by: request.actor.id, paused_at: now.toISOString(),
    }).onConflict((oc) => oc.column('scope').doNothing()).returning('scope').executeTakeFirst();
    // Two detectors pausing at once: only the one whose row landed records the pause.
    if (!inserted) return { paused: false };
    await appendAuditEntry(trx, {
      actor: request.actor.id, action: 'shop.paused', target: `pause:${request.scope}`, ...(request.actor.ip ? { ip: request.actor.ip } : {}),
      after: { reason: request.reason, alertId: request.alertId ?? null, ...(message ? { message } : {}), ...(messageEn ? { messageEn } : {}) }, at: now,
    });
    await announcePauseChange(trx, request.scope);
    return { paused: true };
  });
}

export type ResumeResult =
  | { ok: true }
  | { ok: false; error: 'NOT_PAUSED' }
  /** An open incident's resumption checklist is not complete (src/incidents/resumption-gate.ts). */
  | { ok: false; error: 'INCIDENT_OPEN'; blocker: ResumeBlocker };

/** Whether an open incident forbids lifting a stop; the default asks the incident record. */
export type ResumeGate = (db: Kysely<any>) => Promise<ResumeBlocker | null>;

export interface ResumeOptions {
  /** Tests inject a gate that blocks; the shop uses incidentBlockingResume. */
  resumeGate?: ResumeGate;
}

/** Lifts a pause. Callers check who may (an owner with a fresh TOTP code, or the CLI operator); an open incident refuses it. */
export async function resumeShop(ctx: { db: Pick<ShopContext['db'], 'db'>; clock: ShopContext['clock'] }, scope: PauseScope, actor: { id: string; ip?: string }, note: string, options: ResumeOptions = {}): Promise<ResumeResult> {
  const gate = options.resumeGate ?? incidentBlockingResume;
  const now = ctx.clock();
  return ctx.db.db.transaction().execute(async (trx): Promise<ResumeResult> => {
    const pdb = shopPauseDb(trx);
    const pause = await pdb.selectFrom('shop_pauses').selectAll().where('scope', '=', scope).executeTakeFirst();
    if (!pause) return { ok: false, error: 'NOT_PAUSED' };
    const blocker = await gate(trx);
    if (blocker) {
      // The refusal is worth an audit entry too: someone tried to reopen during an incident.
      await appendAuditEntry(trx, { actor: actor.id, action: 'shop.resume_refused', target: `pause:${scope}`, ...(actor.ip ? { ip: actor.ip } : {}), after: { incident: blocker.reference, openItems: blocker.openItems, note: note.slice(0, 500) }, at: now });
      return { ok: false, error: 'INCIDENT_OPEN', blocker };
    }
    await pdb.deleteFrom('shop_pauses').where('scope', '=', scope).execute();
    await appendAuditEntry(trx, { actor: actor.id, action: 'shop.resumed', target: `pause:${scope}`, ...(actor.ip ? { ip: actor.ip } : {}), before: { reason: pause.reason, pausedBy: pause.paused_by, pausedAt: pause.paused_at }, after: { note: note.slice(0, 500) }, at: now });
    await announcePauseChange(trx, scope);
    return { ok: true };
  });
}

export async function activePauses(db: Kysely<any>): Promise<Pauses> {
  const rows = await shopPauseDb(db).selectFrom('shop_pauses').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [r.scope, r]));
}

/** A stopped storefront stops card payments too. */
export async function isCardPaymentPaused(db: Kysely<any>): Promise<boolean> {
  const rows = await shopPauseDb(db).selectFrom('shop_pauses').select('scope').execute();
  return rows.length > 0;
}

/** The merchant's message for a customer reading in `locale`, falling back to the other language's text. */
export function stopMessageFor(pause: Pick<ShopPauseRow, 'message' | 'message_en'>, locale: 'ja' | 'en'): string | null {
  return locale === 'en' ? (pause.message_en ?? pause.message) : (pause.message ?? pause.message_en);
}
