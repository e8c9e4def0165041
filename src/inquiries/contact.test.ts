import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { insertTestIncident } from '../../test/support/incident-orders.ts';
import { loggerOptions } from '../http/logger.ts';
import { savePublicNotice, setPublicNoticePublished } from '../incident-notices/public-notice.ts';
import { inquiryDb } from './inquiry-tables.ts';

const CARD = '4242 4242 4242 4242';
const CARD_DIGITS = '4242424242424242';

function outboxText(shop: TestShop): string {
  const dir = path.join(shop.dataDir, 'outbox');
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.eml')); } catch { return ''; }
  // Quoted-printable soft line breaks joined, so a reference number is searchable.
  return files.map((f) => readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '')).join('\n');
}

describeEachDatabase('inquiry desk and public notice (storefront)', (database) => {
  let shop: TestShop;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
    shop = await startTestShop(database, { logger: pino(loggerOptions('debug'), sink) as never, reconcileAtStart: false });
  });
  afterAll(async () => shop?.dispose());

  async function formPage(url = '/contact?lang=ja') {
    const page = await shop.app.inject({ method: 'GET', url });
    expect(page.statusCode).toBe(200);
    return csrfFromInject(page);
  }

  it('re-renders the form with a message at each bad field, in Japanese and in English', async () => {
    let csrf = await formPage();
    let r = await shop.app.inject({ method: 'POST', url: '/contact?lang=ja', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { email: 'not-an-address', orderNumber: '', category: 'bogus', message: '' }) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('正しいメールアドレスを入力してください。');
    expect(r.body).toContain('お問い合わせの種類を選択してください。');
    expect(r.body).toContain('入力してください。');
    expect(r.body).toContain('value="not-an-address"');
    csrf = await formPage('/contact?lang=en');
    r = await shop.app.inject({ method: 'POST', url: '/contact?lang=en', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { email: '', category: 'order', message: 'x'.repeat(4001) }) });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Please fill this in.');
    expect(r.body).toContain('4000');
  });

  it('refuses a card number in any field: never stored, echoed or logged', async () => {
    const before = logLines.length;
    for (const field of ['message', 'orderNumber', 'email'] as const) {
      const csrf = await formPage();
      const fields = { email: 'hanako@example.jp', orderNumber: '', category: 'incident', message: '届いたメールについて', [field]: field === 'message' ? `私のカードは ${CARD} です` : CARD };
      const r = await shop.app.inject({ method: 'POST', url: '/contact?lang=ja', headers: formHeaders(csrf), payload: formWithCsrf(csrf, fields) });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('カード番号はここに入力しないでください');
      expect(r.body.replace(/\s/g, '')).not.toContain(CARD_DIGITS);
    }
    expect(await inquiryDb(shop.db.db).selectFrom('inquiries').selectAll().execute()).toEqual([]);
    const logged = logLines.slice(before).join('\n');
    expect(logged.length).toBeGreaterThan(0); // the log did record these requests
    expect(logged.replace(/[\s-]/g, '')).not.toContain(CARD_DIGITS);
    expect(outboxText(shop).replace(/[\s-]/g, '')).not.toContain(CARD_DIGITS);
  });

  it('refuses a post without the CSRF token', async () => {
    const r = await shop.app.inject({ method: 'POST', url: '/contact', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40example.jp&category=other&message=hi' });
    expect(r.statusCode).toBe(403);
    expect(await inquiryDb(shop.db.db).selectFrom('inquiries').selectAll().execute()).toEqual([]);
  });

  let incidentId = 0;
  it('gives the customer a reference number on screen and by e-mail, filed under the published incident', async () => {
    incidentId = await insertTestIncident(shop.db.db);
    expect(await savePublicNotice(shop.db.db, incidentId, { slug: 'notice-2026-11', title_ja: '不正アクセスに関するお詫びとお知らせ', title_en: 'Notice about unauthorised access', body_ja: '第一段落\n二行目\n\n第二段落', body_en: 'First\n\nSecond' }, 'admin:1', new Date())).toEqual({ ok: true });
    expect(await setPublicNoticePublished(shop.db.db, incidentId, true, 'admin:1', new Date())).toBe(true);

    const csrf = await formPage('/contact?topic=incident&lang=ja');
    const r = await shop.app.inject({ method: 'POST', url: '/contact?lang=ja', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { email: 'Hanako@Example.jp', orderNumber: 'MA-7K3Q-9XPD', category: 'incident', message: 'メールが届きました。' }) });
    expect(r.statusCode).toBe(201);
    const reference = /class="inquiry-reference">(Q-\d{8}-[A-Z2-9]{4})</.exec(r.body)?.[1];
    expect(reference).toBeDefined();
    const row = await inquiryDb(shop.db.db).selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ reference, email: 'hanako@example.jp', order_number: 'MA-7K3Q-9XPD', category: 'incident', incident_id: incidentId, status: 'open', locale: 'ja' });
    expect(outboxText(shop)).toContain(reference!);
    const audit = await shop.db.db.withTables<{ audit_log: { action: string; after_json: string | null } }>().selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'inquiry.received').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).not.toContain('メールが届きました'); // the message itself stays out of the audit log
  });

  it('shows the published notice at /notice/{slug} and links it from every page header until unpublished', async () => {
    const notice = await shop.app.inject({ method: 'GET', url: '/notice/notice-2026-11?lang=ja' });
    expect(notice.statusCode).toBe(200);
    expect(notice.body).toContain('<h1>不正アクセスに関するお詫びとお知らせ</h1>');
    expect(notice.body).toContain('<p>第一段落<br/>二行目</p>');
    const en = await shop.app.inject({ method: 'GET', url: '/notice/notice-2026-11?lang=en' });
    expect(en.body).toContain('<h1>Notice about unauthorised access</h1>');
    for (const url of ['/?lang=ja', '/cart?lang=ja', '/contact?lang=ja', '/orders/lookup?lang=ja']) {
      const page = await shop.app.inject({ method: 'GET', url });
      expect(page.body, url).toContain('href="/notice/notice-2026-11?lang=ja"');
      expect(page.body, url).toContain('重要なお知らせ:');
    }
    expect(await setPublicNoticePublished(shop.db.db, incidentId, false, 'admin:1', new Date())).toBe(true);
    expect((await shop.app.inject({ method: 'GET', url: '/notice/notice-2026-11' })).statusCode).toBe(404);
    expect((await shop.app.inject({ method: 'GET', url: '/?lang=ja' })).body).not.toContain('/notice/notice-2026-11');
  });
});

