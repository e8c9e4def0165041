// Prints an HTML document to PDF with Chromium (Debian's binary through playwright-core: the
// same engine the page watch drives, and one that lays out Japanese text with the installed IPA
// font). The page gets no network: every request it might make is refused.
export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; error: 'PDF_RENDERER_UNAVAILABLE'; detail: string };

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function htmlToPdf(html: string, chromiumPath: string): Promise<PdfResult> {
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  } catch (err) {
    return { ok: false, error: 'PDF_RENDERER_UNAVAILABLE', detail: String((err as Error).message).split('\n')[0]!.slice(0, 200) };
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    return { ok: true, pdf };
  } finally {
    await browser.close();
  }
}
