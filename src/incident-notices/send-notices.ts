// Sending the customer notice to everyone in an incident's scope, as a job, exactly once each.
//
// Every recipient is a row (pending → sending → sent). A batch claims one row at a time with a
// compare-and-swap inside a transaction, sends, then records "sent" (with a customer_mails row).
// A crash can therefore leave at most the row being sent in 'sending'. Such a claim is taken up
// again once it is older than any live run could be (the job's timeout): the retry is the same
// mail, with the same idempotency key (Message-ID; the outbox's file name), and the outbox writes a
// keyed mail once, so the customer still gets exactly one. (With SMTP, see src/mail/mailer.ts: a
// retry carries the same Message-ID, which is as far as SMTP lets a sender go.)
import { sql, type Kysely } from 'kysely';
import type { Mailer } from '../mail/mailer.ts';
import type { Clock, ShopLogger } from '../shop-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { isPostgres } from '../db/migrate.ts';
import { incidentDb, type IncidentTables } from '../incidents/incident-tables.ts';
import { loadIncidentScope } from '../incident-scope/incident-scope.ts';
import { noticeDb, RECIPIENT_STATUSES, type NoticeRecipient, type RecipientStatus } from './notice-tables.ts';
import { loadNoticeTemplates, renderNotice, type NoticeValues } from './notice-templates.ts';

/** A mailer error this many times in a row and the recipient is marked failed (shown, not retried). */
export const MAX_SEND_ATTEMPTS = 5;

export function idempotencyKeyOf(r: Pick<NoticeRecipient, 'id' | 'send_id'>): string {
  return `incident-notice-${r.send_id}-${r.id}`;
}

export function inquiryDeskUrl(publicUrl: string, locale: string): string {
  return `${publicUrl}/contact?topic=incident&lang=${locale === 'en' ? 'en' : 'ja'}`;
}

export function orderList(orderNumbers: string): string {
  return orderNumbers.split(',').map((s) => s.trim()).filter(Boolean).sort().map((n) => `・${n}`).join('\n');
}

export function noticeValues(r: Pick<NoticeRecipient, 'name' | 'order_numbers' | 'locale'>, reference: string, publicUrl: string): NoticeValues {
  return { name: r.name, orders: orderList(r.order_numbers), inquiryDesk: inquiryDeskUrl(publicUrl, r.locale), reference };
}

export type StartSendResult = { ok: true; sendId: number; recipients: number } | { ok: false; error: 'NO_SCOPE' | 'ALREADY_SENDING' | 'INCIDENT_NOT_FOUND' };

/**
 * Freezes the templates and the incident's stored scope into a send: one recipient per person
 * (e-mail), with their order numbers, grouped inside the database (a scope of a million orders
 * never passes through the process).
 */
