// The header wiring, proven by a real browser: headless Chromium loads a page the shop serves with
// an inline script that carries no nonce, the shop's CSP blocks it, and Chromium's own report
// lands in the store — over plain HTTP through report-uri (application/csp-report), over HTTPS
// through report-to and Reporting-Endpoints (application/reports+json).
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { CHROMIUM_PATH, describeWithChromium } from '../../test/support/headless-chromium.ts';
import { CertificateFactory, startHttpsServer, type RunningServer } from '../../test/support/local-test-servers.ts';
import { mediaDir, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { cspReportDb } from './csp-report-tables.ts';

// A page on the shop's origin with the shop's headers; its inline script has no nonce.
const VIOLATING_PAGE = '<!doctype html><html lang="en"><head><title>x</title></head><body><p>x</p><script>document.title = "ran"</script></body></html>';

function writeViolatingPage(shop: TestShop): string {
  mkdirSync(path.join(mediaDir(shop), 'csp-test'), { recursive: true });
  writeFileSync(path.join(mediaDir(shop), 'csp-test', 'violate.html'), VIOLATING_PAGE);
  return '/media/csp-test/violate.html';
}

const reports = (shop: TestShop) => cspReportDb(shop.db.db).selectFrom('csp_reports').selectAll().orderBy('id').execute();

describeEachDatabase('CSP reports sent by headless Chromium', (database) => {
  let browser: Browser;
  const certificates = new CertificateFactory();
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      // --short-reporting-delay: Chromium otherwise batches Reporting API reports for a minute.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run', '--short-reporting-delay', '--ignore-certificate-errors'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    certificates.cleanup();
  });

  it('over plain HTTP: the blocked inline script is reported through report-uri and stored', async () => {
    const shop = await startTestShop(database, { listen: true, reconcileAtStart: false });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`${shop.url}${writeViolatingPage(shop)}?token=SECRET`);
      expect(response?.headers()['content-security-policy']).toContain('report-uri /api/csp-reports');
      expect(await page.title()).toBe('x');
      await expect.poll(async () => (await reports(shop)).length, { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
      const [row] = await reports(shop);
      expect(row).toMatchObject({ format: 'report-uri', blocked_url: 'inline', document_url: `${shop.url}/media/csp-test/violate.html`, disposition: 'enforce' });
      expect(row!.effective_directive).toMatch(/^script-src/);
    } finally {
      // The browser's connections go first, so the shop's close never waits on them.
      await context.close();
      await shop.dispose();
    }
  }, 120_000);

  it('over HTTPS: the same violation is reported through report-to (Reporting-Endpoints) and stored', async () => {
    // TLS in front of the shop, as a reverse proxy would terminate it; PUBLIC_URL is the proxy's.
    let target = '';
    const cert = certificates.make({ cn: '127.0.0.1', san: 'IP:127.0.0.1' });
    const proxy: RunningServer = await startHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
    });
    const shop = await startTestShop(database, { listen: true, reconcileAtStart: false, env: { PUBLIC_URL: `https://127.0.0.1:${proxy.port}` } });
    target = shop.url.replace(/\/$/, '');
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const response = await page.goto(`https://127.0.0.1:${proxy.port}${writeViolatingPage(shop)}`);
      const headers = response!.headers();
      expect(headers['content-security-policy']).toContain('report-to csp-endpoint');
      expect(headers['reporting-endpoints']).toBe(`csp-endpoint="https://127.0.0.1:${proxy.port}/api/csp-reports"`);
      await expect.poll(async () => (await reports(shop)).length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
      const [row] = await reports(shop);
      expect(row).toMatchObject({ format: 'report-to', blocked_url: 'inline', document_url: `https://127.0.0.1:${proxy.port}/media/csp-test/violate.html` });
    } finally {
      await context.close();
      await shop.dispose();
      await proxy.close();
    }
  }, 120_000);
}, describeWithChromium);
