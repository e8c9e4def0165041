// The sign-off reminders on the configured days (here the 5th and the 15th), with the shop's injected
// clock: last month's report not submitted → the vendor accounts and owners from the submit-by day;
// not approved → the committee (owners, member auditors) from the approve-by day; never twice; none
// when the step was done in time; not to staff, non-member auditors or a vendor whose access ended.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount } from '../../test/support/admin-test-client.ts';
import { setCommitteeMembership } from './committee-members.ts';
import { saveDraft, submitReview, approveReview } from './review-service.ts';
import { fakeMonthlyReportRenderer } from '../../test/support/fake-monthly-report-renderer.ts';

describeEachDatabase('monthly report reminders', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T00:00:00Z');
  const ids = {} as Record<string, number>;

  /** Recipients of the reminder mails about `month`, in order, as `kind:to`. */
  const mails = (month: string): string[] => {
    const dir = path.join(shop.dataDir, 'outbox');
    let files: string[] = [];
    try { files = readdirSync(dir).sort(); } catch { return []; }
    return files.map((f) => readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(`/admin/security-reports/${month}`)).map((m) => {
      const to = /^To: (.+)$/m.exec(m)![1]!.trim();
      return `${m.includes('approved by day') ? 'approve' : 'submit'}:${to}`;
    }).sort();
  };
  /** Runs the job at a shop-local (Asia/Tokyo) wall time. */
  const runAt = async (tokyo: string) => {
    now = new Date(`${tokyo}+09:00`);
    expect(await shop.jobs.runNow('monthly-report-reminders')).toBe('ok');
  };

  beforeAll(async () => {
    shop = await startTestShop(database, {
      clock: () => now, jobPollMs: 0, seedDemoCatalog: false,
      env: { MONTHLY_REPORT_SUBMIT_BY_DAY: '5', MONTHLY_REPORT_APPROVE_BY_DAY: '15', SHOP_TIME_ZONE: 'Asia/Tokyo' },
    });
    await shop.jobs.settled();
    ids.owner = (await enrolledAccount(shop, 'owner@example.jp', 'owner')).account.id;
    ids.vendor = (await enrolledAccount(shop, 'vendor@example.jp', 'vendor')).account.id;
    await enrolledAccount(shop, 'old-vendor@example.jp', 'vendor', { access_expires_at: '2026-11-01T00:00:00.000Z' });
    ids.auditor = (await enrolledAccount(shop, 'auditor@example.jp', 'auditor')).account.id;
    await enrolledAccount(shop, 'other-auditor@example.jp', 'auditor');
    await enrolledAccount(shop, 'staff@example.jp', 'staff');
    await setCommitteeMembership(shop.db.db, ids.auditor, true, { id: `admin:${ids.owner}` }, now);
  });
  afterAll(async () => { await shop?.dispose(); });

  it('reads the days from the configuration', () => {
    expect(shop.config.securityCommittee).toEqual({ submitByDay: 5, approveByDay: 15 });
  });

  it('November not submitted: the vendor and owners from the 5th, the committee from the 15th, each once', async () => {
    await runAt('2026-12-04T23:59:59');
    expect(mails('2026-11')).toEqual([]);
    await runAt('2026-12-05T00:00:00');
    expect(mails('2026-11')).toEqual(['submit:owner@example.jp', 'submit:vendor@example.jp']);
    await runAt('2026-12-05T01:00:00');
    await runAt('2026-12-09T09:00:00');
    expect(mails('2026-11')).toHaveLength(2);
    await runAt('2026-12-14T23:59:00');
    expect(mails('2026-11')).toHaveLength(2);
    await runAt('2026-12-15T00:30:00');
    expect(mails('2026-11')).toEqual(['approve:auditor@example.jp', 'approve:owner@example.jp', 'submit:owner@example.jp', 'submit:vendor@example.jp']);
    await runAt('2026-12-28T10:00:00');
    expect(mails('2026-11')).toHaveLength(4);
  });

  it('December submitted on the 3rd: no submit reminder; approved on the 10th: no approve reminder', async () => {
    const actor = (id: number, email: string, role: 'vendor' | 'auditor') => ({ accountId: id, email, role });
    await runAt('2027-01-03T10:00:00');
    expect((await saveDraft(shop.db.db, '2026-12', { expectedVersion: 0, comments: { summary: 'ok' }, actions: [], closedActionIds: [] }, actor(ids.vendor!, 'vendor@example.jp', 'vendor'), now)).ok).toBe(true);
    expect((await submitReview(shop.db.db, '2026-12', { expectedVersion: 1, note: '' }, actor(ids.vendor!, 'vendor@example.jp', 'vendor'), now, 'Asia/Tokyo')).ok).toBe(true);
    await runAt('2027-01-05T08:00:00');
    expect(mails('2026-12')).toEqual([]);
    await runAt('2027-01-10T08:00:00');
    const ctx = { db: shop.db.db, renderer: fakeMonthlyReportRenderer(), timeZone: 'Asia/Tokyo' };
    expect((await approveReview(ctx, '2026-12', { expectedVersion: 2, note: '' }, actor(ids.auditor!, 'auditor@example.jp', 'auditor'), now)).ok).toBe(true);
    await runAt('2027-01-15T08:00:00');
    await runAt('2027-01-31T08:00:00');
    expect(mails('2026-12')).toEqual([]);
  });
});
