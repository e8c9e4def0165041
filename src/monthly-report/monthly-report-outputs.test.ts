// The report's outputs end to end: the CLI writes HTML, JSON and PDF for a seeded month; the PDF
// has pages and Japanese text (pdftotext reads the heading back, which fails without the IPA
// font); the job builds last month's report on the 1st from an injected clock and stores it once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { nextSlotAfter } from '../jobs/job-definition.ts';
import { silentLogger } from '../shop-context.ts';
import { DATABASES, describeEachDatabase } from '../../test/support/databases.ts';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { fakeInventory, REPORT_TIME, SEEDED_MONTH, seedReportActivity, validateAgainstCommittedSchema } from '../../test/support/monthly-report-seed.ts';
import { run } from './cli.ts';
import { listStoredMonthlyReports, loadStoredMonthlyReport, monthlyReportJob, MONTHLY_REPORT_JOB_NAME } from './monthly-report-job.ts';
import { createMonthlyReportRenderer, monthlyReportSourcesFromShop } from './monthly-report-renderer.ts';

function pdfPages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

describeEachDatabase('monthly report outputs', (database) => {
  let t: MigratedTestDatabase;
  let dir: string;
  const config = () => {
    const c = loadConfig({ DATA_DIR: t.dataDir, DATABASE_URL: t.url, SHOP_NAME: 'テスト商店' });
    if (!c.ok) throw new Error(c.errors.join('; '));
    return c.config;
  };
  const files = new Map<string, string | Buffer>();
  const cli = (...args: string[]) => run(args, {
    config, clock: () => REPORT_TIME, openDatabase: async () => ({ ...t.handle, close: async () => {} }),
    out: () => {}, err: () => {}, writeFile: (f, d) => { files.set(f, d); writeFileSync(f, d); }, collectInventory: async () => fakeInventory(),
  });

  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    dir = mkdtempSync(path.join(tmpdir(), 'mamori-report-'));
    await seedReportActivity(t.db);
  });
  afterAll(async () => { await t?.dispose(); });

  it('writes HTML and JSON for last month (shop time) by default and refuses bad arguments', async () => {
    expect(await cli('monthly', '--out', path.join(dir, 'r.html'))).toBe(0);
    expect(readFileSync(path.join(dir, 'r.html'), 'utf8')).toContain('月次セキュリティ報告書 2026-11');
    expect(await cli('monthly', '--month', '2026-11', '--format', 'json', '--locale', 'en', '--out', path.join(dir, 'r.json'))).toBe(0);
    const json = readFileSync(path.join(dir, 'r.json'), 'utf8');
    expect(validateAgainstCommittedSchema(json).ok).toBe(true);
    expect(JSON.parse(json)).toMatchObject({ month: '2026-11', locale: 'en', shopName: 'テスト商店', sections: { access: { data: { logins: 3, failures: 4 } } } });
    expect(await cli('monthly', '--month', '2026-13')).toBe(2);
    expect(await cli('monthly', '--format', 'pdf')).toBe(2); // a PDF needs a file
    expect(await cli('weekly')).toBe(2);
  });

  it('the job builds last month on the 1st at 06:00 Tokyo and stores each locale once', async () => {
    let now = new Date('2026-12-01T06:00:00+09:00');
    const clock = () => now;
    const c = config();
    const renderer = createMonthlyReportRenderer({ ...monthlyReportSourcesFromShop({ config: c, db: t.handle, clock }), collectInventory: async () => fakeInventory() });
    const job = monthlyReportJob({ db: t.db, renderer, timeZone: c.timeZone, clock, log: silentLogger });
    expect(job.name).toBe(MONTHLY_REPORT_JOB_NAME);
    expect(nextSlotAfter(job.schedule, new Date('2026-11-15T00:00:00Z'), 'Asia/Tokyo').toISOString()).toBe('2026-11-30T21:00:00.000Z');
    expect(nextSlotAfter(job.schedule, new Date('2026-11-30T21:00:00Z'), 'Asia/Tokyo').toISOString()).toBe('2026-12-31T21:00:00.000Z');
    await job.run(new AbortController().signal, { scheduledFor: now, trigger: 'schedule' });
    const ja = await loadStoredMonthlyReport(t.db, SEEDED_MONTH, 'ja');
    const en = await loadStoredMonthlyReport(t.db, SEEDED_MONTH, 'en');
    expect(ja?.generatedAt).toBe(now.toISOString());
    expect(ja?.html).toContain('月次セキュリティ報告書 2026-11');
    expect(JSON.parse(en!.json)).toMatchObject({ month: '2026-11', locale: 'en', sections: { payments: { data: { declines: 3 } } } });
    // A rerun later that day keeps the stored draft.
    now = new Date('2026-12-01T09:00:00+09:00');
    await job.run(new AbortController().signal, { scheduledFor: now, trigger: 'manual' });
    expect((await loadStoredMonthlyReport(t.db, SEEDED_MONTH, 'ja'))?.generatedAt).toBe('2026-11-30T21:00:00.000Z');
    expect(await listStoredMonthlyReports(t.db)).toEqual([{ month: '2026-11', locales: ['en', 'ja'], generatedAt: '2026-11-30T21:00:00.000Z' }]);
  }, 60_000);
});

describeWithChromium('monthly report PDF', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => { t = await openMigratedDatabase(DATABASES[0]!); await seedReportActivity(t.db); });
  afterAll(async () => { await t?.dispose(); });

  it('is printed by Chromium with pages and the Japanese headings as text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mamori-report-pdf-'));
    const file = path.join(dir, 'report.pdf');
    const c = loadConfig({ DATA_DIR: t.dataDir, DATABASE_URL: t.url });
    if (!c.ok) throw new Error(c.errors.join('; '));
    const code = await run(['monthly', '--month', '2026-11', '--format', 'pdf', '--out', file], {
      config: () => c.config, clock: () => REPORT_TIME, openDatabase: async () => ({ ...t.handle, close: async () => {} }), out: () => {}, err: () => {}, collectInventory: async () => fakeInventory(),
    });
    expect(code).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(12);
    const text = pdfText(file);
    for (const heading of ['月次セキュリティ報告書2026-11', '既知の脆弱性', '外部スキャン', '管理画面へのアクセス', '監査ログの完全性', '未収集']) expect(text).toContain(heading);
    // The chart titles are SVG text: printed, not rasterised.
    expect(text).toContain('ログイン失敗（日別）');
  }, 90_000);
});
