// The adapter against the real sandbox gateway, started as its own process exactly as
// `npm start` does (paygate/main.ts), talking HTTP over 127.0.0.1 only. The shop side
// imports nothing from paygate/: it knows the gateway by URL and credentials file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedNotification } from '../payment-provider.ts';
import { startSandboxGatewayProcess, type SandboxGatewayProcess } from './sandbox-gateway-process.ts';
import { SandboxPaymentProvider } from './sandbox-provider.ts';
import { csrfFromFetch, formHeaders, formWithCsrf } from '../../../test/support/csrf.ts';

let dir: string;
let gateway: SandboxGatewayProcess;
let receiver: FastifyInstance;
let provider: SandboxPaymentProvider;
let shopOrigin: string;
const verified: VerifiedNotification[] = [];
const rejected: string[] = [];

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-provider-'));
  receiver = Fastify();
  receiver.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  receiver.post('/payments/sandbox/notifications', async (request, reply) => {
    const r = await provider.verifyNotification({ headers: request.headers, rawBody: request.body as Buffer });
    if (!r.ok) {
      rejected.push(r.error);
      return reply.code(400).send();
    }
    verified.push(r.value);
    return reply.code(204).send();
  });
  shopOrigin = await receiver.listen({ host: '127.0.0.1', port: 0 });

  gateway = await startSandboxGatewayProcess({
    credentialsFile: path.join(dir, 'shop-data', 'paygate-merchant.json'),
    dbFile: path.join(dir, 'paygate.sqlite'),
    port: 0,
    allowedOrigins: [shopOrigin],
    env: { PAYGATE_LOG_LEVEL: 'warn', PAYGATE_NOTIFY_BASE_DELAY_MS: '50' },
  });
  const creds = gateway.credentials;
  expect(creds.gatewayBaseUrl).toBe(gateway.publicOrigin);
  provider = new SandboxPaymentProvider({ baseUrl: creds.gatewayBaseUrl, merchantId: creds.merchantId, secret: creds.secret });
});

