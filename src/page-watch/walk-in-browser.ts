// The second level of the walk: the same way to payment in headless Chromium, snapshotting each
// page's DOM after its scripts ran. The HTTP level hashes the scripts a page names; it cannot see a
// script that an unchanged loader fetches at run time, nor a fake form a script builds in the DOM.
// Same dry run as the HTTP walk: it stops at the checkout page and removes its cart line again.
import type { Page, Response as PlaywrightResponse } from 'playwright-core';
import { snapshotPage, type PageSnapshot, type ResourceFetcher } from './page-snapshot.ts';

export interface BrowserWalkOptions {
  baseUrl: string;
  /** The Chromium binary (Debian's /usr/bin/chromium; never a downloaded build). */
  executablePath: string;
  productPath?: string;
  /** Per navigation; default 15 s. */
  timeoutMs?: number;
  /** Runs before the first navigation: tests route responses here to play a tampered shop. */
  preparePage?: (page: Page) => Promise<void>;
}

export type BrowserWalkResult =
  | { ok: true; level: 'browser'; snapshots: PageSnapshot[]; cleanedUp: boolean }
  | { ok: false; level: 'browser'; error: 'UNREACHABLE' | 'UNEXPECTED_RESPONSE' | 'NO_PRODUCT_AVAILABLE'; step: string; detail: string; snapshots: PageSnapshot[] };

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

class BrowserWalkFailure extends Error {
  constructor(readonly code: 'UNREACHABLE' | 'UNEXPECTED_RESPONSE' | 'NO_PRODUCT_AVAILABLE', readonly step: string, detail: string) {
    super(detail);
  }
}

export async function walkInBrowser(opts: BrowserWalkOptions): Promise<BrowserWalkResult> {
  const base = opts.baseUrl.replace(/\/$/, '');
  const timeout = opts.timeoutMs ?? 15_000;
  const snapshots: PageSnapshot[] = [];
  // Loaded on use: playwright-core is a development dependency, and the HTTP level must not need it.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: opts.executablePath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    // The bytes the browser really ran, by URL (a script can differ per request; this is the copy that executed).
    const bodies = new Map<string, Promise<Uint8Array | undefined>>();
    page.on('response', (r) => {
      const type = r.request().resourceType();
      if (type === 'script' || type === 'stylesheet') bodies.set(r.url(), r.body().then((b) => new Uint8Array(b), () => undefined));
    });
    await opts.preparePage?.(page);

    const fetchResource: ResourceFetcher = async (url) => {
      const seen = await bodies.get(url);
      if (seen) return { body: seen };
      try {
        const r = await context.request.get(url, { maxRedirects: 0, timeout });
        return r.status() === 200 ? { body: new Uint8Array(await r.body()) } : { error: `HTTP ${r.status()}` };
      } catch (err) {
        return { error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
      }
    };

    const visit = async (name: string, path: string) => {
      let response: PlaywrightResponse | null;
      try {
        response = await page.goto(base + path, { waitUntil: 'load' });
        // Give scripts that load more scripts their turn before reading the DOM.
        await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
      } catch (err) {
        throw new BrowserWalkFailure('UNREACHABLE', name, err instanceof Error ? err.message.split('\n')[0]! : String(err));
      }
      if (!response || response.status() !== 200) throw new BrowserWalkFailure('UNEXPECTED_RESPONSE', name, `GET ${path} answered ${response?.status() ?? 'nothing'}`);
      const headers = new Headers(await response.allHeaders());
      snapshots.push(await snapshotPage({ page: name, url: page.url(), status: response.status(), html: await page.content(), headers }, fetchResource));
    };

    let added = false;
    try {
      await visit('catalog', '/');
      const candidates = opts.productPath ? [opts.productPath] : (await page.$$eval('a[href^="/products/"]', (as) => as.map((a) => a.getAttribute('href')!.split('?')[0]!))).filter((v, i, all) => all.indexOf(v) === i).slice(0, 5);
      for (const path of candidates) {
        await visit('product', path);
        const submit = page.locator('form[action="/cart/items"] [type="submit"]');
        if ((await submit.count()) === 1) {
          const [nav] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), submit.click()]);
          if (nav && new URL(nav.url()).pathname === '/cart' && nav.status() === 200) {
            added = true;
            break;
          }
        }
        snapshots.pop();
      }
      if (!added) throw new BrowserWalkFailure('NO_PRODUCT_AVAILABLE', 'add-to-cart', `none of ${candidates.length} products could be added to a cart`);
      await visit('cart', '/cart');
      await visit('checkout', '/checkout');
      return { ok: true, level: 'browser', snapshots: [...snapshots], cleanedUp: await removeCartLines(page, base, timeout) };
    } catch (err) {
      if (added) await removeCartLines(page, base, timeout).catch(() => false);
      if (err instanceof BrowserWalkFailure) return { ok: false, level: 'browser', error: err.code, step: err.step, detail: err.message, snapshots };
      throw err;
    }
  } finally {
    await browser.close();
  }
}

async function removeCartLines(page: Page, base: string, timeout: number): Promise<boolean> {
  await page.goto(`${base}/cart`, { waitUntil: 'load', timeout });
  for (let i = 0; i < 20; i++) {
    const remove = page.locator('form[action$="/remove"] [type="submit"]').first();
    if ((await remove.count()) === 0) return true;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), remove.click()]);
  }
  return false;
}
