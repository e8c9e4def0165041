// The shop's own jobs, in a running shop: registered with their schedules, start-up runs as
// configured, and abandoned carts expired after CART_RETENTION_DAYS. Time is the shop's injected clock.
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { addCartItem, createCart } from '../cart/service.ts';
import { listJobRuns, listJobStatus } from './job-runs.ts';
import { expireAbandonedCarts } from './expire-abandoned-carts.ts';

const DAY = 86_400_000;

for (const database of DATABASES) {
  describe(`shop jobs on ${database.name}`, () => {
    let shop: TestShop | undefined;
    let now: Date;
    afterEach(async () => { await shop?.dispose(); shop = undefined; });

    it('registers every job with its schedule; expiry and reconciliation run at start and every minute', async () => {
      now = new Date('2026-12-01T00:00:30.000Z');
      shop = await startTestShop(database, { clock: () => now, jobPollMs: 0 });
      await shop.jobs.settled();
      const status = await listJobStatus(shop.db.db);
      expect(status.map((s) => [s.name, s.schedule])).toEqual([
        ['audit-anchor', 'every 5 min'],
        ['catalog-import', 'every 30 s'],
        ['expire-abandoned-carts', 'cron 45 3 * * *'],
        ['expire-and-reconcile-payments', 'every 1 min'],
        ['incident-deadline-reminders', 'every 1 h'],
        ['monthly-report-reminders', 'every 1 h'],
        // Expired customer sessions and Store API tokens (src/customer-accounts/purge-customer-sessions.ts).
        ['purge-customer-sessions', 'cron 15 4 * * *'],
        // PostgreSQL keeps rate-limit counters in a table (src/http/rate-limit-store.ts).
        ...(database.name === 'postgres' ? [['rate-limit-sweep', 'every 10 min']] : []),
        ['send-incident-notices', 'every 1 min'],
      ]);
      expect(status.find((s) => s.name === 'expire-abandoned-carts')?.nextRunAt).toBe('2026-12-01T18:45:00.000Z'); // 03:45 on 2 December in Tokyo
      expect(status.find((s) => s.name === 'purge-customer-sessions')?.nextRunAt).toBe('2026-12-01T19:15:00.000Z'); // 04:15
      expect((await listJobRuns(shop.db.db, 'expire-and-reconcile-payments')).map((r) => [r.trigger, r.outcome])).toEqual([['startup', 'ok']]);
      now = new Date('2026-12-01T00:01:00.000Z');
      expect(await shop.jobs.runDue()).toEqual(['expire-and-reconcile-payments', 'send-incident-notices', 'catalog-import']);
      expect((await listJobRuns(shop.db.db, 'expire-and-reconcile-payments')).map((r) => r.trigger)).toEqual(['schedule', 'startup']);
    });

    it('does not reconcile at start when reconcileAtStart is false', async () => {
      now = new Date('2026-12-01T00:00:30.000Z');
      shop = await startTestShop(database, { clock: () => now, jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
      await shop.jobs.settled();
      expect(await listJobRuns(shop.db.db, 'expire-and-reconcile-payments')).toEqual([]);
      expect((await listJobStatus(shop.db.db)).map((s) => s.name)).not.toContain('audit-anchor');
    });

    it(`deletes carts not updated for CART_RETENTION_DAYS, with their items, nightly`, async () => {
      now = new Date('2026-12-01T12:00:00.000Z');
      shop = await startTestShop(database, { clock: () => now, jobPollMs: 0, reconcileAtStart: false, env: { CART_RETENTION_DAYS: '10' } });
      const db = shop.db.db;
      const variant = await db.selectFrom('variants').select('id').where('stock', '>', 0).orderBy('id').executeTakeFirstOrThrow();
      const nightly = new Date('2026-12-01T18:45:00.000Z'); // 03:45 in Tokyo
      const old = await createCart(db, new Date(nightly.getTime() - 10 * DAY - 1));
      expect(await addCartItem(db, old, variant.id, 1, new Date(nightly.getTime() - 10 * DAY - 1))).toMatchObject({ ok: true });
      const recent = await createCart(db, new Date(nightly.getTime() - 10 * DAY + 1));
      expect(await addCartItem(db, recent, variant.id, 1, new Date(nightly.getTime() - 10 * DAY + 1))).toMatchObject({ ok: true });
      // An old cart touched recently (an item added) is kept.
      const touched = await createCart(db, new Date(nightly.getTime() - 40 * DAY));
      expect(await addCartItem(db, touched, variant.id, 1, new Date(nightly.getTime() - DAY))).toMatchObject({ ok: true });

      now = new Date(nightly.getTime() - 1);
      expect(await shop.jobs.runDue()).not.toContain('expire-abandoned-carts');
      now = nightly;
      expect(await shop.jobs.runDue()).toContain('expire-abandoned-carts');
      const carts = (await db.selectFrom('carts').select('id').execute()).map((c) => c.id).sort();
      expect(carts).toEqual([recent, touched].sort());
      expect(await db.selectFrom('cart_items').select('cart_id').where('cart_id', '=', old).execute()).toEqual([]);
      expect((await db.selectFrom('cart_items').select('cart_id').execute()).length).toBe(2);
      expect((await listJobRuns(db, 'expire-abandoned-carts')).map((r) => r.outcome)).toEqual(['ok']);
    });

    it('expires carts in batches until none is left', async () => {
      now = new Date('2026-12-01T12:00:00.000Z');
      shop = await startTestShop(database, { clock: () => now, jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
      const db = shop.db.db;
      const old = new Date(now.getTime() - 31 * DAY).toISOString();
      await db.insertInto('carts').values(Array.from({ length: 1203 }, (_, i) => ({ id: `old-${i}`, created_at: old, updated_at: old }))).execute();
      expect(await expireAbandonedCarts(db, now, 30)).toBe(1203);
      expect(await db.selectFrom('carts').select('id').where('id', 'like', 'old-%').execute()).toEqual([]);
    });
  });
}
