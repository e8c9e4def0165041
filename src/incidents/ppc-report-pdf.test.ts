// The PPC report draft printed to PDF through the back office: Chromium's print-to-PDF, with the
// Japanese headings of Enforcement Rules Art. 8(1) as text in the PDF (pdftotext reads them back,
// which fails if the font had no Japanese glyphs). Skips with a notice without Chromium, fails under CI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { describeWithChromium } from '../../test/support/headless-chromium.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { openIncident } from './incident-service.ts';
import { PPC_REPORT_ITEMS } from './ppc-report.ts';
import { htmlToPdf } from './ppc-report-pdf.ts';

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

describe('PPC report PDF without Chromium', () => {
  it('answers with a value naming the missing renderer, not an exception', async () => {
    const r = await htmlToPdf('<p>x</p>', '/nonexistent/chromium');
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error).toBe('PDF_RENDERER_UNAVAILABLE');
  });
});

// Security review, hardening 7: one Chromium per request let a staff account start browsers at will.
describe('PPC report PDF render queue', () => {
  function fakeBrowsers() {
    let running = 0;
    const state = { launched: 0, maxRunning: 0, closed: 0, pending: [] as Array<() => void> };
    const launch = async () => {
      state.launched++;
      running++;
      state.maxRunning = Math.max(state.maxRunning, running);
      const page = {
        route: async () => {}, setContent: async () => {},
        pdf: () => new Promise<Buffer>((resolve) => state.pending.push(() => resolve(Buffer.from('%PDF-fake')))),
      };
      return { newContext: async () => ({ newPage: async () => page }), close: async () => { running--; state.closed++; } } as never;
    };
    return { state, launch };
  }
  const until = async (cond: () => boolean) => { while (!cond()) await new Promise((r) => setImmediate(r)); };

  it('renders one PDF at a time, queues two more and answers the rest busy', async () => {
    const { state, launch } = fakeBrowsers();
    const results = [1, 2, 3, 4].map(() => htmlToPdf('<p>x</p>', '/usr/bin/chromium', { launch }));
    expect(await results[3]).toMatchObject({ ok: false, error: 'PDF_RENDERER_BUSY' });
    for (let i = 0; i < 3; i++) {
      await until(() => state.pending.length === 1);
      expect(state.launched).toBe(i + 1);
      state.pending.shift()!();
      expect(await results[i]).toMatchObject({ ok: true });
    }
    expect(state.maxRunning).toBe(1);
    expect(state.closed).toBe(3);
  });

  it('gives up on a render that does not finish in time and closes its browser', async () => {
    const { state, launch } = fakeBrowsers();
    expect(await htmlToPdf('<p>x</p>', '/usr/bin/chromium', { launch, timeoutMs: 20 })).toMatchObject({ ok: false, error: 'PDF_RENDER_TIMEOUT' });
    expect(state.closed).toBe(1);
    // The next render is not stuck behind it.
    const next = htmlToPdf('<p>x</p>', '/usr/bin/chromium', { launch });
    await until(() => state.pending.length === 2);
    state.pending[1]!();
    expect(await next).toMatchObject({ ok: true });
  });
});
