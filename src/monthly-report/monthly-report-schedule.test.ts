// The job inside a running shop: the scheduler runs it at 06:00 on the 1st (Tokyo) from the
// injected clock, not before, and it stores last month's report in both languages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { listJobRuns } from '../jobs/job-runs.ts';
import { listStoredMonthlyReports, loadStoredMonthlyReport, MONTHLY_REPORT_JOB_NAME } from './monthly-report-job.ts';

describeEachDatabase('monthly report job in the shop', (database) => {
  let shop: TestShop;
  let now = new Date('2026-11-30T20:59:00.000Z'); // 05:59 on 1 December, Tokyo
  beforeAll(async () => { shop = await startTestShop(database, { clock: () => now, jobPollMs: 0, monthlyReport: true }); });
  afterAll(async () => { await shop?.dispose(); });

  it('runs at 06:00 on the 1st and stores November in ja and en', async () => {
    expect(shop.jobs.jobs.map((j) => j.name)).toContain(MONTHLY_REPORT_JOB_NAME);
    expect(await shop.jobs.runDue()).not.toContain(MONTHLY_REPORT_JOB_NAME);
    expect(await listStoredMonthlyReports(shop.db.db)).toEqual([]);
    now = new Date('2026-11-30T21:00:00.000Z');
    expect(await shop.jobs.runDue()).toContain(MONTHLY_REPORT_JOB_NAME);
    const runs = await listJobRuns(shop.db.db, MONTHLY_REPORT_JOB_NAME);
    expect(runs.map((r) => r.outcome)).toEqual(['ok']);
    const stored = await listStoredMonthlyReports(shop.db.db);
    expect(stored).toEqual([{ month: '2026-11', locales: ['en', 'ja'], generatedAt: '2026-11-30T21:00:00.000Z' }]);
    const ja = await loadStoredMonthlyReport(shop.db.db, '2026-11', 'ja');
    const doc = JSON.parse(ja!.json);
    expect(doc).toMatchObject({ month: '2026-11', sections: { 'what-runs': { status: expect.not.stringMatching('not-collected') } } });
    // The shop's own compliance map is in the report (src/monthly-report/shop-monthly-report.ts).
    expect(doc.sections.compliance.status).not.toBe('not-collected');
    expect(doc.sections.compliance.data.items).toHaveLength(49);
  }, 120_000);
});
