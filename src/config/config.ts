// All configuration comes from the environment, validated once at start-up. Every value
// has a safe default so `npm start` works on a fresh machine; nothing here is a secret default.
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const yen = z.coerce.number().int().min(0).max(10_000_000);

const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** Public origin the shop is reached at (used in e-mails, canonical URLs, payment return URLs). */
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Mamori Shop <shop@localhost>'),
  SHOP_NAME: z.string().default('Mamori'),
  SHIPPING_FLAT_FEE: yen.default(800),
  SHIPPING_FREE_OVER: yen.default(5000),
  ORDER_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Cookies become Secure and HSTS is sent only when the shop is served over HTTPS. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  PAYMENT_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
  PAYGATE_HOST: z.string().default('127.0.0.1'),
  PAYGATE_PORT: port.default(3100),
  /** Where the shop finds the gateway; defaults to the bundled sandbox. */
  PAYGATE_URL: z.url().optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, { error: 'must be a Stripe secret or restricted key (sk_… / rk_…)' }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', { error: 'must be the webhook signing secret (whsec_…)' }).optional(),
}).refine((e) => e.PAYMENT_PROVIDER !== 'stripe' || (e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET), {
  error: 'PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET',
  path: ['PAYMENT_PROVIDER'],
});

export interface ShopConfig {
  host: string;
  port: number;
  publicUrl: string;
  https: boolean;
  dataDir: string;
  databaseUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  shopName: string;
  shipping: { flatFee: number; freeOver: number };
  orderPaymentTimeoutMinutes: number;
  logLevel: string;
  trustProxy: boolean;
  payment: {
    provider: 'sandbox' | 'stripe';
    paygateHost: string;
    paygatePort: number;
    paygateUrl: string;
    stripe: { secretKey: string; webhookSecret: string } | undefined;
  };
}

export type ConfigResult = { ok: true; config: ShopConfig } | { ok: false; errors: string[] };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  const paygateUrl = (e.PAYGATE_URL ?? `http://${e.PAYGATE_HOST}:${e.PAYGATE_PORT}`).replace(/\/$/, '');
  return {
    ok: true,
    config: {
      host: e.HOST,
      port: e.PORT,
      publicUrl,
      https: publicUrl.startsWith('https://'),
      dataDir,
      databaseUrl: e.DATABASE_URL ?? path.join(dataDir, 'mamori.sqlite'),
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      shopName: e.SHOP_NAME,
      shipping: { flatFee: e.SHIPPING_FLAT_FEE, freeOver: e.SHIPPING_FREE_OVER },
      orderPaymentTimeoutMinutes: e.ORDER_PAYMENT_TIMEOUT_MINUTES,
      logLevel: e.LOG_LEVEL,
      trustProxy: e.TRUST_PROXY,
      payment: {
        provider: e.PAYMENT_PROVIDER,
        paygateHost: e.PAYGATE_HOST,
        paygatePort: e.PAYGATE_PORT,
        paygateUrl,
        stripe: e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET } : undefined,
      },
    },
  };
}
