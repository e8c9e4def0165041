// Test-only: a gateway on a temp SQLite file with a controllable clock, a recorded
// notification receiver and a helper that signs merchant API calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { createLogger } from '../platform/create-logger.ts';
import { createSignedRequestHeaders } from '../platform/hmac-request-signing.ts';
import type { NotificationFetch } from './notification-delivery.ts';
import { buildPaygate, type BuildPaygateOptions, type Paygate } from './server.ts';

export interface SentNotification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface TestPaygate {
  paygate: Paygate;
  merchantId: string;
  secret: string;
  dir: string;
  dbFile: string;
  logLines: string[];
  clock: { now: Date; advance(ms: number): void };
  sent: SentNotification[];
  /** Status the fake receiver answers with; a function to vary per call. */
  receiverStatus: number | (() => number);
  api(method: 'GET' | 'POST', url: string, body?: unknown, opts?: { secret?: string; now?: Date; nonce?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestPaygate(overrides: Partial<BuildPaygateOptions> = {}): Promise<TestPaygate> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paygate-test-'));
  const dbFile = path.join(dir, 'paygate.sqlite');
  const logLines: string[] = [];
  const destination = new Writable({ write(chunk, _e, cb) { logLines.push(String(chunk)); cb(); } });
  const clock = {
    now: new Date('2026-11-25T03:00:00.000Z'),
    advance(ms: number) { this.now = new Date(this.now.getTime() + ms); },
  };
  const sent: SentNotification[] = [];
  const t = {} as TestPaygate;
  const notifyFetch: NotificationFetch = async (url, init) => {
    sent.push({ url, headers: init.headers, body: init.body });
    return { status: typeof t.receiverStatus === 'function' ? t.receiverStatus() : t.receiverStatus };
  };
  const paygate = await buildPaygate({
    dbFile,
    publicOrigin: 'http://127.0.0.1:3100',
    log: createLogger({ name: 'paygate-test', level: 'debug', destination }),
    clock: () => clock.now,
    notifyFetch,
    notificationPollIntervalMs: 0,
    expirySweepIntervalMs: 0,
    notificationRetry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 },
    ...overrides,
  });
  const { merchantId, secret } = await paygate.provisionMerchant({ name: 'Tokiwa Test Shop' });
  Object.assign(t, {
    paygate, merchantId, secret, dir, dbFile, logLines, clock, sent, receiverStatus: 200,
    api(method: 'GET' | 'POST', url: string, body?: unknown, opts: { secret?: string; now?: Date; nonce?: string } = {}) {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const headers = createSignedRequestHeaders({ keyId: merchantId, secret: opts.secret ?? secret, method, path: url, body: payload, now: opts.now ?? clock.now, ...(opts.nonce ? { nonce: opts.nonce } : {}) });
      return paygate.app.inject({ method, url, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, payload: payload || undefined });
    },
    async close() {
      await t.paygate.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  return t;
}

export function paymentRequest(overrides: Record<string, unknown> = {}) {
  return {
    amount: 12_800,
    currency: 'JPY',
    orderReference: 'MMR-000123',
    returnUrl: 'http://127.0.0.1:3000/checkout/return?order=MMR-000123',
    cancelUrl: 'http://127.0.0.1:3000/checkout/cancelled?order=MMR-000123',
    notificationUrl: 'http://127.0.0.1:3000/payments/sandbox/notifications',
    description: 'Order MMR-000123 (3 items)',
    locale: 'en',
    ...overrides,
  };
}

/** Creates a payment and pays it on the hosted page with 4242… (through inject, no browser). */
export async function capturedPayment(t: TestPaygate, overrides: Record<string, unknown> = {}): Promise<string> {
  const { transactionId } = (await t.api('POST', '/v1/payments', paymentRequest(overrides))).json() as { transactionId: string };
  const page = await t.paygate.app.inject({ method: 'GET', url: `/pay/${transactionId}` });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  const res = await t.paygate.app.inject({
    method: 'POST',
    url: `/pay/${transactionId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: token, cardNumber: '4242424242424242', expiry: '12/30', securityCode: '123', cardholderName: 'TARO YAMADA' }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`capture failed: ${res.statusCode}`);
  return transactionId;
}
