import path from 'node:path';
import { loadConfig, type ShopConfig } from '../../src/config/config.ts';
import { startShop, type RunningShop, type StartShopOptions } from '../../src/start-shop.ts';
import type { TestDatabase } from './databases.ts';

export interface TestShop extends RunningShop {
  config: ShopConfig;
  dataDir: string;
  dispose(): Promise<void>;
}

/** A shop on a fresh database with the demo catalog; in-process (inject) unless listen is set. */
export async function startTestShop(database: TestDatabase, opts: Partial<StartShopOptions> & { env?: Record<string, string>; velocityLimits?: Record<string, number> } = {}): Promise<TestShop> {
  const created = await database.create();
  const loaded = loadConfig({
    DATA_DIR: created.dataDir,
    DATABASE_URL: created.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The growing delay after failed admin logins is tested on its own with an injected clock.
    ADMIN_LOGIN_DELAY_STEP_MS: '0',
    // Unpaid orders per address / e-mail and order mails per recipient are tested on their own
    // (src/orders/order-limits.test.ts); other tests place many orders from one address.
    ORDER_MAX_PENDING_PER_ADDRESS: '100000',
    ORDER_MAX_PENDING_PER_EMAIL: '100000',
    ORDER_MAILS_PER_RECIPIENT_PER_DAY: '100000',
    ...opts.env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const config = loaded.config;
  const shop = await startShop({
    config,
    logger: false,
    listen: false,
    rateLimits: { cart: 10_000, checkout: 10_000, lookup: 10_000, notifications: 10_000 },
    ...opts,
  });
  return {
    ...shop,
    config,
    dataDir: created.dataDir,
    async dispose() {
      await shop.close();
      await created.drop();
    },
  };
}

export function mediaDir(shop: TestShop): string {
  return path.join(shop.dataDir, 'media');
}

export const GOOD_CUSTOMER = {
  email: 'hanako@example.jp',
  name: '山田 花子',
  phone: '090-1234-5678',
  shippingAddress: { country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' },
};
