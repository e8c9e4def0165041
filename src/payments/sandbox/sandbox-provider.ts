// The shop's adapter for Mamori's sandbox gateway. It speaks to the gateway only over
// HTTP (signed requests out, signed notifications in) and imports nothing from paygate/:
// the shop has no code path that could see a card number.
import { z } from 'zod';
import { SIGNED_EVENT_HEADERS, verifyEventSignature } from '../../../platform/hmac-event-signing.ts';
import { QUERY_SIGNATURE_PARAM, QUERY_TIMESTAMP_PARAM, verifyQuerySignature } from '../../../platform/hmac-query-signing.ts';
import { createSignedRequestHeaders, DEFAULT_SIGNATURE_TOLERANCE_MS } from '../../../platform/hmac-request-signing.ts';
import type {
  CreatedKonbiniPayment,
  CreatedPayment,
  CreateKonbiniPaymentInput,
  CreatePaymentInput,
  KonbiniCapablePaymentProvider,
  IncomingNotification,
  NotificationRejection,
  PaymentResult,
  PaymentState,
  PaymentStatus,
  VerifiedNotification,
} from '../payment-provider.ts';
import { KONBINI_CHAINS } from '../payment-provider.ts';

export interface SandboxProviderConfig {
  /** Gateway base URL, e.g. http://127.0.0.1:3100 (the `gatewayBaseUrl` of the credentials file). */
  baseUrl: string;
  merchantId: string;
  secret: string;
  /** Injectable for tests; default global fetch. */
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Per-request timeout; default 10 s. */
  requestTimeoutMs?: number;
  /** Accepted clock skew for notifications and return URLs; default ±5 minutes. */
  signatureToleranceMs?: number;
  /** Origin of the hosted page if it differs from baseUrl's (a gateway behind a separate public host). */
  checkoutOrigin?: string;
  /** How late after a konbini deadline the gateway may still report a store payment; default 30 minutes. */
  konbiniReportGraceMs?: number;
}

const STATUSES = ['pending', 'authorized', 'captured', 'declined', 'cancelled', 'expired', 'refunded', 'partially_refunded'] as const satisfies readonly PaymentStatus[];

const paymentStateSchema = z.object({
  transactionId: z.string().min(1),
  orderReference: z.string(),
  status: z.enum(STATUSES),
  amount: z.number().int(),
  currency: z.string(),
  refundedAmount: z.number().int(),
});

const createdSchema = z.object({ transactionId: z.string().min(1), redirectUrl: z.url({ protocol: /^https?$/ }) });

// Digits only and at most 12 of them: whatever the gateway answers, nothing card-shaped reaches the order page or mail.
// An unknown chain is kept as "not said" rather than refusing a number the customer can still use.
const createdKonbiniSchema = z.object({
  transactionId: z.string().min(1), paymentNumber: z.string().regex(/^\d{6,12}$/), expiresAt: z.iso.datetime(),
  confirmationNumber: z.string().regex(/^\d{4,8}$/).nullish(),
  store: z.enum(KONBINI_CHAINS).nullish().catch(null),
});

/** The fields every payment request to the gateway carries, card or konbini. */
function paymentRequestBody(input: CreatePaymentInput) {
  return {
    amount: input.amount,
    currency: input.currency,
    orderReference: input.orderReference,
    returnUrl: input.returnUrl,
    cancelUrl: input.cancelUrl,
    notificationUrl: input.notificationUrl,
    description: input.description,
    locale: input.locale ?? 'ja',
  };
}

const notificationBodySchema = z.object({
  eventId: z.string().min(1),
  type: z.string(),
  transactionId: z.string().min(1),
  orderReference: z.string(),
  status: z.enum(STATUSES),
  amount: z.number().int(),
  currency: z.string(),
  occurredAt: z.iso.datetime(),
});

const problemSchema = z.object({ code: z.string().optional(), title: z.string().optional(), detail: z.string().optional() }).loose();

