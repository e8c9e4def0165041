// The payment port: the only thing the shop knows about a gateway. Kept as small as
// Kysely's Dialect on purpose, so a real gateway adapter is a day's work, not a rewrite.
// Card data has no field anywhere here: the customer types it on the gateway's own page.

export type PaymentStatus =
  | 'pending' // created, customer has not finished on the hosted page
  | 'authorized' // card approved, not yet captured (gateways that separate the two)
  | 'captured' // money taken: the order may become paid
  | 'declined'
  | 'cancelled' // customer cancelled on the hosted page, or the shop cancelled it
  | 'expired'
  | 'refunded' // fully refunded
  | 'partially_refunded';

export interface CreatePaymentInput {
  /** Shop's order reference (order number), echoed back in notifications. */
  orderReference: string;
  /** Tax-inclusive total in the smallest unit (yen). */
  amount: number;
  currency: 'JPY';
  /** Where the gateway sends the customer's browser afterwards. */
  returnUrl: string;
  cancelUrl: string;
  /** Server-to-server notification endpoint of the shop. */
  notificationUrl: string;
  /** For the hosted page's summary; no personal data beyond what the gateway needs. */
  description: string;
  customerEmail?: string;
  locale?: 'ja' | 'en';
}

export interface CreatedPayment {
  /** The gateway's transaction id: the only payment identifier the shop stores. */
  transactionId: string;
  /** Hosted payment page on the gateway's own origin. */
  redirectUrl: string;
}

export interface PaymentState {
  transactionId: string;
  orderReference: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  refundedAmount: number;
}

/** A notification the adapter has verified (or, for gateways with weak signatures, merely parsed). */
export interface VerifiedNotification {
  /** Unique per event at the gateway: the idempotency key together with the provider name. */
  eventId: string;
  transactionId: string;
  orderReference: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  /**
   * true when the signature proves the payload (HMAC with timestamp and event id);
   * false when the gateway's signing is too weak to trust the fields, so the shop must
   * treat the notification as a trigger and confirm by calling getPayment().
   */
  trusted: boolean;
  occurredAt: Date;
}

export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes exactly as received: signatures are over these, not a re-serialisation. */
  rawBody: Buffer;
}

export type NotificationRejection =
  | { ok: false; error: 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' | 'MALFORMED'; detail: string };

export type PaymentResult<T> = { ok: true; value: T } | { ok: false; error: 'GATEWAY_UNAVAILABLE' | 'GATEWAY_REJECTED' | 'NOT_FOUND'; detail: string };

export interface PaymentProvider {
  /** Stable provider name stored on the order (`sandbox`, `stripe`, …). */
  readonly name: string;
  /** Origin of the hosted page, for the shop's CSP form-action. */
  readonly checkoutOrigin: string;
  createPayment(input: CreatePaymentInput): Promise<PaymentResult<CreatedPayment>>;
  verifyNotification(n: IncomingNotification): Promise<{ ok: true; value: VerifiedNotification } | NotificationRejection>;
  getPayment(transactionId: string): Promise<PaymentResult<PaymentState>>;
  cancelPayment(transactionId: string): Promise<PaymentResult<PaymentState>>;
  /** Full refund when amount is omitted. */
  refundPayment(transactionId: string, amount?: number): Promise<PaymentResult<PaymentState>>;
}

/** A convenience-store payment (コンビニ決済): no hosted card page, the customer pays at a store with a number. */
export interface CreateKonbiniPaymentInput extends CreatePaymentInput {
  /** The chain the customer chose at checkout; absent for an order placed before the choice existed (the gateway's default). */
  store?: KonbiniChain;
  /** Last moment the store may take the money; the gateway expires the payment after it. */
  expiresAt: Date;
}

export interface CreatedKonbiniPayment {
  transactionId: string;
  /** What the customer tells (or shows) the store clerk: digits only, never card-shaped (≤ 12 digits). */
  paymentNumber: string;
  /** 確認番号, asked for beside the number at the chains that use one; null at the others. */
  confirmationNumber: string | null;
  /** The chain the number is for; null when the gateway did not say (its numbers are then taken at any). */
  store: KonbiniChain | null;
  expiresAt: Date;
}

/** The convenience-store chains a konbini payment number can be issued for. */
export const KONBINI_CHAINS = ['seven-eleven', 'familymart', 'lawson', 'ministop', 'seicomart'] as const;
export type KonbiniChain = (typeof KONBINI_CHAINS)[number];

/**
 * Optional extension of the port: gateways that issue konbini payment numbers implement it (the
 * sandbox does; the Stripe adapter does not, so the konbini method cannot be switched on there).
 * Settlement needs nothing new: the store payment arrives as the usual signed `captured`
 * notification and goes through settleOrder like a card payment.
 */
export interface KonbiniCapablePaymentProvider extends PaymentProvider {
  createKonbiniPayment(input: CreateKonbiniPaymentInput): Promise<PaymentResult<CreatedKonbiniPayment>>;
  /**
   * How long after a konbini deadline the gateway may still report a payment taken at the store
   * before it (store terminals report late). The shop keeps such an order until then (asking
   * about it on a growing wait, src/payments/reconcile-payments.ts); at it the expiry asks one
   * last time and expires the order if it is still unpaid.
   */
  readonly konbiniReportGraceMs: number;
}

export function supportsKonbini(provider: PaymentProvider | undefined): provider is KonbiniCapablePaymentProvider {
  return typeof (provider as Partial<KonbiniCapablePaymentProvider> | undefined)?.createKonbiniPayment === 'function';
}
