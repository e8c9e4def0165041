// A gateway the test scripts: payments live in memory, their states are set by the test, and
// notifications are signed exactly as the sandbox signs them (verification is the real
// SandboxPaymentProvider's). Lets the shop's side be tested against every bad case at will.
import { randomUUID } from 'node:crypto';
import { createSignedEventHeaders } from '../../platform/hmac-event-signing.ts';
import { SandboxPaymentProvider } from '../../src/payments/sandbox/sandbox-provider.ts';
import type { CreatePaymentInput, PaymentProvider, PaymentResult, PaymentState, PaymentStatus } from '../../src/payments/payment-provider.ts';

export class ScriptedGateway implements PaymentProvider {
  readonly name = 'sandbox';
  readonly checkoutOrigin = 'http://127.0.0.1:9';
  readonly secret = randomUUID();
  readonly payments = new Map<string, PaymentState>();
  down = false;
  getPaymentCalls = 0;
  private readonly verifier = new SandboxPaymentProvider({ baseUrl: this.checkoutOrigin, merchantId: 'm_test', secret: this.secret });
  private seq = 0;

  async createPayment(input: CreatePaymentInput): Promise<PaymentResult<{ transactionId: string; redirectUrl: string }>> {
    if (this.down) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: 'connect ECONNREFUSED' };
    const transactionId = `tx_${++this.seq}_${randomUUID().slice(0, 8)}`;
    this.payments.set(transactionId, { transactionId, orderReference: input.orderReference, status: 'pending', amount: input.amount, currency: input.currency, refundedAmount: 0 });
    return { ok: true, value: { transactionId, redirectUrl: `${this.checkoutOrigin}/pay/${transactionId}` } };
  }
  verifyNotification = (n: Parameters<PaymentProvider['verifyNotification']>[0]) => this.verifier.verifyNotification(n);
  async getPayment(tx: string): Promise<PaymentResult<PaymentState>> {
    this.getPaymentCalls++;
    if (this.down) return { ok: false, error: 'GATEWAY_UNAVAILABLE', detail: 'down' };
    const p = this.payments.get(tx);
    return p ? { ok: true, value: { ...p } } : { ok: false, error: 'NOT_FOUND', detail: tx };
  }
  async cancelPayment(tx: string): Promise<PaymentResult<PaymentState>> {
    const p = this.payments.get(tx);
    if (!p) return { ok: false, error: 'NOT_FOUND', detail: tx };
    if (p.status !== 'pending') return { ok: false, error: 'GATEWAY_REJECTED', detail: `payment is ${p.status}` };
    p.status = 'cancelled';
    return { ok: true, value: { ...p } };
  }
  async refundPayment(tx: string, amount?: number): Promise<PaymentResult<PaymentState>> {
    const p = this.payments.get(tx);
    if (!p) return { ok: false, error: 'NOT_FOUND', detail: tx };
    p.refundedAmount += amount ?? p.amount - p.refundedAmount;
    p.status = p.refundedAmount >= p.amount ? 'refunded' : 'partially_refunded';
    return { ok: true, value: { ...p } };
  }

  /** Sets a payment's state at the "gateway". */
  set(tx: string, status: PaymentStatus, patch: Partial<PaymentState> = {}): PaymentState {
    const p = this.payments.get(tx)!;
    Object.assign(p, { status }, patch);
    return { ...p };
  }

  /** A notification as the gateway would send it: JSON body, headers signed with the merchant secret. */
  notification(state: PaymentState, opts: { eventId?: string; now?: Date; secret?: string } = {}) {
    const eventId = opts.eventId ?? `evt_${randomUUID().replace(/-/g, '')}`;
    const body = JSON.stringify({ eventId, type: `payment.${state.status}`, transactionId: state.transactionId, orderReference: state.orderReference, status: state.status, amount: state.amount, currency: state.currency, occurredAt: (opts.now ?? new Date()).toISOString() });
    const headers = createSignedEventHeaders({ secret: opts.secret ?? this.secret, eventId, body, ...(opts.now ? { now: opts.now } : {}) });
    return { eventId, body, headers: { ...headers, 'content-type': 'application/json' } };
  }
}
