import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paymentRequest, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate;
beforeEach(async () => { t = await startTestPaygate(); });
afterEach(async () => { await t.close(); });

async function createPayment(overrides: Record<string, unknown> = {}) {
  const res = await t.api('POST', '/v1/payments', paymentRequest(overrides));
  expect(res.statusCode).toBe(201);
  return res.json() as { transactionId: string; redirectUrl: string; status: string };
}

describe('merchant API authentication', () => {
  it('creates a payment for a correctly signed request', async () => {
    const created = await createPayment();
    expect(created.transactionId).toMatch(/^tx_[0-9a-f]{24}$/);
    expect(created.redirectUrl).toBe(`http://127.0.0.1:3100/pay/${created.transactionId}`);
    expect(created.status).toBe('pending');
  });

  it('refuses a request without signature headers as problem+json', async () => {
    const res = await t.paygate.app.inject({ method: 'POST', url: '/v1/payments', payload: paymentRequest() });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'MAMORI_PAYGATE_SIGNATURE_MISSING', type: 'urn:mamori:paygate:problem:signature-missing' });
  });

  it('refuses a bad signature (wrong secret)', async () => {
    const res = await t.api('POST', '/v1/payments', paymentRequest(), { secret: 'sk_sandbox_not-the-secret-0000000000000000' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_BAD_SIGNATURE' });
  });

  it('refuses a body changed after signing', async () => {
    const { createSignedRequestHeaders } = await import('../platform/hmac-request-signing.ts');
    const headers = createSignedRequestHeaders({ keyId: t.merchantId, secret: t.secret, method: 'POST', path: '/v1/payments', body: JSON.stringify(paymentRequest()), now: t.clock.now });
    const res = await t.paygate.app.inject({ method: 'POST', url: '/v1/payments', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(paymentRequest({ amount: 1 })) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_BAD_SIGNATURE' });
  });

  it('refuses a stale timestamp (more than 5 minutes off)', async () => {
    const res = await t.api('POST', '/v1/payments', paymentRequest(), { now: new Date(t.clock.now.getTime() - 6 * 60_000) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_STALE_TIMESTAMP' });
  });

  it('refuses a replay of the exact same signed request within the window', async () => {
    const nonce = 'a'.repeat(32);
    const first = await t.api('POST', '/v1/payments', paymentRequest(), { nonce });
    expect(first.statusCode).toBe(201);
    const replay = await t.api('POST', '/v1/payments', paymentRequest(), { nonce });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'MAMORI_PAYGATE_REPLAYED_REQUEST' });
  });

  it('refuses an unknown merchant', async () => {
    const res = await t.paygate.app.inject({ method: 'GET', url: '/v1/payments/tx_000000000000000000000000', headers: { 'x-mamori-merchant': 'mch_nobody', 'x-mamori-timestamp': '1', 'x-mamori-nonce': 'b'.repeat(32), 'x-mamori-signature': 'c'.repeat(64) } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_UNKNOWN_MERCHANT' });
  });

  it('does not let one merchant read another merchant\'s payment', async () => {
    const created = await createPayment();
    const other = await t.paygate.provisionMerchant({ name: 'Other shop' });
    const { createSignedRequestHeaders } = await import('../platform/hmac-request-signing.ts');
    const url = `/v1/payments/${created.transactionId}`;
    const headers = createSignedRequestHeaders({ keyId: other.merchantId, secret: other.secret, method: 'GET', path: url, body: '', now: t.clock.now });
    const res = await t.paygate.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(404);
  });
});

describe('merchant API payments', () => {
  it.each([
    [{ amount: 0 }],
    [{ amount: 12.5 }],
    [{ currency: 'USD' }],
    [{ returnUrl: 'javascript:alert(1)' }],
    [{ notificationUrl: 'ftp://127.0.0.1/x' }],
    [{ orderReference: 'has spaces' }],
    [{ description: '' }],
  ])('refuses an invalid create request %j with field errors', async (change) => {
    const res = await t.api('POST', '/v1/payments', paymentRequest(change));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_INVALID_REQUEST' });
    expect(res.json().errors.length).toBeGreaterThan(0);
  });

  it('refuses URLs outside the merchant\'s registered origins', async () => {
    const m = await t.paygate.registerMerchant({ merchantId: 'mch_restricted', secret: 'sk_sandbox_restricted_restricted_restricted', name: 'Restricted', allowedReturnOrigins: ['http://127.0.0.1:3000'] });
    const { createSignedRequestHeaders } = await import('../platform/hmac-request-signing.ts');
    const body = JSON.stringify(paymentRequest({ returnUrl: 'http://evil.example/return' }));
    const headers = createSignedRequestHeaders({ keyId: m.merchantId, secret: m.secret, method: 'POST', path: '/v1/payments', body, now: t.clock.now });
    const res = await t.paygate.app.inject({ method: 'POST', url: '/v1/payments', headers: { ...headers, 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_URL_ORIGIN_NOT_ALLOWED' });
  });

  it('returns status, cancels a pending payment once (idempotent) and notifies', async () => {
    const { transactionId } = await createPayment();
    const status = await t.api('GET', `/v1/payments/${transactionId}`);
    expect(status.json()).toMatchObject({ transactionId, orderReference: 'MMR-000123', status: 'pending', amount: 12_800, currency: 'JPY', refundedAmount: 0, card: null });
    const cancel = await t.api('POST', `/v1/payments/${transactionId}/cancel`);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    const again = await t.api('POST', `/v1/payments/${transactionId}/cancel`);
    expect(again.json()).toMatchObject({ status: 'cancelled' });
    await t.paygate.deliverDueNotifications();
    expect(t.sent.map((s) => JSON.parse(s.body).type)).toEqual(['payment.cancelled']);
  });

  it('expires a pending payment after its time and notifies once', async () => {
    const { transactionId } = await createPayment();
    t.clock.advance(31 * 60_000);
    const status = await t.api('GET', `/v1/payments/${transactionId}`);
    expect(status.json()).toMatchObject({ status: 'expired' });
    await t.api('GET', `/v1/payments/${transactionId}`);
    // reconciliation may cancel an expired payment without checking first: a no-op that answers its state
    const cancel = await t.api('POST', `/v1/payments/${transactionId}/cancel`);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'expired' });
    await t.paygate.deliverDueNotifications();
    expect(t.sent.map((s) => JSON.parse(s.body).type)).toEqual(['payment.expired']);
  });

  it('expires abandoned payments in the sweep, without anyone asking', async () => {
    const { transactionId } = await createPayment();
    expect(await t.paygate.expireDuePayments()).toBe(0);
    t.clock.advance(30 * 60_000);
    expect(await t.paygate.expireDuePayments()).toBe(1);
    expect(await t.paygate.expireDuePayments()).toBe(0);
    expect((await t.api('GET', `/v1/payments/${transactionId}`)).json()).toMatchObject({ status: 'expired' });
  });

  it('returns 404 problem for an unknown or malformed transaction id', async () => {
    expect((await t.api('GET', '/v1/payments/tx_ffffffffffffffffffffffff')).statusCode).toBe(404);
    expect((await t.api('GET', '/v1/payments/../../etc')).statusCode).toBe(404);
    expect((await t.api('GET', '/v1/nope')).json()).toMatchObject({ code: 'MAMORI_PAYGATE_ROUTE_NOT_FOUND' });
  });

  it('refuses to refund a payment that was not captured', async () => {
    const { transactionId } = await createPayment();
    const res = await t.api('POST', `/v1/payments/${transactionId}/refunds`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MAMORI_PAYGATE_PAYMENT_NOT_REFUNDABLE' });
  });
});
