// The report's figures from a seeded month on both databases: every number below is counted by
// hand from test/support/monthly-report-seed.ts (November 2026, Asia/Tokyo).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { fakeInventory, REPORT_TIME, SCHEMA_FILE, SEEDED_MONTH, seedReportActivity, validateAgainstCommittedSchema } from '../../test/support/monthly-report-seed.ts';
import { parsePolicy } from '../policy/schema.ts';
import { buildMonthlyReport, type MonthlyReportSources } from './build-monthly-report.ts';
import { createMonthlyReportRenderer } from './monthly-report-renderer.ts';
import type { ComplianceSource } from './report-contract.ts';
import { MONTHLY_REPORT_CSP } from './report-document.tsx';
import { lastMonth, monthBounds } from './report-month.ts';
import { monthlyReportJsonSchema, type MonthlyReportDocument } from './report-schema.ts';


const compliance: ComplianceSource = {
  async evaluate(at) {
    return {
      evaluatedAt: at.toISOString(),
      items: [
        { id: 'saq-a-11.3.2', framework: 'pci-dss-v4.0.1-saq-a', reference: '11.3.2', title: { ja: '四半期の外部スキャン', en: 'Quarterly external scan' }, kind: 'automated', status: 'pass' },
        { id: 'saq-a-6.4.3', framework: 'pci-dss-v4.0.1-saq-a', reference: '6.4.3', title: { ja: '決済ページのスクリプト管理', en: 'Payment page scripts' }, kind: 'automated', status: 'fail' },
      ],
      counts: { automated: 2, manual: 0, passing: 1, failing: 1, notCollected: 0 },
    };
  },
};

describe('report months in the shop time zone', () => {
  it('starts and ends at midnight in Tokyo and takes the month before as "last month"', () => {
    const b = monthBounds('2026-11', 'Asia/Tokyo');
    expect(b.start.toISOString()).toBe('2026-10-31T15:00:00.000Z');
    expect(b.end.toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(lastMonth(new Date('2026-11-30T15:00:00.000Z'), 'Asia/Tokyo')).toBe('2026-11'); // 1 December 00:00 Tokyo
    expect(lastMonth(new Date('2026-11-30T14:59:59.000Z'), 'Asia/Tokyo')).toBe('2026-10');
    expect(lastMonth(new Date('2027-01-01T00:00:00.000Z'), 'Asia/Tokyo')).toBe('2026-12');
  });
});

describe('the committed JSON Schema', () => {
  it('equals the one generated from the Zod definition', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(monthlyReportJsonSchema())));
  });
});

