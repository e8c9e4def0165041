import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type SecurityEventType =
  | 'payment.notification_rejected'
  | 'payment.unknown_transaction'
  | 'payment.amount_mismatch'
  | 'payment.double_capture'
  | 'payment.paid_after_expiry'
  | 'payment.velocity_block'
  | 'payment.decline_block';

/** Appends a security event (the back office's audit log chains these). Never holds card data. */
export async function recordSecurityEvent(db: Kysely<Database>, type: SecurityEventType, detail: Record<string, unknown>, now: Date, clientIp?: string): Promise<void> {
  await db.insertInto('security_events').values({ type, detail: JSON.stringify(detail), client_ip: clientIp ?? null, created_at: now.toISOString() }).execute();
}
