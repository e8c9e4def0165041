// A stand-in for the monthly report (src/monthly-report/) in the sign-off tests: deterministic HTML,
// JSON and "PDF" bytes that carry the month, the locale and the annotations, so a test sees what the
// sign-off handed to the renderer and what it froze.
import type { MonthlyReportRenderer, RenderedMonthlyReport, ReportLocale, ReviewAnnotations } from '../../src/monthly-report/report-contract.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface FakeRenderer extends MonthlyReportRenderer {
  calls: { month: string; locale: ReportLocale; annotations: ReviewAnnotations | undefined }[];
  pdfs: number;
}

export function fakeMonthlyReportRenderer(): FakeRenderer {
  const fake: FakeRenderer = {
    calls: [],
    pdfs: 0,
    async render(month, opts): Promise<RenderedMonthlyReport> {
      fake.calls.push({ month, locale: opts.locale, annotations: opts.annotations });
      const a = opts.annotations ?? { sectionComments: {}, actions: [], previousOpenActions: [] };
      const title = opts.locale === 'ja' ? `月次セキュリティ報告 ${month}` : `Monthly security report ${month}`;
      const html = `<!doctype html><html lang="${opts.locale}"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>`
        + Object.entries(a.sectionComments).map(([s, c]) => `<section id="${esc(s)}"><p class="comment">${esc(c ?? '')}</p></section>`).join('')
        + `<ul class="actions">${a.actions.map((x) => `<li>${esc(`${x.id} ${x.text} ${x.status}`)}</li>`).join('')}</ul>`
        + `<ul class="previous">${a.previousOpenActions.map((x) => `<li>${esc(`${x.id} ${x.text} ${x.status}`)}</li>`).join('')}</ul></body></html>`;
      const json = JSON.stringify({ month, locale: opts.locale, annotations: a });
      return { month, locale: opts.locale, html, json, async pdf() { fake.pdfs++; return Buffer.from(`%PDF-1.4\n% fake report ${month}\n%%EOF\n`); } };
    },
  };
  return fake;
}