describeEachDatabase('monthly report from seeded activity', (database) => {
  let t: MigratedTestDatabase;
  let doc: MonthlyReportDocument;
  const sources = (extra: Partial<MonthlyReportSources> = {}): MonthlyReportSources => ({
    db: t.db, timeZone: 'Asia/Tokyo', shopName: 'テスト商店', clock: () => REPORT_TIME, policy: parsePolicy({}),
    collectInventory: async () => fakeInventory(), ...extra,
  });

  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    await seedReportActivity(t.db);
    doc = await buildMonthlyReport(sources({ compliance }), SEEDED_MONTH, {
      locale: 'ja',
      annotations: { sectionComments: { access: '時間外のベンダーログインは保守作業です。' }, actions: [{ id: 'n1', text: 'Node.js を 22 に更新', status: 'open', due: '2026-12-15' }], previousOpenActions: [{ id: 'o1', text: '鍵の交換', due: '2026-11-15', status: 'open' }, { id: 'o2', text: 'WAF 設定', status: 'done' }] },
    });
  });
  afterAll(async () => { await t?.dispose(); });

  it('counts back-office access inside the Tokyo month only', () => {
    const a = doc.sections.access.data!;
    expect({ logins: a.logins, failures: a.failures, lockouts: a.lockouts, newAddresses: a.newAddresses, newDevices: a.newDevices, vendorSessions: a.vendorSessions, off: a.offHoursVendorSignIns })
      .toEqual({ logins: 3, failures: 4, lockouts: 1, newAddresses: 1, newDevices: 0, vendorSessions: 1, off: 1 });
    expect(a.failuresPerDay).toHaveLength(30);
    expect(a.failuresPerDay.filter((d) => d.failures > 0)).toEqual([{ date: '2026-11-01', failures: 1 }, { date: '2026-11-03', failures: 2 }, { date: '2026-11-04', failures: 1 }]);
    expect(a.vendorActions).toEqual([{ action: 'auth.vendor_session', count: 1 }, { action: 'product.updated', count: 2 }]);
    expect(a.accountChanges).toEqual([{ at: '2026-11-18T01:00:00.000Z', action: 'account.updated', target: 'account:7', actor: 'admin:1', detail: 'role: "staff" → "vendor"' }]);
    expect(doc.sections.access.status).toBe('amber');
    expect(doc.sections.access.comment).toBe('時間外のベンダーログインは保守作業です。');
  });

  it('counts payments without personal data', () => {
    expect(doc.sections.payments.data).toEqual({ velocityBlocks: 2, declineBlocks: 1, declines: 3, reviewCases: 1, amountMismatches: 0, paidOrders: 1 });
    expect(JSON.stringify(doc.sections.payments)).not.toMatch(/example\.jp|203\.0\.113/);
  });

  it('ages advisories against the policy targets and highlights the overdue one', () => {
    const v = doc.sections.vulnerabilities.data!;
    expect({ open: v.open, new: v.new, fixed: v.fixed, overdue: v.overdue, checks: v.checksInMonth, last: v.lastCheckAt })
      .toEqual({ open: 2, new: 1, fixed: 1, overdue: 1, checks: 2, last: '2026-11-20T00:00:00.000Z' });
    expect(v.targetDays).toEqual({ critical: 7, high: 30, medium: 90, low: 180 });
    expect(v.items.map((i) => [i.advisoryId, i.state, i.ageDays, i.overdue, i.isNew, i.fixedAt])).toEqual([
      ['GHSA-crit', 'open', 71, true, false, null],
      ['GHSA-high', 'open', 25, false, true, null],
      ['GHSA-low', 'fixed', 46, false, false, '2026-11-05T00:00:00.000Z'],
    ]);
    expect(v.ageBuckets.filter((b) => b.count > 0)).toEqual([{ bucket: '8-30', severity: 'high', count: 1 }, { bucket: '31-90', severity: 'critical', count: 1 }]);
    expect(doc.sections.vulnerabilities.status).toBe('red');
  });

  it('reports the month\'s scans, the quarterly due date and a 12-month trend', () => {
    const s = doc.sections['external-scans'].data!;
    expect({ runs: s.runs, passing: s.passing, failing: s.failing }).toEqual({ runs: 2, passing: 1, failing: 1 });
    expect(s.targets).toEqual([{ url: 'https://shop.example.jp/', lastScanAt: '2026-11-25T00:00:00.000Z', verdict: 'pass', findings: 1, lastPassingAt: '2026-11-25T00:00:00.000Z', quarterlyDueOn: '2027-02-24', overdue: false }]);
    expect(s.findings.map((f) => [f.id, f.severity])).toEqual([['http-no-referrer-policy', 'info']]);
    expect(s.trend.map((m) => m.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(s.trend.filter((m) => m.runs > 0)).toEqual([{ month: '2026-08', runs: 1, findings: 0, failing: 0 }, { month: '2026-11', runs: 2, findings: 1, failing: 0 }]);
    expect(doc.sections['external-scans'].status).toBe('green');
  });

  it('reports integrity and page-watch runs, alerts and approvals', () => {
    const w = doc.sections['integrity-page-watch'].data!;
    expect(w.integrityRuns).toEqual({ runs: 3, clean: 2, findings: 1, error: 0 });
    expect(w.pageWatchRuns).toEqual({ runs: 1, clean: 1, findings: 0, error: 0 });
    expect({ total: w.alertsTotal, unack: w.unacknowledged }).toEqual({ total: 2, unack: 1 });
    expect(w.approvals.map((a) => a.action)).toEqual(['page_watch.baseline_approved']);
    expect(doc.sections['integrity-page-watch'].status).toBe('red');
  });

  it('reports the card-data check, incidents, the audit chain and what runs', async () => {
    expect(doc.sections['card-data'].data).toMatchObject({ runs: 1, findingsRuns: 0, latest: { outcome: 'clean' } });
    expect(doc.sections['card-data'].status).toBe('green');
    expect(doc.sections.incidents.data).toMatchObject({ openedInMonth: 1, closedInMonth: 0, openAtMonthEnd: 1, items: [{ reference: 'INC-2026-0007', status: 'open' }] });
    const head = await t.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const a = doc.sections['audit-chain'].data!;
    expect(a).toMatchObject({ ok: true, entriesInMonth: 18, head: { id: Number(head.id), hash: head.hash }, verifiedAt: REPORT_TIME.toISOString() });
    const r = doc.sections['what-runs'].data!;
    expect(r.previousSnapshot).toBe(true);
    expect(r.upgraded).toEqual([{ kind: 'npm', name: 'fastify', from: '5.0.0', to: '5.1.0' }]);
    expect(r.added.map((c) => c.name).sort()).toEqual(['libssl3', 'newpkg', 'openssl', 'postgresql']);
    expect(r.removed).toEqual([{ kind: 'npm', name: 'oldpkg', version: '0.1.0' }]);
    expect(r.endOfLifeWarnings).toEqual([
      { component: 'node', version: 'v20.10.0', endOfLife: '2026-04-30', ended: true },
      { component: 'openssl (system)', version: '3.0.11', endOfLife: '2026-09-07', ended: true },
    ]);
    expect(doc.sections['what-runs'].status).toBe('red');
  });

  it('compares with last month and is red overall', () => {
    const s = doc.sections.summary.data!;
    expect(s.overall).toBe('red');
    const change = (f: string) => s.changes.find((c) => c.figure === f);
    expect(change('access.failures')).toEqual({ figure: 'access.failures', previous: 2, current: 4 });
    expect(change('access.logins')).toEqual({ figure: 'access.logins', previous: 1, current: 3 });
    expect(change('payments.card-testing-blocks')).toEqual({ figure: 'payments.card-testing-blocks', previous: 1, current: 3 });
    expect(change('payments.declines')).toEqual({ figure: 'payments.declines', previous: 1, current: 3 });
    expect(change('vulnerabilities.open')).toEqual({ figure: 'vulnerabilities.open', previous: 2, current: 2 });
    expect(change('integrity-page-watch.alerts')).toEqual({ figure: 'integrity-page-watch.alerts', previous: 1, current: 2 });
    expect(s.sections.find((x) => x.id === 'card-data')).toEqual({ id: 'card-data', status: 'green', previous: 'not-collected' });
    expect(s.actions).toEqual([{ id: 'n1', text: 'Node.js を 22 に更新', status: 'open', due: '2026-12-15' }]);
  });

  it('shows the compliance source and the previous report\'s open actions', () => {
    expect(doc.sections.compliance.status).toBe('red');
    expect(doc.sections.compliance.data!.items.map((i) => i.title)).toEqual(['四半期の外部スキャン', '決済ページのスクリプト管理']);
    expect(doc.sections['open-actions'].data!.actions.map((a) => [a.id, a.overdue])).toEqual([['o1', true], ['o2', false]]);
    expect(doc.sections['open-actions'].status).toBe('red');
  });

  it('renders HTML in Japanese and English and JSON that validates against the committed schema', async () => {
    const renderer = createMonthlyReportRenderer({ ...sources({ compliance }), chromiumPath: '/usr/bin/chromium' });
    for (const locale of ['ja', 'en'] as const) {
      const r = await renderer.render(SEEDED_MONTH, { locale });
      const v = validateAgainstCommittedSchema(r.json);
      expect(v.errors).toBeNull();
      expect(v.ok).toBe(true);
      expect(JSON.parse(r.json)).toMatchObject({ month: '2026-11', locale });
      expect(r.html).toContain(locale === 'ja' ? '月次セキュリティ報告書 2026-11' : 'Monthly security report 2026-11');
      expect(r.html).not.toMatch(/<script|<link|src="http|href="http/i);
      expect((r.html.match(/<svg/g) ?? []).length).toBe(3);
      // The one <style> is allowed by its hash in the document's own CSP and in the header's.
      const style = /<style>([\s\S]*?)<\/style>/.exec(r.html)![1]!;
      const hash = (await import('node:crypto')).createHash('sha256').update(style).digest('base64');
      expect(MONTHLY_REPORT_CSP).toContain(`'sha256-${hash}'`);
      expect(r.html).toContain(`'sha256-${hash}'`);
      expect(MONTHLY_REPORT_CSP).not.toContain('unsafe-inline');
    }
  });
});

