// The scheduled page watch at the browser level (headless Chromium): a browser baseline on first
// use, silence over untouched cycles (fresh nonces and CSRF tokens every time), and each tamper
// case of the issue detected at the next cycle with card payments paused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { CHROMIUM_PATH, describeWithChromium } from '../../test/support/headless-chromium.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { issueTamperCases, skimmerInPublicDir, tamperInBrowser, type PageTamper } from '../../test/support/page-watch-tampers.ts';
import { acknowledgeAlert, listOpenAlerts } from '../alerts/raise-alert.ts';
import { isCardPaymentPaused, resumeShop } from '../shop-pause/shop-pause.ts';
import { SandboxPaymentProvider } from '../payments/sandbox/sandbox-provider.ts';
import { silentLogger } from '../shop-context.ts';
import { latestWatchResult } from '../watch-results/watch-results.ts';
import { approveBaseline, currentBaseline } from './baseline.ts';
import type { Difference } from './compare.ts';
import { runPageWatch } from './page-watch-job.ts';

const INTERVAL_MS = 60_000;
const UNTOUCHED_CYCLES = 3;
const GATEWAY = 'http://127.0.0.1:3100';
const gateway = (baseUrl: string) => new SandboxPaymentProvider({ baseUrl, merchantId: 'mch_test', secret: 'sk_sandbox_never_contacted_in_this_test' });

// SQLite only: the walk in Chromium is the same whichever engine stores the baseline, and the
// storage, alert and pause are proven on both engines at the HTTP level (page-watch-job.test.ts);
// each browser pass costs about half a minute on these machines.
// The suite is always declared (skipped when SQLite is not selected) so the PostgreSQL pass finds a suite in this file.
const sqlite = DATABASES.find((d) => d.name === 'sqlite');
(sqlite ? describeWithChromium : describe.skip)('the page-watch job at the browser level on sqlite', () => {
  const database = sqlite!;
  let shop: TestShop;
  let now = new Date('2026-12-01T03:00:30Z');
  let tamperCase: PageTamper | undefined;
  const skimmer = skimmerInPublicDir();
  const env = { CHROMIUM_PATH };

  beforeAll(async () => {
    shop = await startTestShop(database, {
      listen: true, clock: () => now, payments: gateway(GATEWAY), reconcileAtStart: false, env,
      pageWatch: { fetch: (u, init) => fetch(u, init), level: 'browser', preparePage: (page) => tamperInBrowser(page, () => tamperCase) },
    });
    await shop.jobs.settled();
  }, 120_000);
  afterAll(async () => {
    skimmer.remove();
    await shop?.dispose();
  });

  const advance = async () => { now = new Date(now.getTime() + INTERVAL_MS); await shop.jobs.runDue(); };
  const lastRun = async () => {
    const [run] = await shop.db.db.selectFrom('page_watch_runs' as never).select(['outcome' as never, 'differences_json' as never, 'level' as never, 'error' as never]).orderBy('id' as never, 'desc').limit(1).execute() as { outcome: string; differences_json: string; level: string; error: string | null }[];
    return { outcome: run!.outcome, level: run!.level, error: run!.error, types: (JSON.parse(run!.differences_json) as Difference[]).map((d) => d.type) };
  };

  it(`records a browser baseline on first use and stays silent over ${UNTOUCHED_CYCLES} untouched cycles`, async () => {
    expect(await currentBaseline(shop.db.db)).toMatchObject({ level: 'browser', status: 'trust-on-first-use' });
    for (let i = 0; i < UNTOUCHED_CYCLES; i++) {
      await advance();
      expect(await lastRun()).toMatchObject({ outcome: 'match', level: 'browser' });
    }
    expect(await listOpenAlerts(shop.db.db)).toEqual([]);
    expect(await latestWatchResult(shop.db.db, 'page-watch')).toMatchObject({ outcome: 'clean', summary: expect.stringContaining('level browser') });
  }, 180_000);

  it('detects each tamper case of the issue at the next cycle and pauses card payments', async () => {
    for (const c of issueTamperCases(skimmer.href)) {
      tamperCase = c;
      await advance();
      const run = await lastRun();
      expect(run, c.name).toMatchObject({ outcome: 'differences', level: 'browser' });
      expect(run.types, c.name).toContain(c.expected);
      expect(await isCardPaymentPaused(shop.db.db), c.name).toBe(true);
      tamperCase = undefined;
      for (const a of await listOpenAlerts(shop.db.db)) await acknowledgeAlert(shop.context, a.id, { id: 'admin:test' }, 'test reset');
      await resumeShop(shop.context, 'card_payments', { id: 'admin:test' }, 'test reset');
    }
    await advance();
    expect((await lastRun()).outcome).toBe('match');
  }, 300_000);

  it('detects the gateway configured to another origin against the approved browser baseline', async () => {
    const other = await startTestShop(database, { listen: true, clock: () => now, payments: gateway('https://pay-mamori.example'), reconcileAtStart: false, env });
    try {
      await approveBaseline(other.db.db, (await currentBaseline(shop.db.db))!.snapshots, 'admin:test', { now, level: 'browser' });
      const outcome = await runPageWatch({ shop: other.context, log: silentLogger, baseUrl: other.url.replace(/\/$/, ''), fetch: (u, init) => fetch(u, init), level: 'browser', chromiumPath: CHROMIUM_PATH, onAlert: 'pause' });
      expect(outcome).toMatchObject({ outcome: 'differences', level: 'browser' });
      expect(outcome.outcome === 'differences' && outcome.differences.map((d) => d.type)).toContain('payment-origin-changed');
      expect(await isCardPaymentPaused(other.db.db)).toBe(true);
    } finally {
      await other.dispose();
    }
  }, 120_000);
});
