// A listening test shop (first database: page HTML is the same on both) and one headless Chromium
// for a describe block, both closed after it: the set-up every in-browser page test repeats.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { DATABASES } from './databases.ts';
import { launchHeadlessChromium } from './headless-chromium.ts';
import { startTestShop, type TestShop } from './test-shop.ts';

export interface ShopInChromium { shop: TestShop; browser: Browser }

/** Call inside the describe block; read `shop` and `browser` from the result once beforeAll ran. */
export function shopInChromium(opts: Parameters<typeof startTestShop>[1] = {}): ShopInChromium {
  const suite = {} as ShopInChromium;
  beforeAll(async () => {
    suite.shop = await startTestShop(DATABASES[0]!, { listen: true, reconcileAtStart: false, ...opts });
    suite.browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.shop?.dispose();
  });
  return suite;
}
