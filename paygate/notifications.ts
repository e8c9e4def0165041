// Builds payment events and queues them in the same transaction as the state change
// that caused them, so a committed change always has its notification (outbox pattern).
import type { Kysely, Selectable, Transaction } from 'kysely';
import { newEventId } from './gateway-ids.ts';
import type { PaygateSchema, PaymentsTable } from './schema.ts';

export type PaymentEventType = 'payment.captured' | 'payment.declined' | 'payment.cancelled' | 'payment.expired' | 'payment.refunded';

export interface PaymentEventBody {
  eventId: string;
  type: PaymentEventType;
  transactionId: string;
  orderReference: string;
  status: PaymentsTable['status'];
  amount: number;
  currency: string;
  refundedAmount: number;
  occurredAt: string;
  failureReason?: string;
}

export async function enqueuePaymentEvent(
  trx: Transaction<PaygateSchema> | Kysely<PaygateSchema>,
  payment: Selectable<PaymentsTable>,
  type: PaymentEventType,
  now: Date,
): Promise<PaymentEventBody> {
  const body: PaymentEventBody = {
    eventId: newEventId(),
    type,
    transactionId: payment.id,
    orderReference: payment.order_reference,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    refundedAmount: payment.refunded_amount,
    occurredAt: now.toISOString(),
    ...(payment.failure_reason ? { failureReason: payment.failure_reason } : {}),
  };
  await trx
    .insertInto('notifications')
    .values({
      event_id: body.eventId,
      merchant_id: payment.merchant_id,
      transaction_id: payment.id,
      type,
      body: JSON.stringify(body),
      url: payment.notification_url,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_attempt_at: null,
      last_response_status: null,
      last_error: null,
      created_at: now.toISOString(),
      delivered_at: null,
    })
    .execute();
  return body;
}
