// Chooses the payment adapter the configuration names. The sandbox adapter needs the merchant
// credentials the bundled gateway writes on first start (or an earlier start left behind).
import type { ShopConfig } from '../config/config.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { SandboxCredentials } from './sandbox/sandbox-credentials.ts';
import { SandboxPaymentProvider } from './sandbox/sandbox-provider.ts';
import { StripePaymentProvider } from './stripe/stripe-provider.ts';

export function createPaymentProvider(config: ShopConfig, sandboxCredentials: SandboxCredentials | undefined): PaymentProvider | undefined {
  const { provider, stripe } = config.payment;
  if (provider === 'stripe' && stripe) return new StripePaymentProvider({ secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret });
  if (provider === 'sandbox' && sandboxCredentials) {
    return new SandboxPaymentProvider({ baseUrl: sandboxCredentials.gatewayBaseUrl, merchantId: sandboxCredentials.merchantId, secret: sandboxCredentials.secret });
  }
  return undefined;
}
