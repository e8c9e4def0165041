// How a customer pays, as a strategy per method (Vendure-style): card through the gateway's
// hosted page (the default, and the only method with a card anywhere near it), bank transfer,
// cash on delivery and konbini. A method quotes its fee, sets the unpaid order's deadline and,
// once the order is committed, starts whatever the customer needs next. Where the money is
// confirmed the methods meet again: settleOrder (gateway) or recordOfflinePayment (merchant).
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { PaymentProvider } from '../payments/payment-provider.ts';
import type { PaymentMethodId, PaymentSettings } from './payment-settings.ts';

export interface PaymentMethodContext {
  settings: PaymentSettings;
  provider: PaymentProvider | undefined;
}

export type PaymentQuote = { ok: true; fee: number } | { ok: false; reason: 'UNSUPPORTED' | 'OVER_LIMIT' };

/** What the shop needs of a just-placed order to start its payment. */
export interface OrderToPay { orderId: string; orderNumber: string }

export type BeginPaymentResult =
  | { ok: true; redirectUrl?: string }
  | { ok: false; error: 'GATEWAY_UNAVAILABLE' | 'NO_PROVIDER' | 'ORDER_NOT_PAYABLE' | 'PAYMENT_BLOCKED' | 'CHECKOUT_PAUSED' | 'UNTRUSTED_PAYMENT_URL'; detail?: string };

export interface PaymentMethod {
  readonly id: PaymentMethodId;
  /** True when the merchant may ship before the money arrives (cash on delivery). */
  readonly shipsBeforePayment: boolean;
  /** Whether this shop can take an order of this total (items and shipping) this way, and the fee added. */
  quote(ctx: PaymentMethodContext, totalBeforeFee: number): PaymentQuote;
  /** When the order expires unpaid; undefined keeps checkout's short first deadline (the payment starts at once). */
  deadline(ctx: PaymentMethodContext, placedAt: Date): Date | undefined;
  /** After the order is committed: hand over to the gateway, or nothing to do. */
  begin(shop: ShopContext, order: OrderToPay, clientIp: string, log: ShopLogger): Promise<BeginPaymentResult>;
}
