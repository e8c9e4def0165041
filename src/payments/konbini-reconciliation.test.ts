// The reconciliation job asks the gateway about a waiting konbini order on a growing wait, not on
// every run; card orders are still asked on every run. At the konbini deadline plus the gateway's
// grace the expiry asks one last time and expires the order (stock back, audit entry) unless the
// gateway says it was paid; the store payment's signed notification settles the order at any time.
// Both databases, the shop's clock injected and moved by the test (no sleeping).
import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { checkoutThroughStoreApi, paymentTransactionOf } from '../../test/support/store-api-checkout.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { DEFAULT_PAYMENT_SETTINGS, savePaymentSettings } from '../payment-methods/payment-settings.ts';
import type { CreateKonbiniPaymentInput, CreatedKonbiniPayment, KonbiniCapablePaymentProvider, PaymentResult, PaymentState } from './payment-provider.ts';
import { expireOrdersAndCancelPayments, konbiniQueryWaitMs, reconcilePendingPayments } from './reconcile-payments.ts';

const log = pino({ level: 'silent' });
const GRACE_MS = 30 * 60_000;
const MIN = 60_000;

/** The scripted gateway, able to issue konbini numbers, counting status queries per transaction. */
class KonbiniScriptedGateway extends ScriptedGateway implements KonbiniCapablePaymentProvider {
  readonly konbiniReportGraceMs = GRACE_MS;
  readonly asked = new Map<string, number>();
  async createKonbiniPayment(input: CreateKonbiniPaymentInput): Promise<PaymentResult<CreatedKonbiniPayment>> {
    const created = await this.createPayment(input);
    if (!created.ok) return created;
    return { ok: true, value: { transactionId: created.value.transactionId, paymentNumber: '12345678901', confirmationNumber: '123456', store: 'familymart', expiresAt: input.expiresAt } };
  }
  override async getPayment(tx: string): Promise<PaymentResult<PaymentState>> {
    this.asked.set(tx, (this.asked.get(tx) ?? 0) + 1);
    return super.getPayment(tx);
  }
}

