// The PPC report draft printed to PDF through the back office: Chromium's print-to-PDF, with the
// Japanese headings of Enforcement Rules Art. 8(1) as text in the PDF (pdftotext reads them back,
// which fails if the font had no Japanese glyphs). Skips with a notice without Chromium, fails under CI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { openIncident } from './incident-service.ts';
import { PPC_REPORT_ITEMS } from './ppc-report.ts';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-pdf-'));
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  // -raw keeps each heading on one line as laid out; '-' writes the text to stdout.
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describeWithChromium('PPC report PDF', () => {
  let shop: TestShop;

  beforeAll(async () => { shop = await startTestShop(DATABASES[0]!); });
  afterAll(async () => { await shop?.dispose(); });

  it('exports the draft as a PDF holding the Japanese headings and the incident', async () => {
    const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const incident = await openIncident(shop.db.db, { title: '決済ページの改ざん', whatWasNoticed: '未知のスクリプト', awareAt: new Date(Date.now() - 3_600_000), unauthorizedAccess: true, ownerAccountId: o.account.id }, { id: `admin:${o.account.id}` }, new Date(), shop.config.timeZone);
    const owner = await signIn(shop, 'owner@example.jp', o.account.id, o.secret);
    const res = await owner.get(`/admin/incidents/${incident.id}/ppc-report.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`${incident.reference}-ppc-report.pdf`);
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('個人情報の漏えい等報告書');
    for (const item of PPC_REPORT_ITEMS) expect(text).toContain(item.heading);
    expect(text).toContain(incident.reference);
    expect(text).toContain('決済ページの改ざん');
  }, 60_000);
});

// The printer itself (no Chromium, queue, timeout) is tested in src/pdf/html-to-pdf.test.ts.
