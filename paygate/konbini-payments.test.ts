// コンビニ決済 in the sandbox: the merchant API issues a number, store and deadline; the hosted card
// page refuses the payment; the simulated store terminal needs the inspection token, pays once
// (one signed `payment.captured` notification, however often the number is paid) and refuses an
// expired payment, which the expiry sweep has notified as expired.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyEventSignature, SIGNED_EVENT_HEADERS } from '../platform/hmac-event-signing.ts';
import { paymentRequest, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate;
const TOKEN = 'sandbox-inspection-token-for-konbini-tests-0001';
beforeEach(async () => { t = await startTestPaygate({ sandboxInspectionToken: TOKEN }); });
afterEach(async () => { await t.close(); });

const inDays = (d: number) => new Date(t.clock.now.getTime() + d * 24 * 3600_000).toISOString();
async function createKonbini(overrides: Record<string, unknown> = {}) {
  const res = await t.api('POST', '/v1/konbini-payments', { ...paymentRequest(), expiresAt: inDays(3), store: 'lawson', ...overrides });
  expect(res.statusCode).toBe(201);
  return res.json() as { transactionId: string; paymentNumber: string; confirmationNumber: string | null; store: string; expiresAt: string; status: string; amount: number };
}
const pay = (paymentNumber: string, opts: { token?: string | null; json?: boolean } = {}) => t.paygate.app.inject({
  method: 'POST', url: '/_sandbox/konbini/pay',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.json ? { accept: 'application/json' } : {}) },
  payload: new URLSearchParams({ paymentNumber, ...(opts.token === null ? {} : { token: opts.token ?? TOKEN }), ...(opts.json ? { format: 'json' } : {}) }).toString(),
});

describe('konbini payments in the sandbox gateway', () => {
  it('issues an 11-digit number, a confirmation number, the store and the deadline; the card page refuses the payment', async () => {
    const k = await createKonbini();
    expect(k).toMatchObject({ status: 'pending', store: 'lawson', amount: 12_800, expiresAt: inDays(3) });
    expect(k.paymentNumber).toMatch(/^\d{11}$/);
    expect(k.confirmationNumber).toMatch(/^\d{6}$/);
    const state = (await t.api('GET', `/v1/payments/${k.transactionId}`)).json();
    expect(state).toMatchObject({ status: 'pending', method: 'konbini', konbini: { store: 'lawson', paymentNumber: k.paymentNumber }, card: null });
    expect((await t.paygate.app.inject({ method: 'GET', url: `/pay/${k.transactionId}` })).statusCode).toBe(404);
    const post = await t.paygate.app.inject({ method: 'POST', url: `/pay/${k.transactionId}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'cardNumber=4242424242424242' });
    expect(post.statusCode).not.toBe(303);
    expect((await t.api('GET', `/v1/payments/${k.transactionId}`)).json().status).toBe('pending');
  });

  it('issues no confirmation number for Seven-Eleven (its terminal takes the slip number alone)', async () => {
    const k = await createKonbini({ store: 'seven-eleven' });
    expect(k).toMatchObject({ store: 'seven-eleven', confirmationNumber: null });
    expect(k.paymentNumber).toMatch(/^\d{11}$/);
    expect((await createKonbini({ store: 'familymart' })).confirmationNumber).toMatch(/^\d{6}$/);
  });

  it('refuses a deadline in the past or beyond 60 days, and an unsigned request', async () => {
    for (const expiresAt of [inDays(-1), inDays(61), 'tomorrow']) {
      const r = await t.api('POST', '/v1/konbini-payments', { ...paymentRequest(), expiresAt });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const unsigned = await t.paygate.app.inject({ method: 'POST', url: '/v1/konbini-payments', payload: { ...paymentRequest(), expiresAt: inDays(3) } });
    expect(unsigned.statusCode).toBe(401);
  });

  it('pays at the store only with the inspection token, once, with one signed captured notification', async () => {
    const k = await createKonbini();
    expect((await pay(k.paymentNumber, { token: null })).statusCode).toBe(401);
    expect((await pay(k.paymentNumber, { token: 'wrong-token-wrong-token-wrong-token-00' })).statusCode).toBe(401);
    expect((await t.paygate.app.inject({ method: 'GET', url: '/_sandbox/konbini' })).statusCode).toBe(401);
    const terminal = await t.paygate.app.inject({ method: 'GET', url: '/_sandbox/konbini', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(terminal.statusCode).toBe(200);
    expect(terminal.body).toContain(k.paymentNumber);
    await t.paygate.deliverDueNotifications();
    expect(t.sent).toHaveLength(0);

    const first = await pay(k.paymentNumber, { json: true });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ outcome: 'paid', transactionId: k.transactionId, status: 'captured' });
    const again = await pay(k.paymentNumber);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('was already paid');
    await t.paygate.deliverDueNotifications();
    expect(t.sent).toHaveLength(1);
    const n = t.sent[0]!;
    expect(n.url).toBe(paymentRequest().notificationUrl);
    expect(JSON.parse(n.body)).toMatchObject({ type: 'payment.captured', transactionId: k.transactionId, status: 'captured', amount: 12_800, orderReference: 'MMR-000123' });
    const check = verifyEventSignature({
      secret: t.secret, timestamp: n.headers[SIGNED_EVENT_HEADERS.timestamp]!, eventId: n.headers[SIGNED_EVENT_HEADERS.eventId]!,
      body: Buffer.from(n.body), signature: n.headers[SIGNED_EVENT_HEADERS.signature]!, now: t.clock.now,
    });
    expect(check.ok).toBe(true);
    expect((await pay('00000000000', { json: true })).statusCode).toBe(404);
  });

  it('an unpaid number expires at its deadline (notified as expired) and can no longer be paid', async () => {
    const k = await createKonbini({ expiresAt: inDays(2) });
    t.clock.advance(2 * 24 * 3600_000 + 1000);
    expect(await t.paygate.expireDuePayments()).toBe(1);
    const r = await pay(k.paymentNumber, { json: true });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual({ error: 'PAYMENT_NOT_PAYABLE', status: 'expired' });
    await t.paygate.deliverDueNotifications();
    expect(t.sent.map((s) => JSON.parse(s.body).type)).toEqual(['payment.expired']);
  });
});
