// The CSP report endpoint as any client can reach it: both report formats stored without query
// strings, the size and rate limits, bad input answered with problem+json, the cap, and a
// violation on the way to payment raising an alert and a page-watch pass — but never a pause by
// itself (a forged report must not switch card payments off). Both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { injectFetch } from '../page-watch/inject-fetch.ts';
import type { PageFetch } from '../page-watch/walk-to-payment.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';
import { activePauses, isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { latestWatchResult } from '../watch-results/watch-results.ts';
import { cspReportDb } from './csp-report-tables.ts';
import { cspReportGroups, isPaymentWayPage, storedCspReportCount } from './csp-reports.ts';
import { urlWithoutSecrets } from './csp-report-formats.ts';

const SHOP = 'http://127.0.0.1:3000';

const legacy = (o: Partial<Record<string, unknown>> = {}) => ({
  'csp-report': {
    'document-uri': `${SHOP}/products/uji-matcha-latte?lang=en&token=SECRET123`,
    referrer: '', 'violated-directive': 'script-src-elem', 'effective-directive': 'script-src-elem',
    'original-policy': "script-src 'self'; report-uri /api/csp-reports", disposition: 'enforce',
    'blocked-uri': 'https://cdn.evil.example/skim.js?session=abc#x', 'status-code': 200, 'script-sample': 'var card = 4242424242424242',
    ...o,
  },
});

const reportingApi = (o: Partial<Record<string, unknown>> = {}) => [
  { type: 'deprecation', age: 1, url: `${SHOP}/`, user_agent: 'x', body: { id: 'x' } },
  {
    type: 'csp-violation', age: 2, url: `${SHOP}/cart`, user_agent: 'Chromium',
    body: { documentURL: `${SHOP}/`, blockedURL: 'inline', effectiveDirective: 'script-src-elem', disposition: 'enforce', originalPolicy: "script-src 'self'", sample: '', statusCode: 200, lineNumber: 3, columnNumber: 1, sourceFile: `${SHOP}/?q=1`, ...o },
  },
];

it('recognises the pages on the way to payment', () => {
  for (const p of ['/cart', '/checkout', '/orders/0b0c/payment-return', '/orders/0b0c', '/orders/0b0c/pay']) expect(isPaymentWayPage(SHOP + p), p).toBe(true);
  for (const p of ['/', '/products/x', '/orders/lookup', '/cartoons', '/admin/security']) expect(isPaymentWayPage(SHOP + p), p).toBe(false);
  expect(isPaymentWayPage('not a url')).toBe(false);
});

it('keeps origin and path only, and no card number', () => {
  expect(urlWithoutSecrets('https://u:p@shop.example/a/b?token=x#f')).toBe('https://shop.example/a/b');
  expect(urlWithoutSecrets('inline')).toBe('inline');
  expect(urlWithoutSecrets('data:text/javascript,alert(1)')).toBe('data');
  expect(urlWithoutSecrets('https://shop.example/4242424242424242')).not.toContain('4242424242424242');
  expect(urlWithoutSecrets('<script>')).toBe('invalid');
});

describeEachDatabase('the CSP report endpoint', (database) => {
  let shop: TestShop;
  // Real time plus an offset the test moves: the back-office sign-in checks TOTP codes at real time.
  let offsetMs = 0;
  let tamper = false;
  let ip = 0;
  const nextClient = () => `10.0.0.${++ip}`;
  const post = (body: unknown, type = 'application/csp-report', remoteAddress = nextClient()) =>
    shop.app.inject({ method: 'POST', url: '/api/csp-reports', headers: { 'content-type': type }, payload: typeof body === 'string' ? body : JSON.stringify(body), remoteAddress });
  const rows = () => cspReportDb(shop.db.db).selectFrom('csp_reports').selectAll().orderBy('id').execute();
  const runs = async () => (await shop.db.db.selectFrom('page_watch_runs' as never).select(['outcome' as never]).orderBy('id' as never).execute() as { outcome: string }[]).map((r) => r.outcome);

  beforeAll(async () => {
    let inner: PageFetch | undefined;
    let ready!: () => void;
    const started = new Promise<void>((resolve) => { ready = resolve; });
    // The page watch sees the shop through this; `tamper` plays an intruder's added skimmer.
    const fetchThroughTamper: PageFetch = async (url, init) => {
      await started;
      const res = await inner!(url, init);
      if (!tamper || new URL(url).pathname !== '/checkout') return res;
      return new Response((await res.text()).replace('</body>', '<script src="https://cdn.evil.example/skim.js"></script></body>'), { status: res.status, headers: res.headers });
    };
    shop = await startTestShop(database, { clock: () => new Date(Date.now() + offsetMs), pageWatch: { fetch: fetchThroughTamper }, env: { CSP_REPORTS_PER_MINUTE: '5', CSP_REPORTS_MAX_STORED: '10' } });
    inner = injectFetch(shop.app, shop.config.publicUrl);
    ready();
    await shop.jobs.settled();
  });
  afterAll(async () => { await shop?.dispose(); });

  it('names the endpoint in every page\'s CSP (report-uri over plain HTTP)', async () => {
    const page = await shop.app.inject({ url: '/' });
    expect(String(page.headers['content-security-policy'])).toContain('report-uri /api/csp-reports');
    // Over plain HTTP no report-to: Chromium would then ignore report-uri and report nothing.
    expect(String(page.headers['content-security-policy'])).not.toContain('report-to');
    expect(page.headers['reporting-endpoints']).toBeUndefined();
  });

  it('stores a legacy report without query strings or the script sample, answering 204', async () => {
    const r = await post(legacy());
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    const [row] = await rows();
    expect(row).toMatchObject({
      format: 'report-uri', effective_directive: 'script-src-elem', blocked_url: 'https://cdn.evil.example/skim.js',
      document_url: `${SHOP}/products/uji-matcha-latte`, disposition: 'enforce', payment_page: 0,
    });
    expect(JSON.stringify(await rows())).not.toMatch(/SECRET123|session=|4242/);
  });

  it('stores the csp-violation entries of a Reporting API batch and ignores other report types', async () => {
    const before = (await rows()).length;
    const r = await post(reportingApi(), 'application/reports+json');
    expect(r.statusCode).toBe(204);
    const added = (await rows()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ format: 'report-to', effective_directive: 'script-src-elem', blocked_url: 'inline', document_url: `${SHOP}/`, source_file: `${SHOP}/`, line_number: 3 });
  });

  it('groups reports by directive and blocked URL', async () => {
    await post(legacy({ 'document-uri': `${SHOP}/products/other` }));
    const group = (await cspReportGroups(shop.db.db)).find((g) => g.blockedUrl === 'https://cdn.evil.example/skim.js')!;
    expect(group).toMatchObject({ effectiveDirective: 'script-src-elem', count: 2, onPaymentPage: false });
    expect(group.sampleDocumentUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/products\//);
  });

  it('refuses a body over 16 KiB with 413 problem+json', async () => {
    const r = await post(legacy({ 'source-file': `${SHOP}/${'a'.repeat(17 * 1024)}` }));
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ code: 'MAMORI_ERR_BODY_TOO_LARGE', status: 413 });
  });

  it('answers bad JSON and reports of the wrong shape with 400 problem+json', async () => {
    const broken = await post('{"csp-report": {', 'application/csp-report');
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(broken.json()).toMatchObject({ code: 'MAMORI_ERR_MALFORMED_BODY' });
    const wrong = await post({ 'csp-report': { 'blocked-uri': 'x' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'MAMORI_ERR_VALIDATION' });
    expect((wrong.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('csp-report.document-uri');
    const notAList = await post({ type: 'csp-violation' }, 'application/reports+json');
    expect(notAList.statusCode).toBe(400);
    expect((await post('<csp-report/>', 'application/xml')).statusCode).toBe(415);
  });

  it('rate limits each client (429) without limiting the others', async () => {
    const client = nextClient();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await post(legacy(), 'application/csp-report', client)).statusCode);
    expect(codes).toEqual([204, 204, 204, 204, 204, 429]);
    const limited = await post(legacy(), 'application/csp-report', client);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'MAMORI_ERR_RATE_LIMITED' });
    expect((await post(legacy())).statusCode).toBe(204);
  });

  it('keeps at most CSP_REPORTS_MAX_STORED reports, dropping the oldest', async () => {
    for (let i = 0; i < 12; i++) expect((await post(legacy({ 'blocked-uri': `https://cap.example/${i}.js` }))).statusCode).toBe(204);
    expect(await storedCspReportCount(shop.db.db)).toBe(10);
    const kept = (await rows()).map((r) => r.blocked_url);
    expect(kept).toEqual(Array.from({ length: 10 }, (_, i) => `https://cap.example/${i + 2}.js`));
  });

  it('a violation on the checkout page raises one folded alert and a page-watch pass, but pauses nothing by itself', async () => {
    expect(await runs()).toEqual(['baseline-recorded']);
    const onCheckout = legacy({ 'document-uri': `${SHOP}/checkout`, 'blocked-uri': 'https://cdn.evil.example/a.js' });
    expect((await post(onCheckout)).statusCode).toBe(204);
    await shop.jobs.settled();
    // The monitor looked again with the shop's own eyes, found the pages untouched: no pause.
    expect(await runs()).toEqual(['baseline-recorded', 'match']);
    expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
    const [alert] = await listOpenAlerts(shop.db.db);
    expect(alert).toMatchObject({ kind: 'csp_report.payment_page_violation', severity: 'high', dedupe_key: 'csp-report:script-src-elem:https://cdn.evil.example', occurrences: 1 });
    expect(await latestWatchResult(shop.db.db, 'csp-reports')).toMatchObject({ watcher: 'csp-reports', outcome: 'findings' });

    // The same directive and origin again, within the minute: folded, and no second pass.
    expect((await post(legacy({ 'document-uri': `${SHOP}/cart`, 'blocked-uri': 'https://cdn.evil.example/b.js' }))).statusCode).toBe(204);
    await shop.jobs.settled();
    expect(await runs()).toHaveLength(2);
    const open = await listOpenAlerts(shop.db.db);
    expect(open).toHaveLength(1);
    expect(open[0]!.occurrences).toBe(2);
    // Off the way to payment: stored, no alert.
    expect((await post(legacy({ 'document-uri': `${SHOP}/products/x`, 'blocked-uri': 'https://elsewhere.example/c.js' }))).statusCode).toBe(204);
    expect(await listOpenAlerts(shop.db.db)).toHaveLength(1);
  });

  it('when the checkout really is tampered, the pass the report asked for pauses card payments', async () => {
    offsetMs += 61_000;
    tamper = true;
    expect((await post(legacy({ 'document-uri': `${SHOP}/checkout`, 'blocked-uri': 'https://cdn.evil.example/skim.js' }))).statusCode).toBe(204);
    await shop.jobs.settled();
    expect((await runs()).at(-1)).toBe('differences');
    expect((await activePauses(shop.db.db)).card_payments).toMatchObject({ paused_by: 'system:page-watch' });
    expect((await listOpenAlerts(shop.db.db)).map((a) => a.kind).sort()).toEqual(['csp_report.payment_page_violation', 'page_watch.difference']);
    tamper = false;
  });

  it('shows the grouped reports to the owner in the back office, in both languages, linked from the nav', async () => {
    offsetMs = 0;
    const owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const b = await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret);
    const ja = await b.get('/admin/security/csp-reports');
    expect(ja.statusCode).toBe(200);
    expect(ja.body).toContain('CSP違反レポート');
    expect(ja.body).toContain('href="/admin/security/csp-reports"');
    expect(ja.body).toMatch(/data-directive="script-src-elem" data-blocked="https:\/\/cdn\.evil\.example\/skim\.js" data-payment-page="yes"/);
    expect(ja.body).not.toContain('SECRET123');
    const en = await b.get('/admin/security/csp-reports?lang=en');
    expect(en.body).toContain('CSP violation reports');
    expect(en.body).toContain('a report never pauses payments by itself');
  });
});
