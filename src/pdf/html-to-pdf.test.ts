// The shop's one PDF printer (src/pdf/html-to-pdf.ts), used by the PPC report, the monthly report,
// receipts and delivery slips: a missing Chromium is a value, renders queue, a hung render times out.
import { describe, expect, it } from 'vitest';
import { htmlToPdf } from './html-to-pdf.ts';

describe('HTML to PDF without Chromium', () => {
  it('answers with a value naming the missing renderer, not an exception', async () => {
    const r = await htmlToPdf('<p>x</p>', '/nonexistent/chromium');
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error).toBe('PDF_RENDERER_UNAVAILABLE');
  });
});

// Security review, hardening 7: one Chromium per request let a staff account start browsers at will.
describe('HTML to PDF render queue', () => {
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
