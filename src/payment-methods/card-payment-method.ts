import { startPayment } from '../payments/start-payment.ts';
import type { PaymentMethod } from './payment-method.ts';

/** The existing flow: the gateway's hosted page, the customer's card typed only there. */
export const cardPaymentMethod: PaymentMethod = {
  id: 'card',
  shipsBeforePayment: false,
  quote: () => ({ ok: true, fee: 0 }),
  deadline: () => undefined,
  begin: (shop, order, clientIp, log) => startPayment(shop, order.orderId, clientIp, log),
};
