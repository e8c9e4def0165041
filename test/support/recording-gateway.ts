// A payment provider that records what the shop asked of it (return URLs among them) and answers
// status queries with whatever the test set: the gateway's side of a return, without a gateway.
import type { CreatePaymentInput, PaymentProvider, PaymentStatus } from '../../src/payments/payment-provider.ts';

export const GATEWAY = 'http://127.0.0.1:3100';

export function recordingProvider() {
  const created: CreatePaymentInput[] = [];
  const status = new Map<string, PaymentStatus>();
  const amounts = new Map<string, number>();
  const references = new Map<string, string>();
  const provider: PaymentProvider = {
    name: 'sandbox',
    checkoutOrigin: GATEWAY,
    async createPayment(input) {
      created.push(input);
      const id = `tx_${created.length}`;
      status.set(id, 'pending');
      amounts.set(id, input.amount);
      references.set(id, input.orderReference);
      return { ok: true, value: { transactionId: id, redirectUrl: `${GATEWAY}/pay/${id}` } };
    },
    async verifyNotification() { return { ok: false, error: 'BAD_SIGNATURE', detail: 'test' }; },
    async getPayment(id) {
      return { ok: true, value: { transactionId: id, orderReference: references.get(id) ?? '', status: status.get(id) ?? 'pending', amount: amounts.get(id) ?? 0, currency: 'JPY', refundedAmount: 0 } };
    },
    async cancelPayment(id) { return this.getPayment(id); },
    async refundPayment(id) { return this.getPayment(id); },
  };
  return { provider, created, status };
}
