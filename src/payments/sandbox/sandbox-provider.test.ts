import { describe, expect, it } from 'vitest';
import { createSignedEventHeaders } from '../../../platform/hmac-event-signing.ts';
import { signQueryParams } from '../../../platform/hmac-query-signing.ts';
import { SandboxPaymentProvider } from './sandbox-provider.ts';

const now = new Date('2026-11-25T03:00:00Z');
const secret = 'sk_sandbox_test_secret_0123456789abcdef';

function provider(fetchImpl: typeof fetch) {
  return new SandboxPaymentProvider({ baseUrl: 'http://127.0.0.1:3100', merchantId: 'mch_test', secret, fetch: fetchImpl, clock: () => now, requestTimeoutMs: 200 });
}

const input = {
  orderReference: 'MMR-1',
  amount: 1000,
  currency: 'JPY' as const,
  returnUrl: 'http://127.0.0.1:3000/r',
  cancelUrl: 'http://127.0.0.1:3000/c',
  notificationUrl: 'http://127.0.0.1:3000/n',
  description: 'Order MMR-1',
};

const json = (status: number, body: unknown, type = 'application/json') => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('SandboxPaymentProvider error mapping (never throws for expected failures)', () => {
  it.each([
    ['gateway unreachable', async () => { throw new TypeError('fetch failed'); }, 'GATEWAY_UNAVAILABLE'],
    ['gateway timing out', (_u: unknown, init?: RequestInit) => new Promise<Response>((_r, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))), 'GATEWAY_UNAVAILABLE'],
    ['HTTP 500', json(500, { code: 'MAMORI_PAYGATE_INTERNAL' }, 'application/problem+json'), 'GATEWAY_UNAVAILABLE'],
    ['HTTP 502 with HTML', async () => new Response('<html>bad gateway</html>', { status: 502 }), 'GATEWAY_UNAVAILABLE'],
    ['HTTP 401 problem', json(401, { code: 'MAMORI_PAYGATE_BAD_SIGNATURE', title: 'Request signature does not match' }, 'application/problem+json'), 'GATEWAY_REJECTED'],
    ['HTTP 400 problem', json(400, { code: 'MAMORI_PAYGATE_INVALID_REQUEST' }, 'application/problem+json'), 'GATEWAY_REJECTED'],
    ['HTTP 404', json(404, { code: 'MAMORI_PAYGATE_PAYMENT_NOT_FOUND' }, 'application/problem+json'), 'NOT_FOUND'],
    ['2xx with an unexpected body', json(201, { hello: 'world' }), 'GATEWAY_UNAVAILABLE'],
    ['2xx with a foreign redirect origin', json(201, { transactionId: 'tx_1', redirectUrl: 'https://phish.example/pay/tx_1' }), 'GATEWAY_REJECTED'],
  ])('%s → %s', async (_name, impl, error) => {
    const r = await provider(impl as typeof fetch).createPayment(input);
    expect(r).toMatchObject({ ok: false, error });
  });

  it('signs requests with merchant id, timestamp, nonce and HMAC, and sends the body it signed', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const p = provider(async (url, init) => {
      seen = { url: String(url), init: init! };
      return new Response(JSON.stringify({ transactionId: 'tx_1', redirectUrl: 'http://127.0.0.1:3100/pay/tx_1' }), { status: 201 });
    });
    expect(await p.createPayment(input)).toEqual({ ok: true, value: { transactionId: 'tx_1', redirectUrl: 'http://127.0.0.1:3100/pay/tx_1' } });
    const headers = seen!.init.headers as Record<string, string>;
    expect(seen!.url).toBe('http://127.0.0.1:3100/v1/payments');
    expect(headers['x-mamori-merchant']).toBe('mch_test');
    expect(headers['x-mamori-timestamp']).toBe(String(now.getTime() / 1000));
    expect(headers['x-mamori-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(String(seen!.init.body))).toMatchObject({ amount: 1000, orderReference: 'MMR-1', locale: 'ja' });
  });

  it('exposes the gateway origin for the shop CSP', () => {
    expect(provider(fetch).checkoutOrigin).toBe('http://127.0.0.1:3100');
    expect(provider(fetch).name).toBe('sandbox');
  });
});