describeEachDatabase('konbini status queries on a growing wait', (database) => {
  let shop: TestShop;
  let gateway: KonbiniScriptedGateway;
  let now = new Date('2026-12-01T00:00:00.000Z');
  const at = (ms: number) => { now = new Date(ms); };

  beforeAll(async () => {
    gateway = new KonbiniScriptedGateway();
    shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, clock: () => now, jobPollMs: 0, velocityLimits: { perOrder: 100, perEmail: 1000, perIp: 1000, overall: 100_000 } });
    await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
    expect(await savePaymentSettings(shop.db.db, { ...DEFAULT_PAYMENT_SETTINGS, enabled: ['card', 'konbini'], konbiniDeadlineDays: 3 }, { actor: 'admin:1', now, konbiniSupported: true })).toEqual({ ok: true });
  });
  afterAll(async () => { await shop?.dispose(); });

  const place = async (paymentMethod: 'card' | 'konbini') => {
    const placed = await checkoutThroughStoreApi(shop, { customer: { paymentMethod, ...(paymentMethod === 'konbini' ? { konbiniStore: 'lawson' } : {}), email: `${paymentMethod}-${Math.random().toString(36).slice(2)}@example.jp` } });
    return { orderId: placed.orderId, tx: await paymentTransactionOf(shop.db.db, placed.orderId) };
  };
  const statusOf = async (orderId: string) => (await shop.db.db.selectFrom('orders').where('id', '=', orderId).select('status').executeTakeFirstOrThrow()).status;
  const reconcile = () => reconcilePendingPayments(shop.context, log);
  const stockOf = async () => (await shop.db.db.selectFrom('variants').where('id', '=', 1).select('stock').executeTakeFirstOrThrow()).stock;

  it('chooses waits of 5 min, doubling, capped at 6 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => konbiniQueryWaitMs(n) / MIN)).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360]);
  });

  it('asks once, not again within the wait, again after it; card orders on every run; last ask at deadline + grace, then expiry', async () => {
    const t0 = now.getTime();
    const konbini = await place('konbini');
    const paidLate = await place('konbini');
    const card = await place('card');
    const deadline = Date.parse((await shop.db.db.selectFrom('orders').where('id', '=', konbini.orderId).select('expires_at').executeTakeFirstOrThrow()).expires_at) - GRACE_MS;
    expect(deadline - t0).toBe(3 * 24 * 3600_000);
    expect(gateway.asked.get(konbini.tx)).toBeUndefined();

    at(t0 + 1 * MIN); // quiet for the job's minute: the first query
    await reconcile();
    expect(gateway.asked.get(konbini.tx)).toBe(1);
    const row = await shop.db.db.withTables<{ order_payment_methods: { order_id: string; status_asked_at: string | null; status_ask_count: number; status_next_ask_at: string | null } }>()
      .selectFrom('order_payment_methods').where('order_id', '=', konbini.orderId).select(['status_asked_at', 'status_ask_count', 'status_next_ask_at']).executeTakeFirstOrThrow();
    expect(row).toEqual({ status_asked_at: new Date(t0 + MIN).toISOString(), status_ask_count: 1, status_next_ask_at: new Date(t0 + 6 * MIN).toISOString() });

    for (const m of [2, 3, 4, 5]) { at(t0 + m * MIN + 59_000); await reconcile(); } // within the 5-minute wait
    expect(gateway.asked.get(konbini.tx)).toBe(1);
    expect(gateway.asked.get(card.tx)).toBe(5); // a card order: every run, as before

    at(t0 + 6 * MIN); // the wait has passed: asked again, now waiting 10 minutes
    await reconcile();
    expect(gateway.asked.get(konbini.tx)).toBe(2);
    at(t0 + 15 * MIN); await reconcile();
    expect(gateway.asked.get(konbini.tx)).toBe(2);
    at(t0 + 16 * MIN); await reconcile();
    expect(gateway.asked.get(konbini.tx)).toBe(3);

    // Three days of job runs every minute would be over 4,000 queries; a run per hour here still
    // asks only when the wait (capped at 6 hours) has passed.
    for (let t = t0 + 17 * MIN; t < deadline + GRACE_MS - MIN; t += 60 * MIN) { at(t); await expireOrdersAndCancelPayments(shop.context, log); await reconcile(); }
    const beforeLast = gateway.asked.get(konbini.tx)!;
    expect(beforeLast).toBeGreaterThan(3);
    expect(beforeLast).toBeLessThan(25);
    expect(await statusOf(konbini.orderId)).toBe('pending_payment'); // past the store deadline, inside the grace

    gateway.set(paidLate.tx, 'captured'); // the store's late report: the last query finds it paid
    const stock = await stockOf();
    at(deadline + GRACE_MS);
    const expired = await expireOrdersAndCancelPayments(shop.context, log);
    expect(gateway.asked.get(konbini.tx)).toBe(beforeLast + 1);
    expect(gateway.asked.get(paidLate.tx)).toBeGreaterThan(0);
    expect(expired).toContain(konbini.orderId);
    expect(expired).not.toContain(paidLate.orderId);
    expect(await statusOf(konbini.orderId)).toBe('expired');
    expect(await statusOf(paidLate.orderId)).toBe('paid');
    expect(await stockOf()).toBe(stock + 1); // the expired konbini order's unit is back
    const audit = await (shop.db.db as Kysely<any>).selectFrom('audit_log').where('action', '=', 'order.expired').where('target', '=', `order:${konbini.orderId}`).select('actor').execute();
    expect(audit).toHaveLength(1);
    expect(gateway.payments.get(konbini.tx)!.status).toBe('cancelled'); // the gateway's payment cancelled too

    await reconcile(); // nothing further to ask about the expired order
    expect(gateway.asked.get(konbini.tx)).toBe(beforeLast + 1);
  });

  it('a paid-at-store notification settles at any time, between queries and after the store deadline', async () => {
    const t0 = now.getTime();
    const early = await place('konbini');
    const late = await place('konbini');
    at(t0 + MIN); await reconcile();
    expect(gateway.asked.get(early.tx)).toBe(1);
    at(t0 + 2 * MIN); // inside the wait: no query, the notification alone settles
    const n = gateway.notification(gateway.set(early.tx, 'captured'));
    expect((await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body })).statusCode).toBe(200);
    expect(await statusOf(early.orderId)).toBe('paid');
    // One query more: the notification route's own confirmation of a claimed capture, which the
    // reconciliation wait does not hold back.
    expect(gateway.asked.get(early.tx)).toBe(2);

    at(t0 + 3 * 24 * 3600_000 + 10 * MIN); // past the store deadline, inside the grace
    expect(await expireOrdersAndCancelPayments(shop.context, log)).not.toContain(late.orderId);
    const m = gateway.notification(gateway.set(late.tx, 'captured'));
    expect((await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: m.headers, payload: m.body })).statusCode).toBe(200);
    expect(await statusOf(late.orderId)).toBe('paid');
  });
});
