// Orders and payment attempts written straight into the tables, for the incident scope and
// notice tests: they need orders at chosen times, not a real checkout.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

export interface IncidentOrderInput {
  orderNumber: string;
  email: string;
  name?: string;
  locale?: 'ja' | 'en';
  total?: number;
  createdAt: string;
  paidAt?: string | null;
  transactionId?: string | null;
  /** Start times of payment attempts (one per hand-off to the gateway). */
  attempts?: string[];
}

export async function insertIncidentOrder(db: Kysely<any>, o: IncidentOrderInput): Promise<string> {
  const id = randomUUID();
  await db.insertInto('orders').values({
    id, order_number: o.orderNumber, access_token_hash: 'x'.repeat(64), cart_id: null, locale: o.locale ?? 'ja',
    email: o.email, name: o.name ?? '山田 花子', phone: '090-1234-5678', country: 'JP', postal_code: '100-0001', prefecture: '東京都',
    city: '千代田区', line1: '千代田1-1', line2: '', items_total: (o.total ?? 3000) - 800, shipping_fee: 800, total: o.total ?? 3000,
    status: o.paidAt ? 'paid' : 'pending_payment', payment_provider: o.transactionId === null ? null : 'sandbox',
    payment_transaction_id: o.transactionId === undefined ? `tx_${o.orderNumber}` : o.transactionId,
    payment_status: o.paidAt ? 'captured' : null, expires_at: o.createdAt, created_at: o.createdAt, updated_at: o.createdAt, paid_at: o.paidAt ?? null,
  }).execute();
  for (const [i, at] of (o.attempts ?? []).entries()) {
    await db.insertInto('payment_attempts').values({
      order_id: id, provider: 'sandbox', transaction_id: `tx_${o.orderNumber}_${i}`, email: o.email, client_ip: '127.0.0.1', status: 'started', created_at: at, updated_at: at,
    }).execute();
  }
  return id;
}

/** An incident row (src/incidents owns the table; these tests only need one to point at). */
export async function insertTestIncident(db: Kysely<any>, reference = 'INC-2026-0001'): Promise<number> {
  const r = await db.insertInto('incidents').values({ reference, title: 'Skimming', what_was_noticed: 'a changed script', aware_at: '2026-11-09T00:00:00.000Z', opened_by: 'admin:1', opened_at: '2026-11-09T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
  return r.id as number;
}
