import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturedPayment, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate;
beforeEach(async () => { t = await startTestPaygate(); });
afterEach(async () => { await t.close(); });

describe('refunds', () => {
  it('refunds partially, then the rest, never more than captured, notifying each time', async () => {
    const tx = await capturedPayment(t); // 12,800 yen
    const first = await t.api('POST', `/v1/payments/${tx}/refunds`, { amount: 3000 });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'partially_refunded', refundedAmount: 3000, refunded: 3000 });

    const tooMuch = await t.api('POST', `/v1/payments/${tx}/refunds`, { amount: 9801 });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'MAMORI_PAYGATE_REFUND_EXCEEDS_CAPTURED', detail: 'at most 9800 JPY can still be refunded' });

    const rest = await t.api('POST', `/v1/payments/${tx}/refunds`, {});
    expect(rest.json()).toMatchObject({ status: 'refunded', refundedAmount: 12_800, refunded: 9800 });

    const after = await t.api('POST', `/v1/payments/${tx}/refunds`, { amount: 1 });
    expect(after.json()).toMatchObject({ code: 'MAMORI_PAYGATE_PAYMENT_NOT_REFUNDABLE' });

    await t.paygate.deliverDueNotifications();
    const events = t.sent.map((s) => JSON.parse(s.body));
    expect(events.map((e) => [e.type, e.status, e.refundedAmount])).toEqual([
      ['payment.captured', 'captured', 0],
      ['payment.refunded', 'partially_refunded', 3000],
      ['payment.refunded', 'refunded', 12_800],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
  });

  it('refuses invalid refund amounts', async () => {
    const tx = await capturedPayment(t);
    for (const amount of [0, -5, 1.5, '100']) {
      const res = await t.api('POST', `/v1/payments/${tx}/refunds`, { amount });
      expect(res.statusCode).toBe(400);
    }
  });

  it('concurrent refunds can never exceed the captured amount', async () => {
    const tx = await capturedPayment(t);
    const results = await Promise.all(Array.from({ length: 10 }, () => t.api('POST', `/v1/payments/${tx}/refunds`, { amount: 2000 })));
    const ok = results.filter((r) => r.statusCode === 201).length;
    expect(ok).toBe(6); // 6 × 2000 ≤ 12,800 < 7 × 2000
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ refundedAmount: 12_000, status: 'partially_refunded' });
  });

  it('another merchant cannot refund the payment', async () => {
    const tx = await capturedPayment(t);
    const other = await t.paygate.provisionMerchant({ name: 'Other shop' });
    const { createSignedRequestHeaders } = await import('../platform/hmac-request-signing.ts');
    const url = `/v1/payments/${tx}/refunds`;
    const headers = createSignedRequestHeaders({ keyId: other.merchantId, secret: other.secret, method: 'POST', path: url, body: '{}', now: t.clock.now });
    const res = await t.paygate.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(404);
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ refundedAmount: 0 });
  });

  it('a captured payment cannot be cancelled (refund it instead)', async () => {
    const tx = await capturedPayment(t);
    const res = await t.api('POST', `/v1/payments/${tx}/cancel`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_PAYMENT_NOT_CANCELLABLE' });
  });
});