export async function startNoticeSend(db: Kysely<any>, incidentId: number, actor: string, at: Date, ip?: string): Promise<StartSendResult> {
  const incident = await incidentDb(db).selectFrom('incidents').select(['id']).where('id', '=', incidentId).executeTakeFirst();
  if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' };
  const scope = await loadIncidentScope(db, incidentId);
  if (!scope) return { ok: false, error: 'NO_SCOPE' };
  const templates = await loadNoticeTemplates(db, incidentId);
  const pg = isPostgres(db);
  return db.transaction().execute(async (trx) => {
    const d = noticeDb(trx);
    const running = await d.selectFrom('incident_notice_sends').select('id').where('incident_id', '=', incidentId).where('status', '=', 'sending').executeTakeFirst();
    if (running) return { ok: false as const, error: 'ALREADY_SENDING' as const };
    const send = await d.insertInto('incident_notice_sends').values({
      incident_id: incidentId, subject_ja: templates.ja.subject, body_ja: templates.ja.body, subject_en: templates.en.subject, body_en: templates.en.body,
      status: 'sending', recipients_total: 0, started_by: actor, started_at: at.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const orderNumbers = pg ? sql`string_agg(distinct o.order_number, ',')` : sql`group_concat(distinct o.order_number)`;
    const emails = scope.emails ? sql`and o.email in (${sql.join(scope.emails)})` : sql``;
    const source = scope.criterion === 'card_paid'
      ? sql`from orders o where o.paid_at >= ${scope.from} and o.paid_at < ${scope.to} ${emails}`
      : sql`from payment_attempts a join orders o on o.id = a.order_id where a.created_at >= ${scope.from} and a.created_at < ${scope.to} ${emails}`;
    await sql`insert into incident_notice_recipients (send_id, email, name, locale, order_numbers)
      select ${send.id}, o.email, max(o.name), max(o.locale), ${orderNumbers} ${source} group by o.email`.execute(trx);
    const total = Number((await d.selectFrom('incident_notice_recipients').select(sql<number>`count(*)`.as('n')).where('send_id', '=', send.id).executeTakeFirstOrThrow()).n);
    await d.updateTable('incident_notice_sends').set({ recipients_total: total }).where('id', '=', send.id).execute();
    await appendAuditEntry(trx, {
      actor, action: 'incident.notice_send_started', target: `incident:${incidentId}`, ...(ip ? { ip } : {}),
      after: { sendId: send.id, recipients: total, scope: { criterion: scope.criterion, from: scope.from, to: scope.to } }, at,
    });
    return { ok: true as const, sendId: send.id, recipients: total };
  });
}

export interface NoticeSenderDeps {
  db: Kysely<any>;
  mailer: Mailer;
  clock: Clock;
  publicUrl: string;
  perMinute: number;
  log: ShopLogger;
}

export interface SendBatchResult {
  sent: number;
  failed: number;
  /** Recipients still waiting (pending, or claimed by a run that has not finished). */
  remaining: number;
}

/** Takes one recipient: pending, or a 'sending' claim older than staleBefore (its run crashed). */
async function claimNext(db: Kysely<any>, now: Date, staleBefore: Date): Promise<NoticeRecipient | undefined> {
  for (let tries = 0; tries < 20; tries++) {
    const claimed = await db.transaction().execute(async (trx) => {
      const d = noticeDb(trx);
      const next = await d.selectFrom('incident_notice_recipients as r').innerJoin('incident_notice_sends as s', 's.id', 'r.send_id')
        .selectAll('r').where('s.status', '=', 'sending')
        .where((eb) => eb.or([eb('r.status', '=', 'pending'), eb.and([eb('r.status', '=', 'sending'), eb('r.claimed_at', '<', staleBefore.toISOString())])]))
        .orderBy('r.id').limit(1).executeTakeFirst();
      if (!next) return null;
      // Compare-and-swap: only the claimant that still sees the row as it read it takes it.
      const r = await d.updateTable('incident_notice_recipients')
        .set({ status: 'sending', claimed_at: now.toISOString(), attempts: next.attempts + 1 })
        .where('id', '=', next.id).where('status', '=', next.status).where('attempts', '=', next.attempts)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? { ...next, status: 'sending' as const, attempts: next.attempts + 1 } : undefined;
    });
    if (claimed === null) return undefined;
    if (claimed) return claimed;
  }
  return undefined;
}

/**
 * Sends up to the per-minute budget (NOTICE_SEND_PER_MINUTE minus what went out in the last
 * minute), then closes sends with nobody left. Called by the job every minute and on demand.
 */
export async function sendDueNotices(deps: NoticeSenderDeps, opts: { staleAfterMs: number; signal?: AbortSignal }): Promise<SendBatchResult> {
  const { db, mailer, clock } = deps;
  const d = noticeDb(db);
  const minuteAgo = new Date(clock().getTime() - 60_000).toISOString();
  const recent = Number((await d.selectFrom('incident_notice_recipients').select(sql<number>`count(*)`.as('n')).where('sent_at', '>', minuteAgo).executeTakeFirstOrThrow()).n);
  let budget = Math.max(0, deps.perMinute - recent);
  const result: SendBatchResult = { sent: 0, failed: 0, remaining: 0 };
  const sends = new Map<number, { reference: string; templates: { ja: { subject: string; body: string }; en: { subject: string; body: string } } }>();
  while (budget > 0 && !opts.signal?.aborted) {
    const now = clock();
    const r = await claimNext(db, now, new Date(now.getTime() - opts.staleAfterMs));
    if (!r) break;
    budget--;
    let send = sends.get(r.send_id);
    if (!send) {
      const s = await noticeDb(db).withTables<IncidentTables>().selectFrom('incident_notice_sends as s').innerJoin('incidents as i', 'i.id', 's.incident_id')
        .select(['s.subject_ja', 's.body_ja', 's.subject_en', 's.body_en', 'i.reference']).where('s.id', '=', r.send_id).executeTakeFirstOrThrow();
      send = { reference: s.reference, templates: { ja: { subject: s.subject_ja, body: s.body_ja }, en: { subject: s.subject_en, body: s.body_en } } };
      sends.set(r.send_id, send);
    }
    const mail = renderNotice(r.locale === 'en' ? send.templates.en : send.templates.ja, noticeValues(r, send.reference, deps.publicUrl));
    try {
      await mailer.send({ to: r.email, ...mail, idempotencyKey: idempotencyKeyOf(r) });
    } catch (err) {
      const status: RecipientStatus = r.attempts >= MAX_SEND_ATTEMPTS ? 'failed' : 'pending';
      // The mailer's message may name the address: keep only its code and first line, short.
      const reason = `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${String((err as Error).message ?? err).split('\n')[0]!.slice(0, 120)}`;
      await d.updateTable('incident_notice_recipients').set({ status, last_error: reason, claimed_at: null }).where('id', '=', r.id).where('status', '=', 'sending').execute();
      deps.log.warn({ sendId: r.send_id, recipientId: r.id, reason }, 'incident notice not sent');
      if (status === 'failed') result.failed++;
      // Most likely the mail server is down: leave the rest to the next run rather than hammer it.
      break;
    }
    const sentAt = clock().toISOString();
    await db.transaction().execute(async (trx) => {
      await noticeDb(trx).updateTable('incident_notice_recipients').set({ status: 'sent', sent_at: sentAt, last_error: null }).where('id', '=', r.id).where('status', '=', 'sending').execute();
      await noticeDb(trx).insertInto('customer_mails').values({ recipient: r.email, order_id: null, kind: 'incident_notice', sent_at: sentAt }).execute();
    });
    result.sent++;
  }
  await closeFinishedSends(db, clock());
  result.remaining = Number((await d.selectFrom('incident_notice_recipients as r').innerJoin('incident_notice_sends as s', 's.id', 'r.send_id')
    .select(sql<number>`count(*)`.as('n')).where('s.status', '=', 'sending').where('r.status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow()).n);
  return result;
}

async function closeFinishedSends(db: Kysely<any>, at: Date): Promise<void> {
  const open = await noticeDb(db).selectFrom('incident_notice_sends').select(['id', 'incident_id']).where('status', '=', 'sending').execute();
  for (const s of open) {
    await db.transaction().execute(async (trx) => {
      const d = noticeDb(trx);
      const left = await d.selectFrom('incident_notice_recipients').select('id').where('send_id', '=', s.id).where('status', 'in', ['pending', 'sending']).limit(1).executeTakeFirst();
      if (left) return;
      const done = await d.updateTable('incident_notice_sends').set({ status: 'done', finished_at: at.toISOString() }).where('id', '=', s.id).where('status', '=', 'sending').executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return;
      const counts = await sendProgress(trx, s.id);
      await appendAuditEntry(trx, { actor: 'system', action: 'incident.notice_send_finished', target: `incident:${s.incident_id}`, after: { sendId: s.id, ...counts }, at });
    });
  }
}

export type SendProgress = Record<RecipientStatus, number> & { total: number };

export async function sendProgress(db: Kysely<any>, sendId: number): Promise<SendProgress> {
  const rows = await noticeDb(db).selectFrom('incident_notice_recipients').select(['status', sql<number>`count(*)`.as('n')]).where('send_id', '=', sendId).groupBy('status').execute();
  const out = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as SendProgress;
  for (const r of rows) out[r.status] = Number(r.n);
  out.total = RECIPIENT_STATUSES.reduce((n, s) => n + out[s], 0);
  return out;
}

export async function listNoticeSends(db: Kysely<any>, incidentId: number) {
  const sends = await noticeDb(db).selectFrom('incident_notice_sends').select(['id', 'status', 'recipients_total', 'started_by', 'started_at', 'finished_at'])
    .where('incident_id', '=', incidentId).orderBy('id', 'desc').execute();
  return Promise.all(sends.map(async (s) => ({ ...s, progress: await sendProgress(db, s.id) })));
}
