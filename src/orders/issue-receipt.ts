// Issuing a 領収書 is recorded with its order: the first issue fixes the 宛名 (addressee), later ones
// count up and print 再発行. The record and its audit entry are one transaction, taken only after the
// PDF was made (src/receipts/receipt-pdf.ts), so a failed render never turns the customer's first
// receipt into a "reissue"; the expected count makes two concurrent downloads settle on one original.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Order } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { receiptDb, type OrderReceiptRow } from '../receipts/receipt-tables.ts';
import { lockOrder } from './lock-order.ts';
import { actorIp, actorLabel, type OrderActor } from './order-actor.ts';

export const ADDRESSEE_MAX = 100;

export type ReceiptRefusal = 'NOT_PAID' | 'REFUNDED';
export type AddresseeError = 'ADDRESSEE_REQUIRED' | 'ADDRESSEE_TOO_LONG' | 'cardNumber';

/** The 宛名 as typed: trimmed, NUL dropped (PostgreSQL refuses it), 1–100 characters, no card number. */
export function parseAddressee(input: unknown): { ok: true; value: string } | { ok: false; error: AddresseeError } {
  const s = z.string().catch('').parse(input).replace(/\u0000/g, '').trim();
  if (containsCardNumber(s)) return { ok: false, error: 'cardNumber' };
  if (!s) return { ok: false, error: 'ADDRESSEE_REQUIRED' };
  if ([...s].length > ADDRESSEE_MAX) return { ok: false, error: 'ADDRESSEE_TOO_LONG' };
  return { ok: true, value: s };
}

/** A receipt is for money received and kept: paid (or paid and shipped), nothing refunded. */
export function receiptRefusal(order: Pick<Order, 'status' | 'paid_at' | 'refunded_total'>): ReceiptRefusal | undefined {
  if (!order.paid_at || (order.status !== 'paid' && order.status !== 'fulfilled')) return 'NOT_PAID';
  if (order.refunded_total > 0) return 'REFUNDED';
  return undefined;
}

export async function storedReceipt(db: Kysely<Database>, orderId: string): Promise<OrderReceiptRow | undefined> {
  return receiptDb(db).selectFrom('order_receipts').where('order_id', '=', orderId).selectAll().executeTakeFirst();
}

export type RecordIssueResult =
  | { ok: true; receipt: OrderReceiptRow }
  | { ok: false; error: ReceiptRefusal | 'ORDER_NOT_FOUND' | 'CHANGED' };

/**
 * Records one issue. `seenCount` is the issue count the PDF was made for (0: the first issue, with
 * `addressee`); when another issue came in between, answers CHANGED and writes nothing.
 */
export async function recordReceiptIssue(db: Kysely<Database>, orderId: string, seenCount: number, addressee: string, actor: OrderActor, now: Date): Promise<RecordIssueResult> {
  return db.transaction().execute(async (trx): Promise<RecordIssueResult> => {
    const order = await lockOrder(trx, orderId);
    if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
    const refusal = receiptRefusal(order);
    if (refusal) return { ok: false, error: refusal };
    const rdb = receiptDb(trx);
    const at = now.toISOString();
    const current = await rdb.selectFrom('order_receipts').where('order_id', '=', orderId).selectAll().executeTakeFirst();
    if ((current?.issue_count ?? 0) !== seenCount) return { ok: false, error: 'CHANGED' };
    if (current) {
      await rdb.updateTable('order_receipts').set({ issue_count: seenCount + 1, last_issued_at: at }).where('order_id', '=', orderId).where('issue_count', '=', seenCount).execute();
    } else {
      await rdb.insertInto('order_receipts').values({ order_id: orderId, addressee, first_issued_at: at, last_issued_at: at, issue_count: 1 }).execute();
    }
    const ip = actorIp(actor);
    // The addressee stays in its table: the audit log records that a receipt went out, not to whom.
    await appendAuditEntry(trx, {
      actor: actorLabel(actor), action: 'order.receipt_issued', target: `order:${orderId}`, ...(ip ? { ip } : {}),
      after: { issueCount: seenCount + 1, reissue: seenCount > 0 }, at: now,
    });
    const receipt = await rdb.selectFrom('order_receipts').where('order_id', '=', orderId).selectAll().executeTakeFirstOrThrow();
    return { ok: true, receipt };
  });
}