describeEachDatabase('inquiry form rate limit', (database) => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database, { reconcileAtStart: false, rateLimits: { cart: 10_000, checkout: 10_000, lookup: 2, notifications: 10_000 } });
  });
  afterAll(async () => shop?.dispose());

  it('answers 429 once a client has posted the limit within a minute, and stores nothing more', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const csrf = csrfFromInject(await shop.app.inject({ method: 'GET', url: '/contact' }));
      const r = await shop.app.inject({ method: 'POST', url: '/contact', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { email: `p${i}@example.jp`, category: 'other', message: 'hello' }) });
      statuses.push(r.statusCode);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(await inquiryDb(shop.db.db).selectFrom('inquiries').select('email').execute()).toHaveLength(2);
  });
});

// Security review, finding 6: /contact took any address and mailed it, limited only per IP.
describeEachDatabase('inquiry desk limits: confirmations per address, inquiries per day', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T03:00:00Z');
  beforeAll(async () => {
    shop = await startTestShop(database, {
      reconcileAtStart: false, clock: () => now,
      rateLimits: { cart: 10_000, checkout: 10_000, lookup: 10_000, notifications: 10_000 },
      env: { INQUIRY_CONFIRMATIONS_PER_ADDRESS_PER_DAY: '2', INQUIRIES_PER_DAY: '4' },
    });
  });
  afterAll(async () => shop?.dispose());

  async function send(email: string, lang = 'ja') {
    const page = await shop.app.inject({ method: 'GET', url: `/contact?lang=${lang}` });
    const csrf = csrfFromInject(page);
    return shop.app.inject({ method: 'POST', url: `/contact?lang=${lang}`, headers: formHeaders(csrf), payload: formWithCsrf(csrf, { email, orderNumber: '', category: 'other', message: 'こんにちは' }) });
  }
  const confirmationsTo = async (email: string) => (await inquiryDb(shop.db.db).selectFrom('customer_mails').select('id').where('recipient', '=', email).where('kind', '=', 'inquiry_received').execute()).length;
  const alerts = () => shop.db.db.withTables<{ security_alerts: { kind: string; occurrences: number } }>().selectFrom('security_alerts').select(['kind', 'occurrences']).where('kind', '=', 'inquiries.daily_limit').execute();

  it('stores every inquiry but mails one address at most N confirmations a day', async () => {
    const victim = 'victim@example.jp';
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await send(victim);
      expect(r.statusCode).toBe(201);
      bodies.push(r.body);
    }
    expect(await confirmationsTo(victim)).toBe(2);
    expect(outboxText(shop).match(/To: victim@example\.jp/gi)?.length).toBe(2);
    expect(bodies[2]).toContain('今回の確認メールは送りません');
    expect((await inquiryDb(shop.db.db).selectFrom('inquiries').select('id').where('email', '=', victim).execute()).length).toBe(3);
    // A day later the address gets its confirmation again.
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await send(victim, 'en')).body).toContain('We have sent you a confirmation e-mail');
    expect(await confirmationsTo(victim)).toBe(3);
  });

  it('refuses inquiries past the daily cap with a clear message and raises one alert', async () => {
    // 1 inquiry in the last 24 hours so far (the three earlier ones are over a day old).
    for (const email of ['a@example.jp', 'b@example.jp', 'c@example.jp']) expect((await send(email)).statusCode).toBe(201);
    const before = (await inquiryDb(shop.db.db).selectFrom('inquiries').select('id').execute()).length;
    const ja = await send('d@example.jp');
    expect(ja.statusCode).toBe(503);
    expect(ja.body).toContain('受け付けを一時停止しています');
    expect(ja.body).toContain('value="d@example.jp"');
    const en = await send('e@example.jp', 'en');
    expect(en.statusCode).toBe(503);
    expect(en.body).toContain('paused the form');
    expect((await inquiryDb(shop.db.db).selectFrom('inquiries').select('id').execute()).length).toBe(before);
    expect(await alerts()).toEqual([{ kind: 'inquiries.daily_limit', occurrences: 2 }]);
  });
});
