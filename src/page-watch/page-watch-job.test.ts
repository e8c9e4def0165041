// The scheduled page watch end to end: a baseline on first use, silence on an untouched shop,
// and a tampered checkout detected at the next run with card payments paused — the time from
// tampering to pause measured on the shop's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { injectFetch } from './inject-fetch.ts';
import type { PageFetch } from './walk-to-payment.ts';
import { activePauses, isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { acknowledgeAlert, listOpenAlerts } from '../alerts/raise-alert.ts';
import { resumeShop } from '../shop-pause/shop-pause.ts';
import { SandboxPaymentProvider } from '../payments/sandbox/sandbox-provider.ts';
import { issueTamperCases, skimmerInPublicDir, tamperedFetch, type PageTamper } from '../../test/support/page-watch-tampers.ts';
import { approveBaseline, currentBaseline } from './baseline.ts';
import { resolveWalkLevel, runPageWatch } from './page-watch-job.ts';
import { silentLogger } from '../shop-context.ts';
import type { Difference } from './compare.ts';

const INTERVAL_MS = 60_000;
const GATEWAY = 'http://127.0.0.1:3100';
const gateway = (baseUrl: string) => new SandboxPaymentProvider({ baseUrl, merchantId: 'mch_test', secret: 'sk_sandbox_never_contacted_in_this_test' });

describe('PAGE_WATCH_LEVEL', () => {
  it('auto walks in the browser when Chromium is installed and the shop listens, else over HTTP', () => {
    const has = () => true;
    const hasNot = () => false;
    expect(resolveWalkLevel('auto', '/usr/bin/chromium', true, has)).toBe('browser');
    expect(resolveWalkLevel('auto', '/usr/bin/chromium', true, hasNot)).toBe('http');
    expect(resolveWalkLevel('auto', '/usr/bin/chromium', false, has)).toBe('http');
    expect(resolveWalkLevel('http', '/usr/bin/chromium', true, has)).toBe('http');
    expect(resolveWalkLevel('browser', '/usr/bin/chromium', true, hasNot)).toBe('browser');
  });
});

for (const database of DATABASES) {
  describe(`the page-watch job on ${database.name}`, () => {
    let shop: TestShop;
    let now = new Date('2026-12-01T01:00:30Z');
    let tamper: ((path: string, html: string) => string) | undefined;
    let tamperCase: PageTamper | undefined;
    const skimmer = skimmerInPublicDir();
    beforeAll(async () => {
      let inner: PageFetch | undefined;
      let shopReady!: () => void;
      const ready = new Promise<void>((resolve) => { shopReady = resolve; });
      // The intruder's change, seen as a customer would see it: the served checkout page altered.
      const fetchThroughTamper: PageFetch = async (url, init) => {
        await ready; // the start-up run begins inside startShop, before `inner` exists
        const res = await inner!(url, init);
        const path = new URL(url).pathname;
        if (!tamper || !(res.headers.get('content-type') ?? '').startsWith('text/html')) return res;
        return new Response(tamper(path, await res.text()), { status: res.status, headers: res.headers });
      };
      shop = await startTestShop(database, { clock: () => now, payments: gateway(GATEWAY), reconcileAtStart: false, pageWatch: { fetch: tamperedFetch(fetchThroughTamper, () => tamperCase) } });
      inner = injectFetch(shop.app, shop.config.publicUrl);
      shopReady();
      await shop.jobs.settled();
    });
    afterAll(async () => {
      skimmer.remove();
      await shop?.dispose();
    });

    const advanceTo = async (t: Date) => { now = t; await shop.jobs.runDue(); };

    it('records a trust-on-first-use baseline and stays silent over 30 untouched runs', async () => {
      const runs = () => shop.db.db.selectFrom('page_watch_runs' as never).select(['outcome' as never]).execute() as Promise<{ outcome: string }[]>;
      expect((await runs()).map((r) => r.outcome)).toEqual(['baseline-recorded']);
      for (let i = 1; i <= 30; i++) await advanceTo(new Date(Date.parse('2026-12-01T01:00:00Z') + i * INTERVAL_MS + 1));
      const outcomes = (await runs()).map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'match')).toHaveLength(30);
      expect(await listOpenAlerts(shop.db.db)).toEqual([]);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
      // 31 walks: on a loaded machine with PostgreSQL this takes longer than the default 30 s.
    }, 180_000);

    it('detects a script added to the checkout page at the next run and pauses card payments within the interval', async () => {
      const tamperedAt = new Date(now.getTime() + 5_000);
      now = tamperedAt;
      tamper = (path, html) => (path === '/checkout' ? html.replace('</body>', '<script src="https://cdn.evil.example/skim.js"></script></body>') : html);
      await advanceTo(new Date(Math.floor(tamperedAt.getTime() / INTERVAL_MS + 1) * INTERVAL_MS + 1));
      const pause = (await activePauses(shop.db.db)).card_payments;
      expect(pause).toBeDefined();
      const elapsedMs = Date.parse(pause!.paused_at) - tamperedAt.getTime();
      console.log(`page watch on ${database.name}: tampering to pause ${elapsedMs / 1000} s on the shop's clock (interval ${INTERVAL_MS / 1000} s)`);
      expect(elapsedMs).toBeGreaterThan(0);
      expect(elapsedMs).toBeLessThanOrEqual(INTERVAL_MS);
      const [alert] = await listOpenAlerts(shop.db.db);
      expect(alert).toMatchObject({ kind: 'page_watch.difference', severity: 'critical' });
      expect(alert!.summary).toContain('cdn.evil.example/skim.js');
      // The next runs see the same tamper: counted on the open alert, not a new one.
      await advanceTo(new Date(now.getTime() + INTERVAL_MS));
      const open = await listOpenAlerts(shop.db.db);
      expect(open).toHaveLength(1);
      expect(open[0]!.occurrences).toBe(2);
    });

    const runDifferences = async () => {
      const [run] = await shop.db.db.selectFrom('page_watch_runs' as never).select(['outcome' as never, 'differences_json' as never, 'level' as never]).orderBy('id' as never, 'desc').limit(1).execute() as { outcome: string; differences_json: string; level: string }[];
      return { outcome: run!.outcome, level: run!.level, types: (JSON.parse(run!.differences_json) as Difference[]).map((d) => d.type) };
    };
    const clearAlertsAndResume = async () => {
      for (const a of await listOpenAlerts(shop.db.db)) await acknowledgeAlert(shop.context, a.id, { id: 'admin:test' }, 'test reset');
      await resumeShop(shop.context, 'card_payments', { id: 'admin:test' }, 'test reset');
    };

    it('detects each tamper case of the issue within one cycle and pauses card payments (HTTP level)', async () => {
      tamper = undefined;
      await clearAlertsAndResume();
      await advanceTo(new Date(now.getTime() + INTERVAL_MS));
      expect((await runDifferences()).outcome).toBe('match');
      for (const c of issueTamperCases(skimmer.href)) {
        tamperCase = c;
        await advanceTo(new Date(now.getTime() + INTERVAL_MS));
        const run = await runDifferences();
        expect(run, c.name).toMatchObject({ outcome: 'differences', level: 'http' });
        expect(run.types, c.name).toContain(c.expected);
        expect(await isCardPaymentPaused(shop.db.db), c.name).toBe(true);
        tamperCase = undefined;
        await clearAlertsAndResume();
        await advanceTo(new Date(now.getTime() + INTERVAL_MS));
        expect((await runDifferences()).outcome, `${c.name}: untouched again`).toBe('match');
      }
    });

    it('detects the gateway configured to another origin: the same approved baseline, a shop restarted with another gateway', async () => {
      const other = await startTestShop(database, { clock: () => now, payments: gateway('https://pay-mamori.example'), reconcileAtStart: false });
      try {
        const approved = (await currentBaseline(shop.db.db))!;
        await approveBaseline(other.db.db, approved.snapshots, 'admin:test', { now, level: 'http' });
        const outcome = await runPageWatch({ shop: other.context, log: silentLogger, baseUrl: other.config.publicUrl, fetch: injectFetch(other.app, other.config.publicUrl), level: 'http', onAlert: 'pause' });
        expect(outcome.outcome).toBe('differences');
        expect(outcome.outcome === 'differences' && outcome.differences.map((d) => d.type)).toContain('payment-origin-changed');
        expect(await isCardPaymentPaused(other.db.db)).toBe(true);
      } finally {
        await other.dispose();
      }
    });

    it('with the browser level and no Chromium, reports "could not check" (an alert) instead of crashing the job', async () => {
      const other = await startTestShop(database, { clock: () => now, reconcileAtStart: false });
      try {
        const outcome = await runPageWatch({ shop: other.context, log: silentLogger, baseUrl: 'http://127.0.0.1:9', fetch: injectFetch(other.app, other.config.publicUrl), level: 'browser', chromiumPath: '/nonexistent/chromium', onAlert: 'pause' });
        expect(outcome).toMatchObject({ outcome: 'failed', level: 'browser', step: 'launch-browser' });
        expect((await listOpenAlerts(other.db.db)).map((a) => a.kind)).toEqual(['page_watch.check_failed']);
        expect(await isCardPaymentPaused(other.db.db)).toBe(false);
      } finally {
        await other.dispose();
      }
    });
  });
}