describeEachDatabase('monthly report without data sources', (database) => {
  let t: MigratedTestDatabase;
  beforeAll(async () => { t = await openMigratedDatabase(database); });
  afterAll(async () => { await t?.dispose(); });

  it('says "not collected" with a reason and is never green', async () => {
    const doc = await buildMonthlyReport({ db: t.db, timeZone: 'Asia/Tokyo', shopName: 'x', clock: () => REPORT_TIME, policy: parsePolicy({}) }, SEEDED_MONTH, { locale: 'en' });
    const notCollected = Object.entries(doc.sections).filter(([, s]) => s.status === 'not-collected').map(([id]) => id).sort();
    expect(notCollected).toEqual(['card-data', 'compliance', 'external-scans', 'integrity-page-watch', 'open-actions', 'vulnerabilities', 'what-runs']);
    for (const id of notCollected) {
      const s = doc.sections[id as keyof typeof doc.sections];
      expect(s.data).toBeNull();
      expect(s.notCollectedReason?.length ?? 0).toBeGreaterThan(20);
    }
    expect(doc.sections.summary.data!.overall).toBe('amber');
    const html = (await createMonthlyReportRenderer({ db: t.db, timeZone: 'Asia/Tokyo', shopName: 'x', clock: () => REPORT_TIME, policy: parsePolicy({}), chromiumPath: '/x' }).render(SEEDED_MONTH, { locale: 'ja' })).html;
    expect((html.match(/<span class="badge not-collected">未収集<\/span>/g) ?? []).length).toBeGreaterThanOrEqual(7);
  });
});