type Failure = { ok: false; error: 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED' | 'NOT_FOUND'; detail: string };

function headerValue(headers: IncomingNotification['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export class SandboxPaymentProvider implements KonbiniCapablePaymentProvider {
  readonly name = 'sandbox';
  readonly checkoutOrigin: string;
  readonly konbiniReportGraceMs: number;
  private readonly baseUrl: URL;
  private readonly fetchFn: typeof fetch;
  private readonly clock: () => Date;
  private readonly timeoutMs: number;
  private readonly toleranceMs: number;

  constructor(private readonly config: SandboxProviderConfig) {
    this.baseUrl = new URL(config.baseUrl);
    this.checkoutOrigin = config.checkoutOrigin ? new URL(config.checkoutOrigin).origin : this.baseUrl.origin;
    this.fetchFn = config.fetch ?? ((input, init) => fetch(input, init));
    this.clock = config.clock ?? (() => new Date());
    this.timeoutMs = config.requestTimeoutMs ?? 10_000;
    this.toleranceMs = config.signatureToleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS;
    this.konbiniReportGraceMs = config.konbiniReportGraceMs ?? 30 * 60_000;
  }

  async createPayment(input: CreatePaymentInput): Promise<PaymentResult<CreatedPayment>> {
    const r = await this.call('POST', '/v1/payments', paymentRequestBody(input), createdSchema);
    if (!r.ok) return r;
    // The shop's CSP and redirect allow-list are built from checkoutOrigin: refuse anything else.
    if (new URL(r.value.redirectUrl).origin !== this.checkoutOrigin) {
      return { ok: false, error: 'GATEWAY_REJECTED', detail: `gateway returned a redirect to ${new URL(r.value.redirectUrl).origin}, expected ${this.checkoutOrigin}` };
    }
    return { ok: true, value: { transactionId: r.value.transactionId, redirectUrl: r.value.redirectUrl } };
  }

  /** コンビニ決済: the gateway issues the number the customer pays with at a store; no hosted page. */
  async createKonbiniPayment(input: CreateKonbiniPaymentInput): Promise<PaymentResult<CreatedKonbiniPayment>> {
    const r = await this.call('POST', '/v1/konbini-payments', { ...paymentRequestBody(input), expiresAt: input.expiresAt.toISOString(), ...(input.store ? { store: input.store } : {}) }, createdKonbiniSchema);
    if (!r.ok) return r;
    const k = r.value;
    return { ok: true, value: { transactionId: k.transactionId, paymentNumber: k.paymentNumber, confirmationNumber: k.confirmationNumber ?? null, store: k.store ?? null, expiresAt: new Date(k.expiresAt) } };
  }

  getPayment(transactionId: string): Promise<PaymentResult<PaymentState>> {
    return this.call('GET', `/v1/payments/${encodeURIComponent(transactionId)}`, undefined, paymentStateSchema);
  }

  cancelPayment(transactionId: string): Promise<PaymentResult<PaymentState>> {
    return this.call('POST', `/v1/payments/${encodeURIComponent(transactionId)}/cancel`, {}, paymentStateSchema);
  }

  refundPayment(transactionId: string, amount?: number): Promise<PaymentResult<PaymentState>> {
    return this.call('POST', `/v1/payments/${encodeURIComponent(transactionId)}/refunds`, amount === undefined ? {} : { amount }, paymentStateSchema);
  }

  async verifyNotification(n: IncomingNotification): Promise<{ ok: true; value: VerifiedNotification } | NotificationRejection> {
    const timestamp = headerValue(n.headers, SIGNED_EVENT_HEADERS.timestamp);
    const eventId = headerValue(n.headers, SIGNED_EVENT_HEADERS.eventId);
    const signature = headerValue(n.headers, SIGNED_EVENT_HEADERS.signature);
    if (!timestamp || !eventId || !signature) return { ok: false, error: 'MALFORMED', detail: 'signature, timestamp or event id header missing' };
    const check = verifyEventSignature({ secret: this.config.secret, timestamp, eventId, body: n.rawBody, signature, now: this.clock(), toleranceMs: this.toleranceMs });
    if (!check.ok) return { ok: false, error: check.error, detail: check.detail };
    let json: unknown;
    try {
      json = JSON.parse(n.rawBody.toString('utf8'));
    } catch {
      return { ok: false, error: 'MALFORMED', detail: 'body is not JSON' };
    }
    const body = notificationBodySchema.safeParse(json);
    if (!body.success) return { ok: false, error: 'MALFORMED', detail: 'body does not match the notification schema' };
    if (body.data.eventId !== eventId) return { ok: false, error: 'MALFORMED', detail: 'event id header and body differ' };
    return {
      ok: true,
      value: {
        eventId: body.data.eventId,
        transactionId: body.data.transactionId,
        orderReference: body.data.orderReference,
        status: body.data.status,
        amount: body.data.amount,
        currency: body.data.currency,
        trusted: true, // HMAC over timestamp, event id and raw body, checked above
        occurredAt: new Date(body.data.occurredAt),
      },
    };
  }

  /**
   * Checks the signed result on the customer's return (`?tx=…&status=…&ts=…&sig=…`). A valid
   * signature says the gateway sent the browser here; it is still not a reason to mark an
   * order paid: confirm with getPayment().
   */
  verifyReturn(query: Record<string, string | string[] | undefined>): { ok: true; value: { transactionId: string; status: PaymentStatus } } | NotificationRejection {
    const one = (k: string) => {
      const v = query[k];
      return Array.isArray(v) ? undefined : v;
    };
    const signed = { tx: one('tx'), status: one('status'), [QUERY_TIMESTAMP_PARAM]: one(QUERY_TIMESTAMP_PARAM), [QUERY_SIGNATURE_PARAM]: one(QUERY_SIGNATURE_PARAM) };
    if (Object.values(signed).some((v) => v === undefined)) return { ok: false, error: 'MALFORMED', detail: 'tx, status, ts or sig missing' };
    const check = verifyQuerySignature(this.config.secret, signed as Record<string, string>, this.clock(), this.toleranceMs);
    if (!check.ok) return { ok: false, error: check.error, detail: check.detail };
    const status = z.enum(STATUSES).safeParse(signed.status);
    if (!status.success) return { ok: false, error: 'MALFORMED', detail: 'unknown status' };
    return { ok: true, value: { transactionId: signed.tx!, status: status.data } };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | Failure> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...createSignedRequestHeaders({ keyId: this.config.merchantId, secret: this.config.secret, method, path: url.pathname + url.search, body: payload, now: this.clock() }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, { method, headers, ...(body === undefined ? {} : { body: payload }), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (e) {
      return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: `${method} ${url.pathname}: ${e instanceof Error ? e.message : 'request failed'}` };
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 500) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: `${method} ${url.pathname}: HTTP ${res.status}` };
    if (res.status >= 400) {
      const problem = problemSchema.safeParse(json);
      const detail = problem.success ? [problem.data.code, problem.data.detail ?? problem.data.title].filter(Boolean).join(': ') : `HTTP ${res.status}`;
      return { ok: false, error: res.status === 404 ? 'NOT_FOUND' : 'GATEWAY_REJECTED', detail };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: `${method} ${url.pathname}: unexpected response from gateway` };
    return { ok: true, value: parsed.data };
  }
}
