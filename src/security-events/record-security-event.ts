import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { appendSecurityEventToAudit } from '../audit/audit-log.ts';

export type SecurityEventType =
  | 'payment.notification_rejected'
  | 'payment.unknown_transaction'
  | 'payment.amount_mismatch'
  | 'payment.double_capture'
  | 'payment.paid_after_expiry'
  | 'payment.velocity_block'
  | 'payment.decline_block'
  | 'payment.notification_unconfirmed'
  | 'payment.untrusted_redirect';

/**
 * Records a security event twice over: in security_events (queryable by type) and, in the same
 * transaction when there is one, in the hash-chained audit log the security committee relies
 * on. Never holds card data.
 */
export async function recordSecurityEvent(db: Kysely<Database>, type: SecurityEventType, detail: Record<string, unknown>, now: Date, clientIp?: string): Promise<void> {
  await db.insertInto('security_events').values({ type, detail: JSON.stringify(detail), client_ip: clientIp ?? null, created_at: now.toISOString() }).execute();
  await appendSecurityEventToAudit(db, { type, detail, at: now, ...(clientIp ? { clientIp } : {}) });
}
