// The shop's dependencies, built once by the composition root (start-shop.ts) and handed to
// every service. Domain code depends on this file, never on the HTTP layer: HTTP concerns
// (cookies, rate limits) live in app.ts.
import type { ShopConfig } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import type { PaymentProvider } from './payments/payment-provider.ts';
import type { Mailer } from './mail/mailer.ts';
import type { ShippingFeeStrategy } from './shipping/shipping-fee-strategy.ts';
import type { TaxRoundingStrategy } from './tax/tax-rounding-strategy.ts';
import type { CatalogCache } from './catalog/catalog-cache.ts';
import type { VelocityLimits } from './payments/card-testing-guard.ts';
import type { NotificationListener } from './db/notification-listener.ts';

/** The part of pino the shop uses; Fastify's request logger and a plain pino logger both fit. */
export interface ShopLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

/** The shop's notion of now. Tests pass a clock they advance instead of back-dating rows. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A logger that drops everything (tests, CLIs that print their own output). */
export const silentLogger: ShopLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface ShopContext {
  config: ShopConfig;
  db: DatabaseHandle;
  mailer: Mailer;
  payments: PaymentProvider | undefined;
  shipping: ShippingFeeStrategy;
  rounding: TaxRoundingStrategy;
  clock: Clock;
  catalog: CatalogCache;
  velocityLimits: VelocityLimits;
  logger: ShopLogger;
  /** PostgreSQL: the process's one LISTEN connection (shop pause, catalog); absent on SQLite. */
  notifications?: NotificationListener;
}
