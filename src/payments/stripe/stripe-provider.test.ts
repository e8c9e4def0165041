// Offline tests of the Stripe Checkout adapter: webhooks signed with the SDK's own test helper,
// API calls answered by a local HTTP server that stands in for api.stripe.com. Nothing here
// reaches Stripe; see README.md for what that leaves unproven.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StripePaymentProvider, type StripeProviderConfig } from './stripe-provider.ts';

const now = new Date('2026-11-25T03:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
const secretKey = 'sk_test_51MamoriOfflineOnly0123456789abcdefghijklmnopqrstuvwxyz';
const webhookSecret = 'whsec_mamori_offline_test_secret_0123456789';

const input = {
  orderReference: 'MMR-1001',
  amount: 12_800,
  currency: 'JPY' as const,
  returnUrl: 'https://shop.example.jp/checkout/return?order=MMR-1001',
  cancelUrl: 'https://shop.example.jp/checkout/cancel?order=MMR-1001',
  notificationUrl: 'https://shop.example.jp/payments/stripe/notifications',
  description: 'Order MMR-1001',
  customerEmail: 'hanako@example.jp',
  locale: 'ja' as const,
};

/** A Checkout Session as Stripe's API returns it, trimmed to what matters plus a little noise. */
function session(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cs_test_a1',
    object: 'checkout.session',
    mode: 'payment',
    status: 'open',
    payment_status: 'unpaid',
    amount_total: 12_800,
    amount_subtotal: 12_800,
    currency: 'jpy',
    client_reference_id: 'MMR-1001',
    metadata: { orderReference: 'MMR-1001' },
    url: 'https://checkout.stripe.com/c/pay/cs_test_a1#fidkdWxOYHwnPyd1blpxYHZxWjA0',
    payment_intent: null,
    livemode: false,
    ...overrides,
  };
}

function paymentIntent(status: string, amountRefunded: number | null) {
  return {
    id: 'pi_test_1',
    object: 'payment_intent',
    status,
    amount: 12_800,
    latest_charge: amountRefunded === null ? null : { id: 'ch_test_1', object: 'charge', amount: 12_800, amount_refunded: amountRefunded },
  };
}

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

type FakeAnswer = { status: number; body: unknown } | 'hang';

