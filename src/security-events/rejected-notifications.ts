// Rejected payment notifications need no credentials to send, and every security event is a
// permanent row in the append-only audit log: one per rejection would let anyone grow the log
// by hundreds of rows a minute per address. So per source address and minute, the first few
// rejections are recorded as they come (their reasons stay visible) and the rest are folded
// into a counter row, written as one event carrying the minute's total when the minute has
// closed (on the next rejection from that address, or by the background job). An attack is
// still recorded, with its size; the log grows by a bounded number of rows per address and minute.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordSecurityEvent } from './record-security-event.ts';

/** Rejections per address and minute recorded one by one before the rest are counted. */
export const REJECTIONS_RECORDED_EACH_MINUTE = 3;

export interface RejectedNotification { provider: string; reason: string; detail: string; clientIp: string; now: Date }

function minuteOf(d: Date): string {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();
}

/** Records (or counts) one rejected notification. Returns whether it was written as an event of its own. */
export async function recordRejectedNotification(db: Kysely<Database>, n: RejectedNotification): Promise<'recorded' | 'counted'> {
  const minute = minuteOf(n.now);
  return db.transaction().execute(async (trx) => {
    await flushCounters(trx, n.now, n.clientIp);
    const row = await trx.insertInto('notification_rejection_counters')
      .values({ client_ip: n.clientIp, minute, count: 1, last_reason: n.reason, flushed: 0 })
      .onConflict((oc) => oc.columns(['client_ip', 'minute']).doUpdateSet((eb) => ({
        count: eb(eb.ref('notification_rejection_counters.count'), '+', 1),
        last_reason: n.reason,
      })))
      .returning('count')
      .executeTakeFirstOrThrow();
    if (row.count > REJECTIONS_RECORDED_EACH_MINUTE) return 'counted';
    await recordSecurityEvent(trx, 'payment.notification_rejected', { provider: n.provider, reason: n.reason, detail: n.detail, rejectedThisMinute: row.count }, n.now, n.clientIp);
    return 'recorded';
  });
}

/** Writes the summaries of minutes that have closed (all addresses). Run by the background job. */
export async function flushClosedRejectionCounters(db: Kysely<Database>, now: Date): Promise<number> {
  return db.transaction().execute((trx) => flushCounters(trx, now));
}

async function flushCounters(trx: Kysely<Database>, now: Date, clientIp?: string): Promise<number> {
  const current = minuteOf(now);
  let q = trx.selectFrom('notification_rejection_counters').where('flushed', '=', 0).where('minute', '<', current);
  if (clientIp !== undefined) q = q.where('client_ip', '=', clientIp);
  const closed = await q.selectAll().orderBy('minute').limit(1000).execute();
  let written = 0;
  for (const c of closed) {
    // Compare-and-swap: two flushers never write the same minute twice.
    const r = await trx.updateTable('notification_rejection_counters').set({ flushed: 1 })
      .where('client_ip', '=', c.client_ip).where('minute', '=', c.minute).where('flushed', '=', 0).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1 || c.count <= REJECTIONS_RECORDED_EACH_MINUTE) continue;
    await recordSecurityEvent(trx, 'payment.notification_rejected', {
      aggregated: true, minute: c.minute, rejectedThisMinute: c.count, notRecordedSeparately: c.count - REJECTIONS_RECORDED_EACH_MINUTE, lastReason: c.last_reason,
    }, now, c.client_ip);
    written++;
  }
  // Counters of closed, written minutes are kept a day for the back office, then dropped.
  await trx.deleteFrom('notification_rejection_counters').where('flushed', '=', 1)
    .where('minute', '<', new Date(now.getTime() - 24 * 3600_000).toISOString()).execute();
  return written;
}
