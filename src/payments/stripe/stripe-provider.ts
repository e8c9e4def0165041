// The shop's adapter for Stripe Checkout. The customer types card data on checkout.stripe.com;
// the shop keeps the Checkout Session id (cs_…) as its transaction id and nothing more.
// Uses the official `stripe` SDK rather than hand-written HTTP: its webhook verification
// (constant-time compare, timestamp tolerance) and retry/idempotency handling are well kept.
import Stripe from 'stripe';
import { z } from 'zod';
import type {
  CreatedPayment,
  CreatePaymentInput,
  IncomingNotification,
  NotificationRejection,
  PaymentProvider,
  PaymentResult,
  PaymentState,
  PaymentStatus,
  VerifiedNotification,
} from '../payment-provider.ts';

export interface StripeProviderConfig {
  /** `sk_live_…` / `sk_test_…`, or a restricted key (`rk_…`) with Checkout Sessions and Refunds write access. */
  secretKey: string;
  /** `whsec_…` of the webhook endpoint `<PUBLIC_URL>/payments/stripe/notifications`. */
  webhookSecret: string;
  /** Only for tests against a local fake of the API; default api.stripe.com:443 over https. */
  apiHost?: string;
  apiPort?: number;
  apiProtocol?: 'http' | 'https';
  clock?: () => Date;
  /** SDK retries on network faults and 409/429/5xx, with idempotency keys; default 2. */
  maxNetworkRetries?: number;
  /** Per-request timeout; default 10 s (the SDK's own default is 80 s, too long for a checkout click). */
  requestTimeoutMs?: number;
  /** Accepted age of a webhook signature; default the SDK's 300 s. */
  webhookToleranceSeconds?: number;
}

const STRIPE_CHECKOUT_ORIGIN = 'https://checkout.stripe.com';

// Stripe's error messages can echo part of an API key ("Invalid API Key provided: sk_test_****1234"):
// details go to logs and security events, so no key fragment leaves this file.
const API_KEY_PATTERN = /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9*]+/g;
const WEBHOOK_SECRET_PATTERN = /\bwhsec_[A-Za-z0-9*]+/g;

const latestChargeSchema = z.object({ id: z.string(), amount_refunded: z.number().int() }).loose();
const paymentIntentSchema = z.object({
  id: z.string(),
  status: z.string(),
  // A string id unless expanded.
  latest_charge: z.union([z.string(), latestChargeSchema]).nullable().optional(),
}).loose();

/** The fields of a Checkout Session the shop relies on, from the API and from webhooks alike. */
const checkoutSessionSchema = z.object({
  id: z.string().min(1),
  object: z.literal('checkout.session'),
  status: z.enum(['open', 'complete', 'expired']).nullable(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
  client_reference_id: z.string().nullable(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  url: z.string().nullable().optional(),
  payment_intent: z.union([z.string(), paymentIntentSchema]).nullable().optional(),
}).loose();
type CheckoutSession = z.infer<typeof checkoutSessionSchema>;

const refundSchema = z.object({ id: z.string(), object: z.literal('refund'), amount: z.number().int() }).loose();

const webhookEventSchema = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
}).loose();

