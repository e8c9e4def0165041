import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { insertIncidentOrder, insertTestIncident } from '../../test/support/incident-orders.ts';
import { incidentScopeCounts } from '../incident-scope/incident-scope.ts';
import { NOTICE_SEND_JOB } from './notice-send-job.ts';

function outboxTo(shop: TestShop): string[] {
  const dir = path.join(shop.dataDir, 'outbox');
  try {
    return readdirSync(dir).filter((f) => f.startsWith('keyed-incident-notice-')).map((f) => /^To: (.+)$/m.exec(readFileSync(path.join(dir, f), 'utf8'))?.[1]?.trim() ?? '');
  } catch { return []; }
}

describeEachDatabase('incident scope and notices in the back office', (database) => {
  let shop: TestShop;
  let owner: Awaited<ReturnType<typeof signIn>>;
  let staff: Awaited<ReturnType<typeof signIn>>;
  let incidentId: number;
  beforeAll(async () => {
    shop = await startTestShop(database, { jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
    const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    owner = await signIn(shop, 'owner@example.jp', o.account.id, o.secret);
    staff = await signIn(shop, 'staff@example.jp', s.account.id, s.secret);
    incidentId = await insertTestIncident(shop.db.db);
    // Paid 2026-11-02 10:00 JST = 01:00 UTC, inside a period given in shop time.
    await insertIncidentOrder(shop.db.db, { orderNumber: 'MA-A1', email: 'taro@example.jp', name: '佐藤 太郎', createdAt: '2026-11-02T00:59:00.000Z', paidAt: '2026-11-02T01:00:00.000Z', transactionId: '=cmd' });
    await insertIncidentOrder(shop.db.db, { orderNumber: 'MA-A2', email: 'taro@example.jp', name: '佐藤 太郎', createdAt: '2026-11-03T00:59:00.000Z', paidAt: '2026-11-03T01:00:00.000Z' });
    await insertIncidentOrder(shop.db.db, { orderNumber: 'MA-B1', email: 'jane@example.com', name: 'Jane Doe', locale: 'en', createdAt: '2026-11-04T00:59:00.000Z', paidAt: '2026-11-04T01:00:00.000Z' });
    // Paid on 31 October at 23:30 JST: outside a period starting 1 November 00:00 JST.
    await insertIncidentOrder(shop.db.db, { orderNumber: 'MA-C1', email: 'early@example.jp', createdAt: '2026-10-31T14:00:00.000Z', paidAt: '2026-10-31T14:30:00.000Z' });
  });
  afterAll(async () => shop?.dispose());

  it('saves the scope from a period in shop time, lists it, and exports it formula-safe, audited', async () => {
    const base = `/admin/incidents/${incidentId}/scope`;
    expect((await owner.get(base)).statusCode).toBe(200);
    const bad = await owner.post(base, { criterion: 'card_paid', from: '2026-11-08T00:00', to: '2026-11-01T00:00', emails: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('期間の終了は開始より後');
    const saved = await owner.post(base, { criterion: 'card_paid', from: '2026-11-01T00:00', to: '2026-11-08T00:00', emails: '' });
    expect(saved.statusCode).toBe(303);
    expect(await incidentScopeCounts(shop.db.db, incidentId)).toMatchObject({ orders: 3, persons: 2 });
    const pageHtml = (await owner.get(base)).body;
    expect(pageHtml).toContain('taro@example.jp');
    expect(pageHtml).not.toContain('early@example.jp');
    expect(pageHtml).toContain('value="2026-11-01T00:00"'); // shown back in shop time

    const csv = await owner.get(`${base}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`"MA-A1","sandbox","'=cmd","","","3000","2026-11-02T01:00:00.000Z"`);
    const json = JSON.parse((await owner.get(`${base}.json`)).body);
    expect(json.rows.map((r: { order_number: string }) => r.order_number)).toEqual(['MA-A1', 'MA-A2', 'MA-B1']);
    const audit = await shop.db.db.withTables<{ audit_log: { action: string } }>().selectFrom('audit_log').select('action').where('action', '=', 'incident.scope_exported').execute();
    expect(audit).toHaveLength(2);
    // Staff do not see the scope (route-access.ts).
    expect((await staff.get(base)).statusCode).toBe(403);
  });

  it('edits the templates, previews and prints one letter, sends to everyone once with progress shown', async () => {
    const base = `/admin/incidents/${incidentId}/notices`;
    const page = await owner.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('{{inquiryDesk}}'); // the default wording with its placeholders
    const unknown = await owner.post(`${base}/templates`, { subject_ja: '{{nmae}} 様', body_ja: '本文', subject_en: 'Notice', body_en: 'Body' });
    expect(unknown.statusCode).toBe(400);
    const ok = await owner.post(`${base}/templates`, { subject_ja: '【重要】{{reference}}', body_ja: '{{name}} 様\n対象: \n{{orders}}\n窓口: {{inquiryDesk}}', subject_en: 'Important: {{reference}}', body_en: 'Dear {{name}},\n{{orders}}\n{{inquiryDesk}}' });
    expect(ok.statusCode).toBe(303);

    const preview = await owner.get(`${base}?email=taro%40example.jp`);
    expect(preview.body).toContain('【重要】INC-2026-0001');
    expect(preview.body).toContain('佐藤 太郎 様');
    expect(preview.body).toContain('・MA-A1<br/>・MA-A2');
    expect(preview.body).toContain('/contact?topic=incident&amp;lang=ja');
    const print = await owner.get(`${base}/print?email=jane%40example.com`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('<html lang="en">');
    expect(print.body).toContain('Dear Jane Doe,');
    expect(print.body).toContain('〒100-0001');

    const started = await owner.post(`${base}/send`, {});
    // Redirected (post/redirect/get): reloading the progress page cannot start a second send.
    expect([started.statusCode, started.headers.location]).toEqual([303, `${base}?done=started`]);
    expect((await owner.get(`${base}?done=started`)).body).toContain('2 人への送信を開始しました。');
    expect((await owner.post(`${base}/send`, {})).statusCode).toBe(409);
    expect(await shop.jobs.runNow(NOTICE_SEND_JOB)).toBe('ok');
    expect(outboxTo(shop).sort()).toEqual(['jane@example.com', 'taro@example.jp']);
    expect(await shop.jobs.runNow(NOTICE_SEND_JOB)).toBe('ok');
    expect(outboxTo(shop)).toHaveLength(2);
    const progress = (await owner.get(base)).body;
    expect(progress).toMatch(/notice-send notice-send-done/);
  });

  it('publishes the public notice from the incident and takes it down again', async () => {
    const base = `/admin/incidents/${incidentId}`;
    expect((await owner.post(`${base}/notice-page`, { slug: 'Bad Slug!', title_ja: 't', title_en: 't', body_ja: 'b', body_en: 'b' })).statusCode).toBe(400);
    expect((await owner.post(`${base}/notice-page`, { slug: 'oshirase-2026', title_ja: 'お詫びとお知らせ', title_en: 'Our apology', body_ja: '本文', body_en: 'Text' })).statusCode).toBe(303);
    expect((await shop.app.inject({ method: 'GET', url: '/notice/oshirase-2026' })).statusCode).toBe(404);
    expect((await owner.post(`${base}/notice-page/publish`, {})).statusCode).toBe(303);
    expect((await shop.app.inject({ method: 'GET', url: '/notice/oshirase-2026?lang=en' })).body).toContain('<h1>Our apology</h1>');
    expect((await shop.app.inject({ method: 'GET', url: '/?lang=ja' })).body).toContain('href="/notice/oshirase-2026?lang=ja"');
    expect((await owner.post(`${base}/notice-page/unpublish`, {})).statusCode).toBe(303);
    expect((await shop.app.inject({ method: 'GET', url: '/notice/oshirase-2026' })).statusCode).toBe(404);
    expect((await staff.post(`${base}/notice-page/publish`, {})).statusCode).toBe(403);
  });
});
