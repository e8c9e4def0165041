import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { approveBaseline, currentBaseline, recentRuns, recordRun } from './baseline.ts';
import { checkPaymentPages } from './check-payment-pages.ts';
import { injectFetch } from './inject-fetch.ts';
import type { PageFetch } from './walk-to-payment.ts';

const ORIGIN = 'http://127.0.0.1:0';

const withScript = (fetch: PageFetch): PageFetch => async (url, init) => {
  const res = await fetch(url, init);
  if (new URL(url).pathname !== '/checkout') return res;
  const html = (await res.text()).replace('</body>', '<script src="https://cdn.pay-mamori.example/skim.js"></script></body>');
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(html, { status: res.status, headers });
};

describeEachDatabase('page-watch baseline', (database) => {
  let shop: TestShop;
  let fetch: PageFetch;
  let now = new Date('2026-12-01T03:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    shop = await startTestShop(database, { reconcileAtStart: false });
    fetch = injectFetch(shop.app, ORIGIN);
  });

  afterAll(async () => {
    await shop?.dispose();
  });

  const auditRows = () => shop.db.db.withTables<{ audit_log: { id: number; actor: string | null; action: string; target: string | null; created_at: string; before_json: string | null; after_json: string | null } }>()
    .selectFrom('audit_log').selectAll().where('action', 'like', 'page_watch.%').orderBy('id').execute();

  it('keeps the first walk as trust-on-first-use, then matches it and reports a tampered walk', async () => {
    const db = shop.db.db;
    const first = await checkPaymentPages(db, { baseUrl: ORIGIN, fetch }, clock);
    expect(first).toMatchObject({ outcome: 'baseline-recorded', level: 'http', baseline: { status: 'trust-on-first-use', approvedBy: null } });
    expect(await auditRows()).toMatchObject([{ actor: 'system', action: 'page_watch.baseline_recorded' }]);

    now = new Date('2026-12-01T03:01:00Z');
    expect(await checkPaymentPages(db, { baseUrl: ORIGIN, fetch }, clock)).toMatchObject({ outcome: 'match' });

    const tampered = await checkPaymentPages(db, { baseUrl: ORIGIN, fetch: withScript(fetch) }, clock);
    expect(tampered.outcome).toBe('differences');
    expect(tampered.outcome === 'differences' && tampered.differences.map((d) => d.type)).toEqual(['script-added']);

    const failed = await checkPaymentPages(db, { baseUrl: ORIGIN, fetch: async () => { throw new Error('ECONNREFUSED'); } }, clock);
    expect(failed).toMatchObject({ outcome: 'failed', error: 'UNREACHABLE', step: 'catalog' });

    const runs = await recentRuns(db);
    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'differences', 'match', 'baseline-recorded']);
    expect(runs[1]!.differences).toEqual(tampered.outcome === 'differences' ? tampered.differences : []);
    expect(runs[0]!.error).toContain('ECONNREFUSED');
  });

  it('approving stores a new baseline and an audit entry with who, when and the diff, in one transaction', async () => {
    const db = shop.db.db;
    const previous = (await currentBaseline(db))!;
    const walk = await checkPaymentPages(db, { baseUrl: ORIGIN, fetch: withScript(fetch) }, clock);
    expect(walk.outcome).toBe('differences');
    const { walkToPayment } = await import('./walk-to-payment.ts');
    const r = await walkToPayment({ baseUrl: ORIGIN, fetch: withScript(fetch) });
    if (!r.ok) throw new Error(r.detail);
    now = new Date('2026-12-01T04:00:00Z');
    const approved = await approveBaseline(db, r.snapshots, 'admin:7', { now });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'admin:7', approvedAt: '2026-12-01T04:00:00.000Z' });
    expect((await currentBaseline(db))!.id).toBe(approved.id);

    const entry = (await auditRows()).at(-1)!;
    expect(entry).toMatchObject({ actor: 'admin:7', action: 'page_watch.baseline_approved', target: `page_watch_baseline:${approved.id}`, created_at: '2026-12-01T04:00:00.000Z' });
    expect(JSON.parse(entry.before_json!)).toMatchObject({ baselineId: previous.id, status: 'trust-on-first-use' });
    const after = JSON.parse(entry.after_json!);
    expect(after.differencesFromPrevious).toEqual([expect.objectContaining({ type: 'script-added', page: 'checkout' })]);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // The approved walk (with its script) now matches; the plain shop lacks the approved script.
    expect(await checkPaymentPages(db, { baseUrl: ORIGIN, fetch: withScript(fetch) }, clock)).toMatchObject({ outcome: 'match', baseline: { id: approved.id } });
    const plain = await checkPaymentPages(db, { baseUrl: ORIGIN, fetch }, clock);
    expect(plain.outcome === 'differences' && plain.differences.map((d) => d.type)).toEqual(['script-removed']);
  });

  it('an approval whose audit entry cannot be written leaves no baseline behind', async () => {
    const db = shop.db.db;
    const before = (await currentBaseline(db))!;
    // The audit log refuses an actor longer than 200 characters, after the baseline row was inserted.
    await expect(approveBaseline(db, before.snapshots, 'x'.repeat(201))).rejects.toThrow();
    expect((await currentBaseline(db))!.id).toBe(before.id);
  });

  it('keeps a bounded run history', async () => {
    const db = shop.db.db;
    for (let i = 0; i < 5; i++) await recordRun(db, { startedAt: now, finishedAt: now, level: 'http', outcome: 'match', baselineId: null, differences: [] }, 3);
    expect(await recentRuns(db, 100)).toHaveLength(3);
  });
});
