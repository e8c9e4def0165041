// Delivers queued notifications to the merchant's notificationUrl until it answers 2xx,
// with exponential backoff, giving up after a bounded number of attempts. Each attempt is
// signed afresh (new timestamp) so a retry hours later still passes the receiver's
// freshness check; the event id and body bytes never change, so receivers deduplicate.
import type { Kysely, Selectable } from 'kysely';
import type { Logger } from 'pino';
import { createSignedEventHeaders } from '../platform/hmac-event-signing.ts';
import type { NotificationsTable, PaygateSchema } from './schema.ts';

export interface NotificationRetryPolicy {
  /** Attempts in total, including the first; after the last failure the event is marked failed. */
  maxAttempts: number;
  /** Delay after the first failure; doubles after each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt HTTP timeout. */
  requestTimeoutMs: number;
}

export const DEFAULT_NOTIFICATION_RETRY_POLICY: NotificationRetryPolicy = {
  maxAttempts: 12, // waits of 1 s, 2 s, 4 s … 512 s, 600 s: about 27 minutes, enough to outlast a shop restart
  baseDelayMs: 1000,
  maxDelayMs: 10 * 60 * 1000,
  requestTimeoutMs: 5000,
};

/** Delay before attempt number `failedAttempts + 1`. No jitter: one sandbox, one receiver, and tests stay deterministic. */
export function notificationRetryDelayMs(failedAttempts: number, policy: NotificationRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
}

export type NotificationFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

export interface NotificationDeliveryOptions {
  db: Kysely<PaygateSchema>;
  clock: () => Date;
  fetch: NotificationFetch;
  log: Logger;
  policy: NotificationRetryPolicy;
  /** How often the worker looks for due retries; 0 = manual mode: no timer and no immediate kick (tests call deliverDue). */
  pollIntervalMs: number;
}

export interface NotificationDelivery {
  /** Attempts every notification that is due now; resolves to the number attempted. */
  deliverDue(): Promise<number>;
  /** Asks for a delivery round soon (after a new event was queued). */
  kick(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createNotificationDelivery(opts: NotificationDeliveryOptions): NotificationDelivery {
  const { db, clock, log, policy } = opts;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function attempt(n: Selectable<NotificationsTable>, secret: string): Promise<void> {
    const now = clock();
    const headers = { 'content-type': 'application/json', 'user-agent': 'mamori-paygate-sandbox', ...createSignedEventHeaders({ secret, eventId: n.event_id, body: n.body, now }) };
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await opts.fetch(n.url, { method: 'POST', headers, body: n.body, signal: AbortSignal.timeout(policy.requestTimeoutMs) });
      status = res.status;
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : 'request failed';
    }
    const attempts = n.attempts + 1;
    const finishedAt = clock();
    if (error === null) {
      await db.updateTable('notifications').set({ status: 'delivered', attempts, last_attempt_at: finishedAt.toISOString(), last_response_status: status, last_error: null, delivered_at: finishedAt.toISOString(), next_attempt_at: null }).where('event_id', '=', n.event_id).execute();
      log.info({ eventId: n.event_id, type: n.type, attempts }, 'notification delivered');
      return;
    }
    const giveUp = attempts >= policy.maxAttempts;
    const next = giveUp ? null : new Date(finishedAt.getTime() + notificationRetryDelayMs(attempts, policy)).toISOString();
    await db.updateTable('notifications').set({ status: giveUp ? 'failed' : 'pending', attempts, last_attempt_at: finishedAt.toISOString(), last_response_status: status, last_error: error, next_attempt_at: next }).where('event_id', '=', n.event_id).execute();
    if (giveUp) log.warn({ eventId: n.event_id, type: n.type, attempts, error }, 'notification given up');
    else log.info({ eventId: n.event_id, type: n.type, attempts, error, nextAttemptAt: next }, 'notification attempt failed; will retry');
  }

  async function round(): Promise<number> {
    const due = await db
      .selectFrom('notifications')
      .innerJoin('merchants', 'merchants.id', 'notifications.merchant_id')
      .selectAll('notifications')
      .select('merchants.secret as secret')
      .where('notifications.status', '=', 'pending')
      .where('notifications.next_attempt_at', '<=', clock().toISOString())
      .orderBy('notifications.seq')
      .limit(100)
      .execute();
    // One event at a time, in queue order: receivers see a transaction's events in the order they happened when all goes well.
    for (const { secret, ...n } of due) await attempt(n, secret);
    return due.length;
  }

  async function deliverDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await round();
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function kick(): void {
    if (stopped || opts.pollIntervalMs <= 0) return;
    setImmediate(() => {
      if (stopped) return;
      deliverDue().catch((e: unknown) => log.error({ err: e }, 'notification delivery round failed'));
    });
  }

  return {
    deliverDue,
    kick,
    start() {
      if (opts.pollIntervalMs <= 0 || timer) return;
      timer = setInterval(kick, opts.pollIntervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running.catch(() => 0);
    },
  };
}