afterAll(async () => {
  await gateway?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Plays the customer's browser on the gateway's page (the shop never does this). */
async function payOnHostedPage(redirectUrl: string, cardNumber: string): Promise<URL> {
  const csrf = await csrfFromFetch(await fetch(redirectUrl));
  const res = await fetch(redirectUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: formHeaders(csrf),
    body: formWithCsrf(csrf, { cardNumber, expiry: '12/30', securityCode: '123', cardholderName: 'TARO YAMADA' }),
  });
  expect(res.status).toBe(303);
  return new URL(res.headers.get('location')!, redirectUrl);
}

function paymentInput(orderReference: string, amount = 5400) {
  return {
    orderReference,
    amount,
    currency: 'JPY' as const,
    returnUrl: `${shopOrigin}/checkout/return`,
    cancelUrl: `${shopOrigin}/checkout/cancelled`,
    notificationUrl: `${shopOrigin}/payments/sandbox/notifications`,
    description: `Order ${orderReference}`,
    locale: 'en' as const,
  };
}

describe('SandboxPaymentProvider against the running sandbox gateway', () => {
  it('create → pay 4242 → signed return → verified notification → status → partial and full refund', async () => {
    const created = await provider.createPayment(paymentInput('MMR-1001'));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(new URL(created.value.redirectUrl).origin).toBe(provider.checkoutOrigin);
    expect(provider.checkoutOrigin).not.toBe(new URL(shopOrigin).origin);

    const back = await payOnHostedPage(created.value.redirectUrl, '4242 4242 4242 4242');
    expect(back.origin + back.pathname).toBe(`${shopOrigin}/checkout/return`);
    expect(provider.verifyReturn(Object.fromEntries(back.searchParams))).toEqual({ ok: true, value: { transactionId: created.value.transactionId, status: 'captured' } });

    const n = await waitFor('captured notification', () => verified.find((v) => v.transactionId === created.value.transactionId && v.status === 'captured'));
    expect(n).toMatchObject({ orderReference: 'MMR-1001', amount: 5400, currency: 'JPY', trusted: true });

    expect(await provider.getPayment(created.value.transactionId)).toEqual({ ok: true, value: { transactionId: created.value.transactionId, orderReference: 'MMR-1001', status: 'captured', amount: 5400, currency: 'JPY', refundedAmount: 0 } });
    expect(await provider.refundPayment(created.value.transactionId, 400)).toMatchObject({ ok: true, value: { status: 'partially_refunded', refundedAmount: 400 } });
    expect(await provider.refundPayment(created.value.transactionId, 5001)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED', detail: expect.stringContaining('REFUND_EXCEEDS_CAPTURED') });
    expect(await provider.refundPayment(created.value.transactionId)).toMatchObject({ ok: true, value: { status: 'refunded', refundedAmount: 5400 } });
    await waitFor('refund notification', () => verified.find((v) => v.transactionId === created.value.transactionId && v.status === 'refunded'));
    expect(rejected).toEqual([]);
  });

  it('declined card: return says declined, notification says declined', async () => {
    const created = await provider.createPayment(paymentInput('MMR-1002'));
    if (!created.ok) throw new Error(created.detail);
    const back = await payOnHostedPage(created.value.redirectUrl, '4000000000000002');
    expect(back.searchParams.get('status')).toBe('declined');
    await waitFor('declined notification', () => verified.find((v) => v.transactionId === created.value.transactionId && v.status === 'declined'));
    expect(await provider.getPayment(created.value.transactionId)).toMatchObject({ ok: true, value: { status: 'declined' } });
  });

  it('cancel through the port, then cancel of a captured payment is refused', async () => {
    const created = await provider.createPayment(paymentInput('MMR-1003'));
    if (!created.ok) throw new Error(created.detail);
    expect(await provider.cancelPayment(created.value.transactionId)).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    await waitFor('cancel notification', () => verified.find((v) => v.transactionId === created.value.transactionId && v.status === 'cancelled'));

    const paid = await provider.createPayment(paymentInput('MMR-1004'));
    if (!paid.ok) throw new Error(paid.detail);
    await payOnHostedPage(paid.value.redirectUrl, '4242424242424242');
    expect(await provider.cancelPayment(paid.value.transactionId)).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
  });

  it('a restarted gateway keeps the merchant the shop already knows', async () => {
    const before = gateway.credentials;
    await gateway.stop();
    gateway = await startSandboxGatewayProcess({ credentialsFile: path.join(dir, 'shop-data', 'paygate-merchant.json'), dbFile: path.join(dir, 'paygate.sqlite'), port: 0, env: { PAYGATE_LOG_LEVEL: 'warn' } });
    expect(gateway.credentials.merchantId).toBe(before.merchantId);
    expect(gateway.credentials.secret).toBe(before.secret);
    provider = new SandboxPaymentProvider({ baseUrl: gateway.credentials.gatewayBaseUrl, merchantId: before.merchantId, secret: before.secret });
    expect((await provider.createPayment(paymentInput('MMR-1007'))).ok).toBe(true);
  });

  it('the gateway exits when the shop process that started it goes away', async () => {
    const other = await startSandboxGatewayProcess({ credentialsFile: path.join(dir, 'other.json'), dbFile: path.join(dir, 'other.sqlite'), port: 0, stdio: 'ignore' });
    const exited = new Promise((r) => other.child.once('exit', r));
    other.child.disconnect(); // what the OS does to the channel when the parent is killed
    await exited;
    expect(other.child.exitCode).toBe(0);
  });

  it('unknown transaction → NOT_FOUND; wrong secret → GATEWAY_REJECTED; nothing listening → GATEWAY_UNAVAILABLE', async () => {
    expect(await provider.getPayment('tx_ffffffffffffffffffffffff')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    const wrong = new SandboxPaymentProvider({ baseUrl: provider.checkoutOrigin, merchantId: 'mch_nobody', secret: 'sk_sandbox_wrong_wrong_wrong_wrong_wrong' });
    expect(await wrong.createPayment(paymentInput('MMR-1005'))).toMatchObject({ ok: false, error: 'GATEWAY_REJECTED' });
    const closed = Fastify();
    const closedOrigin = await closed.listen({ host: '127.0.0.1', port: 0 });
    await closed.close();
    const down = new SandboxPaymentProvider({ baseUrl: closedOrigin, merchantId: 'mch_x', secret: 'sk_sandbox_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x', requestTimeoutMs: 2000 });
    expect(await down.createPayment(paymentInput('MMR-1006'))).toMatchObject({ ok: false, error: 'GATEWAY_UNAVAILABLE' });
  });
});