describe('SandboxPaymentProvider.verifyNotification', () => {
  const body = Buffer.from(JSON.stringify({ eventId: 'evt_1', type: 'payment.captured', transactionId: 'tx_1', orderReference: 'MMR-1', status: 'captured', amount: 1000, currency: 'JPY', refundedAmount: 0, occurredAt: now.toISOString() }));
  const p = provider(fetch);

  it('accepts a signed, fresh notification as trusted', async () => {
    const headers = createSignedEventHeaders({ secret, eventId: 'evt_1', body, now });
    const r = await p.verifyNotification({ headers, rawBody: body });
    expect(r).toEqual({ ok: true, value: { eventId: 'evt_1', transactionId: 'tx_1', orderReference: 'MMR-1', status: 'captured', amount: 1000, currency: 'JPY', trusted: true, occurredAt: now } });
  });

  it('refuses a bad signature, a tampered body, a stale timestamp and missing headers', async () => {
    const headers = createSignedEventHeaders({ secret, eventId: 'evt_1', body, now });
    expect(await p.verifyNotification({ headers: { ...headers, 'x-mamori-signature': 'f'.repeat(64) }, rawBody: body })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    const tampered = Buffer.from(body.toString().replace('"amount":1000', '"amount":1'));
    expect(await p.verifyNotification({ headers, rawBody: tampered })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    const stale = createSignedEventHeaders({ secret, eventId: 'evt_1', body, now: new Date(now.getTime() - 6 * 60_000) });
    expect(await p.verifyNotification({ headers: stale, rawBody: body })).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
    expect(await p.verifyNotification({ headers: {}, rawBody: body })).toMatchObject({ ok: false, error: 'MALFORMED' });
    const other = createSignedEventHeaders({ secret: 'sk_sandbox_someone_else_entirely_0000', eventId: 'evt_1', body, now });
    expect(await p.verifyNotification({ headers: other, rawBody: body })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
  });

  it('refuses a signed body whose event id differs from the signed header, or that is not a notification', async () => {
    const headers = createSignedEventHeaders({ secret, eventId: 'evt_2', body, now });
    expect(await p.verifyNotification({ headers, rawBody: body })).toMatchObject({ ok: false, error: 'MALFORMED' });
    const junk = Buffer.from('{"hello":1}');
    expect(await p.verifyNotification({ headers: createSignedEventHeaders({ secret, eventId: 'evt_1', body: junk, now }), rawBody: junk })).toMatchObject({ ok: false, error: 'MALFORMED' });
  });
});

describe('SandboxPaymentProvider.verifyReturn', () => {
  const p = provider(fetch);
  it('accepts the gateway-signed result and refuses an edited one', () => {
    const q = signQueryParams(secret, { tx: 'tx_1', status: 'captured' }, now);
    expect(p.verifyReturn({ ...q, order: 'MMR-1' })).toEqual({ ok: true, value: { transactionId: 'tx_1', status: 'captured' } });
    expect(p.verifyReturn({ ...q, status: 'declined' })).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
    expect(p.verifyReturn({ tx: 'tx_1', status: 'captured' })).toMatchObject({ ok: false, error: 'MALFORMED' });
  });
});

describe('SandboxPaymentProvider konbini payments', () => {
  const konbini = { ...input, expiresAt: new Date('2026-11-28T03:00:00Z'), store: 'lawson' as const };
  it('asks the konbini endpoint for a number with the deadline, and returns number and deadline', async () => {
    let seen: { url: string; body: Record<string, unknown> } | undefined;
    const r = await provider((async (u: URL, init?: RequestInit) => {
      seen = { url: String(u), body: JSON.parse(String(init?.body)) };
      return new Response(JSON.stringify({ transactionId: 'tx_k', paymentNumber: '12345678901', confirmationNumber: '123456', store: 'lawson', expiresAt: '2026-11-28T03:00:00.000Z', status: 'pending' }), { status: 201 });
    }) as unknown as typeof fetch).createKonbiniPayment(konbini);
    expect(seen).toMatchObject({ url: 'http://127.0.0.1:3100/v1/konbini-payments', body: { amount: 1000, expiresAt: '2026-11-28T03:00:00.000Z', orderReference: 'MMR-1', store: 'lawson' } });
    expect(r).toEqual({ ok: true, value: { transactionId: 'tx_k', paymentNumber: '12345678901', confirmationNumber: '123456', store: 'lawson', expiresAt: new Date('2026-11-28T03:00:00Z') } });
  });
  it('sends the same request fields for a konbini payment as for a card payment, plus the deadline and the chosen chain', async () => {
    const bodies: Record<string, unknown>[] = [];
    const p = provider((async (_u: URL, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ transactionId: 'tx_k', redirectUrl: 'http://127.0.0.1:3100/pay/tx_k', paymentNumber: '12345678901', expiresAt: '2026-11-28T03:00:00.000Z' }), { status: 201 });
    }) as unknown as typeof fetch);
    await p.createPayment(input);
    const k = await p.createKonbiniPayment(konbini);
    const { expiresAt, store, ...rest } = bodies[1]!;
    expect(rest).toEqual(bodies[0]);
    expect(expiresAt).toBe('2026-11-28T03:00:00.000Z');
    expect(store).toBe('lawson');
    // A gateway that names no chain (or one the shop does not know) and no confirmation number: both null, the number still shown.
    expect(k).toMatchObject({ ok: true, value: { paymentNumber: '12345678901', confirmationNumber: null, store: null } });
  });
  it('keeps the number when the gateway names an unknown chain, and refuses a confirmation number that is not 4–8 digits', async () => {
    const unknown = await provider(json(201, { transactionId: 'tx_k', paymentNumber: '12345678901', store: 'circle-k', confirmationNumber: '1234', expiresAt: '2026-11-28T03:00:00.000Z' })).createKonbiniPayment(konbini);
    expect(unknown).toMatchObject({ ok: true, value: { store: null, confirmationNumber: '1234' } });
    const long = await provider(json(201, { transactionId: 'tx_k', paymentNumber: '12345678901', confirmationNumber: '4242424242424242', expiresAt: '2026-11-28T03:00:00.000Z' })).createKonbiniPayment(konbini);
    expect(long).toMatchObject({ ok: false, error: 'GATEWAY_UNAVAILABLE' });
  });
  it('refuses a card-shaped "payment number" from the gateway rather than show it to a customer', async () => {
    const r = await provider(json(201, { transactionId: 'tx_k', paymentNumber: '4242424242424242', expiresAt: '2026-11-28T03:00:00.000Z' })).createKonbiniPayment(konbini);
    expect(r).toMatchObject({ ok: false, error: 'GATEWAY_UNAVAILABLE' });
  });
});