/** Stands in for api.stripe.com on 127.0.0.1: records each request, answers from `answer`. */
class FakeStripeApi {
  readonly requests: RecordedRequest[] = [];
  answer: (req: RecordedRequest) => FakeAnswer = () => ({ status: 500, body: { error: { type: 'api_error', message: 'no answer set' } } });
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
      this.requests.push(recorded);
      const answer = this.answer(recorded);
      if (answer === 'hang') return; // never answers: the client's timeout must fire
      res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': `req_${this.requests.length}` });
      res.end(JSON.stringify(answer.body));
    });
  });

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  async stop() {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

const fake = new FakeStripeApi();
let port = 0;
beforeAll(async () => { port = await fake.start(); });
afterAll(() => fake.stop());
beforeEach(() => { fake.requests.length = 0; });

function provider(overrides: Partial<StripeProviderConfig> = {}) {
  return new StripePaymentProvider({
    secretKey, webhookSecret, apiHost: '127.0.0.1', apiPort: port, apiProtocol: 'http', clock: () => now,
    maxNetworkRetries: 0, requestTimeoutMs: 2_000, ...overrides,
  });
}

const stripeError = (status: number, type: string, message: string, code?: string) => ({ status, body: { error: { type, message, ...(code ? { code } : {}) } } });

describe('StripePaymentProvider.createPayment', () => {
  it('creates a JPY Checkout Session for the order and returns its id and hosted page', async () => {
    fake.answer = () => ({ status: 200, body: session() });
    const r = await provider().createPayment(input);
    expect(r).toEqual({ ok: true, value: { transactionId: 'cs_test_a1', redirectUrl: session().url } });

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/checkout/sessions');
    expect(req.headers.authorization).toBe(`Bearer ${secretKey}`);
    expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(req.form)).toEqual({
      mode: 'payment',
      currency: 'jpy',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'jpy',
      'line_items[0][price_data][unit_amount]': '12800', // zero-decimal: yen as-is, not ×100
      'line_items[0][price_data][product_data][name]': 'Order MMR-1001',
      client_reference_id: 'MMR-1001',
      'metadata[orderReference]': 'MMR-1001',
      'payment_intent_data[metadata][orderReference]': 'MMR-1001',
      success_url: input.returnUrl,
      cancel_url: input.cancelUrl,
      locale: 'ja',
      customer_email: 'hanako@example.jp',
    });
  });

  it('sends English locale when asked and leaves out an absent e-mail', async () => {
    fake.answer = () => ({ status: 200, body: session() });
    const { customerEmail: _omitted, ...withoutEmail } = input;
    await provider().createPayment({ ...withoutEmail, locale: 'en' });
    expect(fake.requests[0]!.form.get('locale')).toBe('en');
    expect(fake.requests[0]!.form.has('customer_email')).toBe(false);
  });

  it('refuses a hosted page on any origin but checkout.stripe.com, or none at all', async () => {
    fake.answer = () => ({ status: 200, body: session({ url: 'https://checkout.stripe.com.phish.example/c/pay/cs_test_a1' }) });
    expect(await provider().createPayment(input)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
    fake.answer = () => ({ status: 200, body: session({ url: null }) });
    expect(await provider().createPayment(input)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
  });

  it('exposes Stripe Checkout as the hosted page origin for the shop CSP', () => {
    expect(provider().name).toBe('stripe');
    expect(provider().checkoutOrigin).toBe('https://checkout.stripe.com');
  });
});

describe('StripePaymentProvider error mapping (never throws for expected failures)', () => {
  it.each<[string, FakeAnswer, string]>([
    ['HTTP 400 invalid request', stripeError(400, 'invalid_request_error', 'Invalid URL: success_url', 'url_invalid'), 'GATEWAY_REJECTED'],
    ['HTTP 401 bad key', stripeError(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_****wxyz'), 'GATEWAY_REJECTED'],
    ['HTTP 402 card error', stripeError(402, 'card_error', 'Your card was declined.', 'card_declined'), 'GATEWAY_REJECTED'],
    ['HTTP 404 resource_missing', stripeError(404, 'invalid_request_error', "No such checkout.session: 'cs_test_nope'", 'resource_missing'), 'NOT_FOUND'],
    ['HTTP 429 rate limit', stripeError(429, 'invalid_request_error', 'Too many requests', 'rate_limit'), 'GATEWAY_UNAVAILABLE'],
    ['HTTP 500 api error', stripeError(500, 'api_error', 'Something went wrong on Stripe’s end.'), 'GATEWAY_UNAVAILABLE'],
    ['2xx with an unexpected body', { status: 200, body: { object: 'list', data: [] } }, 'GATEWAY_UNAVAILABLE'],
  ])('%s → %s', async (_name, answer, error) => {
    fake.answer = () => answer;
    expect(await provider().getPayment('cs_test_nope')).toMatchObject({ ok: false, error });
  });

  it('a closed port → GATEWAY_UNAVAILABLE', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const r = await provider({ apiPort: closedPort, requestTimeoutMs: 500 }).createPayment(input);
    expect(r).toMatchObject({ ok: false, error: 'GATEWAY_UNAVAILABLE' });
  });

  it('a gateway that never answers → GATEWAY_UNAVAILABLE after the timeout', async () => {
    fake.answer = () => 'hang';
    const started = Date.now();
    const r = await provider({ requestTimeoutMs: 300 }).createPayment(input);
    expect(r).toMatchObject({ ok: false, error: 'GATEWAY_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('never puts the secret key or webhook secret in a failure detail or the provider object', async () => {
    fake.answer = () => stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${secretKey} (also ${webhookSecret})`);
    const r = await provider().getPayment('cs_test_a1');
    expect(r.ok).toBe(false);
    const detail = r.ok ? '' : r.detail;
    expect(detail).toContain('[redacted key]');
    expect(detail).not.toContain(secretKey);
    expect(detail).not.toContain('sk_test_');
    expect(detail).not.toContain(webhookSecret);
    const p = provider();
    for (const shown of [inspect(p, { depth: 10, showHidden: true }), JSON.stringify(p), String(p)]) {
      expect(shown).not.toContain(secretKey);
      expect(shown).not.toContain(webhookSecret);
    }
  });
});

describe('StripePaymentProvider.getPayment', () => {
  it('retrieves the session with its payment intent and latest charge expanded', async () => {
    fake.answer = () => ({ status: 200, body: session({ status: 'complete', payment_status: 'paid', payment_intent: paymentIntent('succeeded', 0) }) });
    const r = await provider().getPayment('cs_test_a1');
    expect(r).toEqual({ ok: true, value: { transactionId: 'cs_test_a1', orderReference: 'MMR-1001', status: 'captured', amount: 12_800, currency: 'JPY', refundedAmount: 0 } });
    const req = fake.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v1/checkout/sessions/cs_test_a1');
    expect(req.query.getAll('expand[0]')).toEqual(['payment_intent.latest_charge']);
    expect(req.headers.authorization).toBe(`Bearer ${secretKey}`);
  });

  it.each<[string, Record<string, unknown>, string, number]>([
    ['open session', {}, 'pending', 0],
    ['complete and paid', { status: 'complete', payment_status: 'paid', payment_intent: paymentIntent('succeeded', 0) }, 'captured', 0],
    ['complete and paid, intent not expanded', { status: 'complete', payment_status: 'paid', payment_intent: 'pi_test_1' }, 'captured', 0],
    ['complete, async payment still processing', { status: 'complete', payment_status: 'unpaid', payment_intent: paymentIntent('requires_action', null) }, 'pending', 0],
    ['complete, async payment failed', { status: 'complete', payment_status: 'unpaid', payment_intent: paymentIntent('requires_payment_method', null) }, 'declined', 0],
    ['expired', { status: 'expired' }, 'expired', 0],
    ['partially refunded', { status: 'complete', payment_status: 'paid', payment_intent: paymentIntent('succeeded', 2_800) }, 'partially_refunded', 2_800],
    ['fully refunded', { status: 'complete', payment_status: 'paid', payment_intent: paymentIntent('succeeded', 12_800) }, 'refunded', 12_800],
  ])('%s → %s', async (_name, overrides, status, refundedAmount) => {
    fake.answer = () => ({ status: 200, body: session(overrides) });
    expect(await provider().getPayment('cs_test_a1')).toMatchObject({ ok: true, value: { status, refundedAmount } });
  });

  it('an unknown session id → NOT_FOUND', async () => {
    fake.answer = () => stripeError(404, 'invalid_request_error', "No such checkout.session: 'cs_test_nope'", 'resource_missing');
    expect(await provider().getPayment('cs_test_nope')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    expect(fake.requests[0]!.path).toBe('/v1/checkout/sessions/cs_test_nope');
  });
});

describe('StripePaymentProvider.cancelPayment', () => {
  it('expires the open session', async () => {
    fake.answer = () => ({ status: 200, body: session({ status: 'expired', url: null }) });
    expect(await provider().cancelPayment('cs_test_a1')).toMatchObject({ ok: true, value: { transactionId: 'cs_test_a1', status: 'expired' } });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/checkout/sessions/cs_test_a1/expire']);
  });

  it('a session Stripe will not expire (already complete) → GATEWAY_REJECTED', async () => {
    fake.answer = () => stripeError(400, 'invalid_request_error', 'Only Checkout Sessions with a status in ["open"] can be expired.');
    expect(await provider().cancelPayment('cs_test_a1')).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
  });
});

describe('StripePaymentProvider.refundPayment', () => {
  const paid = (refunded: number) => session({ status: 'complete', payment_status: 'paid', payment_intent: paymentIntent('succeeded', refunded) });
  const answerRefund = (sessionBody: unknown, refundAmount: number) => (req: RecordedRequest): FakeAnswer =>
    req.path === '/v1/refunds'
      ? { status: 200, body: { id: 're_test_1', object: 'refund', amount: refundAmount, payment_intent: 'pi_test_1', status: 'succeeded', currency: 'jpy' } }
      : { status: 200, body: sessionBody };

  it('refunds part of the payment intent behind the session and reports the new state', async () => {
    fake.answer = answerRefund(paid(0), 2_800);
    const r = await provider().refundPayment('cs_test_a1', 2_800);
    expect(r).toEqual({ ok: true, value: { transactionId: 'cs_test_a1', orderReference: 'MMR-1001', status: 'partially_refunded', amount: 12_800, currency: 'JPY', refundedAmount: 2_800 } });
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/checkout/sessions/cs_test_a1', 'POST /v1/refunds']);
    const refundRequest = fake.requests[1]!;
    expect(Object.fromEntries(refundRequest.form)).toEqual({ payment_intent: 'pi_test_1', amount: '2800' });
    expect(refundRequest.headers['idempotency-key']).toBe('mamori-refund-cs_test_a1-0-2800');
    expect(refundRequest.headers.authorization).toBe(`Bearer ${secretKey}`);
  });

  it('refunds the rest in full when no amount is given', async () => {
    fake.answer = answerRefund(paid(2_800), 10_000);
    const r = await provider().refundPayment('cs_test_a1');
    expect(r).toMatchObject({ ok: true, value: { status: 'refunded', refundedAmount: 12_800 } });
    expect(Object.fromEntries(fake.requests[1]!.form)).toEqual({ payment_intent: 'pi_test_1' });
    expect(fake.requests[1]!.headers['idempotency-key']).toBe('mamori-refund-cs_test_a1-2800-full');
  });

  it('does not ask Stripe to refund a session that was never paid', async () => {
    fake.answer = () => ({ status: 200, body: session() });
    expect(await provider().refundPayment('cs_test_a1', 100)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
    expect(fake.requests.map((q) => q.path)).toEqual(['/v1/checkout/sessions/cs_test_a1']);
  });

  it('passes on Stripe refusing the refund (more than was paid)', async () => {
    fake.answer = (req) => req.path === '/v1/refunds'
      ? stripeError(400, 'invalid_request_error', 'Refund amount (¥20,000) is greater than charge amount (¥12,800)', 'amount_too_large')
      : { status: 200, body: paid(0) };
    expect(await provider().refundPayment('cs_test_a1', 20_000)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
  });

  it('an unknown session → NOT_FOUND', async () => {
    fake.answer = () => stripeError(404, 'invalid_request_error', "No such checkout.session: 'cs_test_nope'", 'resource_missing');
    expect(await provider().refundPayment('cs_test_nope', 100)).toMatchObject({ ok: false, error: 'NOT_FOUND' });
  });
});

describe('StripePaymentProvider.verifyNotification', () => {
  const p = provider();
  const event = (type: string, sessionOverrides: Record<string, unknown> = {}, id = 'evt_test_1') =>
    JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', created: nowSeconds - 2, livemode: false, type, data: { object: session(sessionOverrides) } });
  const signed = (payload: string, options: { secret?: string; timestamp?: number } = {}) => ({
    headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret, timestamp: options.timestamp ?? nowSeconds }), 'content-type': 'application/json' },
    rawBody: Buffer.from(payload),
  });

  it('accepts a signed checkout.session.completed (paid) as a trusted capture', async () => {
    const r = await p.verifyNotification(signed(event('checkout.session.completed', { status: 'complete', payment_status: 'paid', payment_intent: 'pi_test_1' })));
    expect(r).toEqual({
      ok: true,
      value: { eventId: 'evt_test_1', transactionId: 'cs_test_a1', orderReference: 'MMR-1001', status: 'captured', amount: 12_800, currency: 'JPY', trusted: true, occurredAt: new Date((nowSeconds - 2) * 1000) },
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['checkout.session.completed', { status: 'complete', payment_status: 'unpaid' }, 'pending'],
    ['checkout.session.async_payment_succeeded', { status: 'complete', payment_status: 'paid' }, 'captured'],
    ['checkout.session.async_payment_failed', { status: 'complete', payment_status: 'unpaid' }, 'declined'],
    ['checkout.session.expired', { status: 'expired', url: null }, 'expired'],
  ])('%s (%o) → %s', async (type, overrides, status) => {
    const r = await p.verifyNotification(signed(event(type, overrides, `evt_${type}`)));
    expect(r).toMatchObject({ ok: true, value: { eventId: `evt_${type}`, transactionId: 'cs_test_a1', status, trusted: true } });
  });

  it('falls back to metadata.orderReference when client_reference_id is absent', async () => {
    const r = await p.verifyNotification(signed(event('checkout.session.completed', { status: 'complete', payment_status: 'paid', client_reference_id: null })));
    expect(r).toMatchObject({ ok: true, value: { orderReference: 'MMR-1001' } });
  });

  it('refuses a wrong signature, a tampered body and another endpoint’s secret → BAD_SIGNATURE', async () => {
    const good = signed(event('checkout.session.completed', { status: 'complete', payment_status: 'paid' }));
    const forged = good.headers['stripe-signature'].replace(/v1=[0-9a-f]+/, `v1=${'f'.repeat(64)}`);
    expect(await p.verifyNotification({ ...good, headers: { 'stripe-signature': forged } })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    const tampered = Buffer.from(good.rawBody.toString().replace('"amount_total":12800', '"amount_total":1'));
    expect(await p.verifyNotification({ headers: good.headers, rawBody: tampered })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    const otherSecret = signed(good.rawBody.toString(), { secret: 'whsec_someone_elses_endpoint_secret_00000' });
    expect(await p.verifyNotification(otherSecret)).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    expect(await p.verifyNotification({ headers: { 'stripe-signature': 'nonsense' }, rawBody: good.rawBody })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
  });

  it('refuses a correctly signed notification whose timestamp is 10 minutes old → STALE_TIMESTAMP', async () => {
    const stale = signed(event('checkout.session.completed', { status: 'complete', payment_status: 'paid' }), { timestamp: nowSeconds - 600 });
    expect(await p.verifyNotification(stale)).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
    // A stale timestamp with a bad signature is a bad signature first.
    const staleForged = { ...stale, headers: { 'stripe-signature': stale.headers['stripe-signature'].replace(/v1=[0-9a-f]+/, `v1=${'0'.repeat(64)}`) } };
    expect(await p.verifyNotification(staleForged)).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
  });

  it('uses the injected clock: the same 4-minute-old signature passes, a 6-minute-old one does not', async () => {
    const body = event('checkout.session.completed', { status: 'complete', payment_status: 'paid' });
    expect(await p.verifyNotification(signed(body, { timestamp: nowSeconds - 240 }))).toMatchObject({ ok: true });
    expect(await p.verifyNotification(signed(body, { timestamp: nowSeconds - 360 }))).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
  });

  it('refuses garbage → MALFORMED', async () => {
    const garbage = Buffer.from('\u0000\u00ffnot json at all');
    expect(await p.verifyNotification({ headers: {}, rawBody: garbage })).toMatchObject({ ok: false, error: 'MALFORMED' });
    expect(await p.verifyNotification({ headers: { 'stripe-signature': ['t=1,v1=aa', 't=2,v1=bb'] }, rawBody: garbage })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    expect(await p.verifyNotification({ ...signed('x'), rawBody: Buffer.alloc(0) })).toMatchObject({ ok: false, error: 'MALFORMED' });
    // Signed with the right secret but still not something the shop can settle from.
    expect(await p.verifyNotification(signed('not json at all'))).toMatchObject({ ok: false, error: 'MALFORMED', detail: 'signed body is not JSON' });
    expect(await p.verifyNotification(signed(JSON.stringify({ hello: 'world' })))).toMatchObject({ ok: false, error: 'MALFORMED' });
    expect(await p.verifyNotification(signed(JSON.stringify([1, 2, 3])))).toMatchObject({ ok: false, error: 'MALFORMED' });
    const noSession = JSON.stringify({ id: 'evt_1', object: 'event', created: nowSeconds, type: 'checkout.session.completed', data: { object: { id: 'pi_1', object: 'payment_intent' } } });
    expect(await p.verifyNotification(signed(noSession))).toMatchObject({ ok: false, error: 'MALFORMED' });
  });

  it('refuses a signed event of a type it does not handle → MALFORMED, naming the type', async () => {
    const r = await p.verifyNotification(signed(event('payment_intent.succeeded')));
    expect(r).toEqual({ ok: false, error: 'MALFORMED', detail: 'unhandled event type payment_intent.succeeded' });
  });
});
