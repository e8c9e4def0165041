import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { currentBaseline } from './baseline.ts';
import { run, type PageWatchCliDeps } from './cli.ts';
import { injectFetch } from './inject-fetch.ts';
import type { PageFetch } from './walk-to-payment.ts';

const ORIGIN = 'http://127.0.0.1:0';

const withUnsafeInline = (fetch: PageFetch): PageFetch => async (url, init) => {
  const res = await fetch(url, init);
  if (new URL(url).pathname !== '/checkout') return res;
  const headers = new Headers(res.headers);
  headers.set('content-security-policy', headers.get('content-security-policy')!.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"));
  return new Response(await res.arrayBuffer(), { status: res.status, headers });
};

describeEachDatabase('mamori page-watch', (database) => {
  let shop: TestShop;
  let out = '';
  let err = '';

  const cli = (args: string[], fetch?: PageFetch) => {
    out = '';
    err = '';
    const deps: Partial<PageWatchCliDeps> = {
      fetch: fetch ?? injectFetch(shop.app, ORIGIN),
      openDb: async () => ({ db: shop.db.db, close: async () => {} }),
      defaultUrl: () => ORIGIN,
      out: (t) => { out += t; },
      err: (t) => { err += t; },
      clock: () => new Date('2026-12-01T05:00:00Z'),
    };
    return run(args, deps);
  };

  beforeAll(async () => {
    shop = await startTestShop(database, { reconcileAtStart: false });
  });

  afterAll(async () => {
    await shop?.dispose();
  });

  it('exits 2 on bad usage', async () => {
    expect(await cli([])).toBe(2);
    expect(await cli(['check', '--format', 'xml'])).toBe(2);
    expect(await cli(['check', '--url', 'ftp://shop.example'])).toBe(2);
    expect(err).toContain('usage: mamori page-watch');
  });

  it('check: 0 with a trust-on-first-use baseline, 0 on match, 1 with differences listed, 2 when the shop cannot be reached', async () => {
    expect(await cli(['check'])).toBe(0);
    expect(out).toContain('trust-on-first-use baseline');
    expect(await cli(['check'])).toBe(0);
    expect(out).toContain('matches baseline');

    expect(await cli(['check'], withUnsafeInline(injectFetch(shop.app, ORIGIN)))).toBe(1);
    expect(out).toMatch(/checkout\s+csp-weakened\s+CSP weakened: 'unsafe-inline' added to script-src/);

    expect(await cli(['check', '--format', 'json'], withUnsafeInline(injectFetch(shop.app, ORIGIN)))).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ outcome: 'differences', level: 'http', baseline: { status: 'trust-on-first-use' }, differences: [{ type: 'csp-weakened', page: 'checkout', directive: 'script-src' }] });

    expect(await cli(['check', '--url', 'http://127.0.0.1:9/'], async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:9'); })).toBe(2);
    expect(err).toContain('UNREACHABLE');
  });

  it('walks a shop listening on a real socket with the real fetch (cookies and redirects over HTTP)', async () => {
    const listening = await startTestShop(database, { reconcileAtStart: false, listen: true });
    try {
      const { walkToPayment } = await import('./walk-to-payment.ts');
      const r = await walkToPayment({ baseUrl: listening.url, fetch: (url, init) => fetch(url, init) });
      expect(r).toMatchObject({ ok: true, level: 'http', cleanedUp: true });
      expect(r.ok && r.snapshots.map((s) => s.page)).toEqual(['catalog', 'product', 'cart', 'checkout']);
      expect(r.ok && r.snapshots[3]!.stylesheets[0]).toMatchObject({ url: '/static/shop.css', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      await listening.dispose();
    }
  });

  it('approve stores the current walk as the approved baseline, actor cli', async () => {
    const fetch = withUnsafeInline(injectFetch(shop.app, ORIGIN));
    expect(await cli(['approve'], fetch)).toBe(0);
    expect(out).toContain('Approved baseline');
    expect(out).toContain("'unsafe-inline' added to script-src");
    expect(await currentBaseline(shop.db.db)).toMatchObject({ status: 'approved', approvedBy: 'cli', approvedAt: '2026-12-01T05:00:00.000Z' });
    expect(await cli(['check'], fetch)).toBe(0);
  });

  it('refuses to compare a browser walk with an HTTP baseline (exit 2, before any walk)', async () => {
    let walked = false;
    expect(await cli(['check', '--level', 'browser', '--chromium', '/nonexistent/chromium'], async () => { walked = true; throw new Error('no walk expected'); })).toBe(2);
    expect(err).toContain('was taken at level http; approve a browser walk first');
    expect(walked).toBe(false);
    expect(await cli(['check', '--level', 'carrier-pigeon'])).toBe(2);
  });
});
