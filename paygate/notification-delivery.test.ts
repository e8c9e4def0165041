import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_RETRY_POLICY, notificationRetryDelayMs } from './notification-delivery.ts';
import { paymentRequest, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

async function cancelledPayment(tp: TestPaygate): Promise<string> {
  const { transactionId } = (await tp.api('POST', '/v1/payments', paymentRequest())).json() as { transactionId: string };
  await tp.api('POST', `/v1/payments/${transactionId}/cancel`);
  return transactionId;
}

async function log(tp: TestPaygate) {
  const res = await tp.paygate.app.inject({ method: 'GET', url: '/_sandbox/notifications?format=json', headers: { authorization: `Bearer ${tp.paygate.sandboxInspectionToken}` } });
  return res.json() as { counts: Record<string, number>; notifications: Array<{ status: string; attempts: number; lastResponseStatus: number | null; nextAttemptAt: string | null }> };
}

describe('notificationRetryDelayMs', () => {
  it('doubles from the base delay and caps at the maximum', () => {
    const policy = { ...DEFAULT_NOTIFICATION_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => notificationRetryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('notification delivery', () => {
  it('retries with exponential backoff until the receiver answers 2xx', async () => {
    t = await startTestPaygate();
    const answers = [500, 503, 200];
    t.receiverStatus = () => answers.shift() ?? 200;
    await cancelledPayment(t);

    expect(await t.paygate.deliverDueNotifications()).toBe(1); // attempt 1 → 500
    expect((await log(t)).notifications[0]).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500, nextAttemptAt: new Date(t.clock.now.getTime() + 1000).toISOString() });
    expect(await t.paygate.deliverDueNotifications()).toBe(0); // not due yet
    t.clock.advance(1000);
    expect(await t.paygate.deliverDueNotifications()).toBe(1); // attempt 2 → 503, next in 2 s
    expect((await log(t)).notifications[0]).toMatchObject({ attempts: 2, nextAttemptAt: new Date(t.clock.now.getTime() + 2000).toISOString() });
    t.clock.advance(1999);
    expect(await t.paygate.deliverDueNotifications()).toBe(0);
    t.clock.advance(1);
    expect(await t.paygate.deliverDueNotifications()).toBe(1); // attempt 3 → 200
    expect((await log(t)).notifications[0]).toMatchObject({ status: 'delivered', attempts: 3, lastResponseStatus: 200, nextAttemptAt: null });

    // same event id and same body bytes on every attempt; each attempt signed with its own timestamp
    expect(new Set(t.sent.map((s) => s.headers['x-mamori-event-id'])).size).toBe(1);
    expect(new Set(t.sent.map((s) => s.body)).size).toBe(1);
    expect(t.sent.map((s) => Number(s.headers['x-mamori-timestamp']))).toEqual([0, 1, 3].map((d) => Math.floor(new Date('2026-11-25T03:00:00Z').getTime() / 1000) + d));
  });

  it('gives up after the bounded number of attempts and shows it on the status page', async () => {
    t = await startTestPaygate();
    t.receiverStatus = 500;
    await cancelledPayment(t);
    for (let i = 0; i < 10; i++) {
      await t.paygate.deliverDueNotifications();
      t.clock.advance(60_000);
    }
    expect(t.sent).toHaveLength(4); // maxAttempts in the fixture
    const l = await log(t);
    expect(l.counts).toEqual({ failed: 1 });
    expect(l.notifications[0]).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
    const page = await t.paygate.app.inject({ method: 'GET', url: `/_sandbox/notifications?token=${t.paygate.sandboxInspectionToken}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('given up');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('retries pending notifications at once when the gateway restarts', async () => {
    t = await startTestPaygate();
    t.receiverStatus = 500;
    await cancelledPayment(t);
    for (let i = 0; i < 3; i++) {
      await t.paygate.deliverDueNotifications();
      t.clock.advance(1000);
    }
    expect((await log(t)).notifications[0]).toMatchObject({ status: 'pending', attempts: 2 }); // next attempt 2 s after the second
    await t.paygate.close();
    const { buildPaygate } = await import('./server.ts');
    const { createLogger } = await import('../platform/create-logger.ts');
    const sent: string[] = [];
    const restarted = await buildPaygate({ dbFile: t.dbFile, clock: () => t!.clock.now, notificationPollIntervalMs: 0, expirySweepIntervalMs: 0, log: createLogger({ name: 'x', level: 'silent' }), notifyFetch: async (_url, init) => { sent.push(init.body); return { status: 200 }; } });
    expect(await restarted.deliverDueNotifications()).toBe(1);
    expect(sent).toHaveLength(1);
    t.paygate = restarted; // closed by afterEach
  });

  it('treats a network failure like a non-2xx answer', async () => {
    t = await startTestPaygate({ notifyFetch: async () => { throw new TypeError('fetch failed'); } });
    await cancelledPayment(t);
    await t.paygate.deliverDueNotifications();
    expect((await log(t)).notifications[0]).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null });
  });
});