type Failure = { ok: false; error: 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED' | 'NOT_FOUND'; detail: string };

function headerValue(headers: IncomingNotification['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function redactSecrets(text: string): string {
  return text.replace(API_KEY_PATTERN, '[redacted key]').replace(WEBHOOK_SECRET_PATTERN, '[redacted secret]');
}

/** Status of a completed-checkout webhook or of a retrieved session. */
function statusOfCompletedSession(session: CheckoutSession): PaymentStatus {
  // 'no_payment_required' only happens for a zero total; settleOrder still checks the amount
  // against the order's frozen total, so a non-zero order can never be paid this way.
  if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required') return 'captured';
  return 'pending'; // an asynchronous method (konbini, bank transfer) still awaiting the money
}

function orderReferenceOf(session: CheckoutSession): string {
  return session.client_reference_id ?? session.metadata?.['orderReference'] ?? '';
}

// Subscribe the webhook endpoint to exactly these (see README): any other type is refused.
const HANDLED_EVENT_TYPES = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired']);

function statusOfEvent(type: string, session: CheckoutSession): PaymentStatus {
  switch (type) {
    case 'checkout.session.async_payment_succeeded': return 'captured';
    case 'checkout.session.async_payment_failed': return 'declined';
    case 'checkout.session.expired': return 'expired';
    default: return statusOfCompletedSession(session); // checkout.session.completed
  }
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly checkoutOrigin = STRIPE_CHECKOUT_ORIGIN;
  // #private so the keys never show in util.inspect, JSON.stringify or a logged provider object.
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;
  readonly #clock: () => Date;
  readonly #toleranceSeconds: number;

  constructor(config: StripeProviderConfig) {
    this.#stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: config.maxNetworkRetries ?? 2,
      timeout: config.requestTimeoutMs ?? 10_000,
      telemetry: false, // no request-latency reports to Stripe about our other requests
      appInfo: { name: 'Mamori' },
      ...(config.apiHost ? { host: config.apiHost } : {}),
      ...(config.apiPort ? { port: config.apiPort } : {}),
      ...(config.apiProtocol ? { protocol: config.apiProtocol } : {}),
    });
    this.#webhookSecret = config.webhookSecret;
    this.#clock = config.clock ?? (() => new Date());
    this.#toleranceSeconds = config.webhookToleranceSeconds ?? Stripe.webhooks.DEFAULT_TOLERANCE;
  }

  async createPayment(input: CreatePaymentInput): Promise<PaymentResult<CreatedPayment>> {
    const r = await this.call('create checkout session', () => this.#stripe.checkout.sessions.create({
      mode: 'payment',
      // JPY is zero-decimal at Stripe: the amount is whole yen, exactly the shop's integer total.
      currency: 'jpy',
      line_items: [{ quantity: 1, price_data: { currency: 'jpy', unit_amount: input.amount, product_data: { name: input.description } } }],
      client_reference_id: input.orderReference,
      metadata: { orderReference: input.orderReference },
      // So the payment and its refunds carry the order number in Stripe's dashboard too.
      payment_intent_data: { metadata: { orderReference: input.orderReference } },
      success_url: input.returnUrl,
      cancel_url: input.cancelUrl,
      locale: input.locale ?? 'ja',
      ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
    }), checkoutSessionSchema);
    if (!r.ok) return r;
    const session = r.value;
    if (!session.url) return { ok: false, error: 'GATEWAY_REJECTED', detail: `checkout session ${session.id} has no hosted page URL` };
    // The shop's CSP form-action and redirect allow-list are built from checkoutOrigin: refuse anything else.
    const origin = URL.canParse(session.url) ? new URL(session.url).origin : 'an unparseable URL';
    if (origin !== this.checkoutOrigin) {
      return { ok: false, error: 'GATEWAY_REJECTED', detail: `Stripe returned a redirect to ${origin}, expected ${this.checkoutOrigin}` };
    }
    return { ok: true, value: { transactionId: session.id, redirectUrl: session.url } };
  }

  async getPayment(transactionId: string): Promise<PaymentResult<PaymentState>> {
    const r = await this.retrieveSession(transactionId);
    return r.ok ? { ok: true, value: this.stateOf(r.value) } : r;
  }

  async cancelPayment(transactionId: string): Promise<PaymentResult<PaymentState>> {
    // Expiring an open session makes its page unusable; Stripe refuses (400) once it is complete.
    const r = await this.call('expire checkout session', () => this.#stripe.checkout.sessions.expire(transactionId), checkoutSessionSchema);
    return r.ok ? { ok: true, value: this.stateOf(r.value) } : r;
  }

  async refundPayment(transactionId: string, amount?: number): Promise<PaymentResult<PaymentState>> {
    const before = await this.retrieveSession(transactionId);
    if (!before.ok) return before;
    const session = before.value;
    const state = this.stateOf(session);
    const paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
    if (!paymentIntentId || !['captured', 'partially_refunded'].includes(state.status)) {
      return { ok: false, error: 'GATEWAY_REJECTED', detail: `checkout session ${transactionId} is ${state.status}: nothing to refund` };
    }
    // The same refund asked twice (a retried click, a timeout after Stripe already refunded)
    // must not refund twice: the key is fixed by what was refunded before this request.
    const idempotencyKey = `mamori-refund-${transactionId}-${state.refundedAmount}-${amount ?? 'full'}`;
    const refund = await this.call('create refund', () =>
      this.#stripe.refunds.create({ payment_intent: paymentIntentId, ...(amount === undefined ? {} : { amount }) }, { idempotencyKey }), refundSchema);
    if (!refund.ok) return refund;
    // Computed from the refund instead of a second query: once Stripe has refunded, a failing
    // follow-up request must not look to the shop like a failed refund it might retry.
    const refundedAmount = Math.min(state.amount, state.refundedAmount + refund.value.amount);
    return { ok: true, value: { ...state, refundedAmount, status: refundedAmount >= state.amount ? 'refunded' : 'partially_refunded' } };
  }

  async verifyNotification(n: IncomingNotification): Promise<{ ok: true; value: VerifiedNotification } | NotificationRejection> {
    const signatureHeader = headerValue(n.headers, 'stripe-signature');
    if (!signatureHeader) return { ok: false, error: 'MALFORMED', detail: 'stripe-signature header missing' };
    if (n.rawBody.length === 0) return { ok: false, error: 'MALFORMED', detail: 'empty body' };
    const receivedAtMs = this.#clock().getTime();
    let event: unknown;
    try {
      event = Stripe.webhooks.constructEvent(n.rawBody, signatureHeader, this.#webhookSecret, this.#toleranceSeconds, undefined, receivedAtMs);
    } catch (e) {
      if (e instanceof Stripe.errors.StripeSignatureVerificationError) return this.classifySignatureFailure(n.rawBody, signatureHeader);
      if (e instanceof SyntaxError) return { ok: false, error: 'MALFORMED', detail: 'signed body is not JSON' };
      return { ok: false, error: 'MALFORMED', detail: redactSecrets(e instanceof Error ? e.message : 'unreadable notification') };
    }
    const parsedEvent = webhookEventSchema.safeParse(event);
    if (!parsedEvent.success) return { ok: false, error: 'MALFORMED', detail: 'body is not a Stripe event' };
    const { id: eventId, type, created } = parsedEvent.data;
    if (!HANDLED_EVENT_TYPES.has(type)) return { ok: false, error: 'MALFORMED', detail: `unhandled event type ${type}` };
    const session = checkoutSessionSchema.safeParse(parsedEvent.data.data.object);
    if (!session.success) return { ok: false, error: 'MALFORMED', detail: `${type} does not carry a checkout session` };
    const status = statusOfEvent(type, session.data);
    return {
      ok: true,
      value: {
        eventId,
        transactionId: session.data.id,
        orderReference: orderReferenceOf(session.data),
        status,
        amount: session.data.amount_total ?? 0,
        currency: (session.data.currency ?? '').toUpperCase(),
        trusted: true, // HMAC-SHA256 over timestamp and raw body, checked by the SDK above
        occurredAt: new Date(created * 1000),
      },
    };
  }

  /**
   * The SDK raises one error type for a wrong signature and for an old timestamp. Checking the
   * signature again without the age limit tells them apart without parsing its messages.
   */
  private classifySignatureFailure(rawBody: Buffer, signatureHeader: string): NotificationRejection {
    try {
      Stripe.webhooks.signature?.verifyHeader(rawBody, signatureHeader, this.#webhookSecret, 0);
    } catch {
      return { ok: false, error: 'BAD_SIGNATURE', detail: 'stripe-signature does not match the body and webhook secret' };
    }
    return { ok: false, error: 'STALE_TIMESTAMP', detail: `signature older than ${this.#toleranceSeconds} s` };
  }

  private retrieveSession(transactionId: string): Promise<{ ok: true; value: CheckoutSession } | Failure> {
    // The latest charge carries amount_refunded; expanding it saves a second request.
    return this.call('retrieve checkout session', () => this.#stripe.checkout.sessions.retrieve(transactionId, { expand: ['payment_intent.latest_charge'] }), checkoutSessionSchema);
  }

  private stateOf(session: CheckoutSession): PaymentState {
    const amount = session.amount_total ?? 0;
    const paymentIntent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
    const charge = paymentIntent && typeof paymentIntent.latest_charge === 'object' ? paymentIntent.latest_charge : null;
    const refundedAmount = charge?.amount_refunded ?? 0;
    let status: PaymentStatus;
    if (session.status === 'expired') status = 'expired';
    else if (session.status === 'open') status = 'pending';
    else if (paymentIntent?.status === 'requires_capture') status = 'authorized';
    // A complete but unpaid session whose intent fell back to needing a payment method: the
    // asynchronous payment failed (the session cannot be paid again).
    else if (session.payment_status === 'unpaid' && (paymentIntent?.status === 'requires_payment_method' || paymentIntent?.status === 'canceled')) status = 'declined';
    else status = statusOfCompletedSession(session);
    if (status === 'captured' && refundedAmount > 0) status = refundedAmount >= amount ? 'refunded' : 'partially_refunded';
    return {
      transactionId: session.id,
      orderReference: orderReferenceOf(session),
      status,
      amount,
      currency: (session.currency ?? '').toUpperCase(),
      refundedAmount,
    };
  }

  /** Runs one SDK call; expected failures become values, and so does a response of an unexpected shape. */
  private async call<T>(what: string, send: () => Promise<unknown>, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | Failure> {
    let response: unknown;
    try {
      response = await send();
    } catch (e) {
      return this.failureOf(what, e);
    }
    const parsed = schema.safeParse(response);
    if (!parsed.success) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: `${what}: unexpected response from Stripe` };
    return { ok: true, value: parsed.data };
  }

  private failureOf(what: string, e: unknown): Failure {
    if (!(e instanceof Stripe.errors.StripeError)) throw e; // a bug, not a gateway answer
    const detail = redactSecrets(`${what}: ${[e.type, e.code, e.message].filter(Boolean).join(': ')}`);
    if (e instanceof Stripe.errors.StripeConnectionError) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail };
    // Stripe down or throttling us: the same request may succeed later, unlike a refusal.
    if (e instanceof Stripe.errors.StripeRateLimitError || (e.statusCode ?? 0) >= 500) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail };
    // Only a 404: a 400 with resource_missing names a bad parameter, not the session itself.
    if (e.statusCode === 404) return { ok: false, error: 'NOT_FOUND', detail };
    return { ok: false, error: 'GATEWAY_REJECTED', detail };
  }
}
