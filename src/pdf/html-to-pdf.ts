// Prints an HTML document to PDF with Chromium (Debian's binary through playwright-core: the
// same engine the page watch drives, and one that lays out Japanese text with the installed IPA
// font). The page gets no network: every request it might make is refused.
// One render at a time, a short queue and a timeout: each render is a whole Chromium on a small
// host, and the routes that print (PPC report, monthly report, receipts, delivery slips) are open to
// staff, the auditor and customers: repeated requests must not start a browser each. Shared by every
// PDF the shop prints, so the queue is one for the whole process.
import type { Browser } from 'playwright-core';

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; error: 'PDF_RENDERER_UNAVAILABLE' | 'PDF_RENDERER_BUSY' | 'PDF_RENDER_TIMEOUT'; detail: string };

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const PDF_RENDER_TIMEOUT_MS = 30_000;
/** Requests waiting for the renderer beyond the one rendering; more are answered "busy". */
export const PDF_RENDER_MAX_WAITING = 2;

export interface PdfRenderOptions {
  timeoutMs?: number;
  /** For tests: how a browser is started (default: playwright-core's Chromium). */
  launch?: (chromiumPath: string, timeoutMs: number) => Promise<Pick<Browser, 'newContext' | 'close'>>;
}

let queueTail: Promise<unknown> = Promise.resolve();
let waiting = 0;

export async function htmlToPdf(html: string, chromiumPath: string, options: PdfRenderOptions = {}): Promise<PdfResult> {
  if (waiting >= PDF_RENDER_MAX_WAITING + 1) return { ok: false, error: 'PDF_RENDERER_BUSY', detail: 'another PDF is being rendered' };
  waiting++;
  const previous = queueTail;
  let release!: () => void;
  queueTail = new Promise<void>((resolve) => { release = resolve; });
  try {
    await previous;
    return await renderOnce(html, chromiumPath, options);
  } finally {
    waiting--;
    release();
  }
}

async function defaultLaunch(chromiumPath: string, timeoutMs: number) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: timeoutMs });
}

async function renderOnce(html: string, chromiumPath: string, options: PdfRenderOptions): Promise<PdfResult> {
  const timeoutMs = options.timeoutMs ?? PDF_RENDER_TIMEOUT_MS;
  let browser;
  try {
    browser = await (options.launch ?? defaultLaunch)(chromiumPath, timeoutMs);
  } catch (err) {
    return { ok: false, error: 'PDF_RENDERER_UNAVAILABLE', detail: String((err as Error).message).split('\n')[0]!.slice(0, 200) };
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<PdfResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: 'PDF_RENDER_TIMEOUT', detail: `no PDF within ${timeoutMs} ms` }), timeoutMs);
  });
  const render = (async (): Promise<PdfResult> => {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    return { ok: true, pdf };
  })();
  try {
    return await Promise.race([render, timedOut]);
  } finally {
    clearTimeout(timer);
    // Closing the browser also ends a render that is still running after the timeout.
    await browser.close().catch(() => {});
    render.catch(() => {});
  }
}
