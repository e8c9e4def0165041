// The sign-off pages over HTTP (inject, as a browser without JavaScript): who may use which route,
// that the service refuses what the role table lets through (a non-member auditor, the submitter),
// CSRF, field messages re-rendered in both languages, a stale form refused, the membership page
// audited, the draft rendered live with the comments, frozen downloads served with their hash, and
// an altered frozen copy shown as ALTERED and not served. One database: the workflow and storage run
// on both in review-service.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { fakeMonthlyReportRenderer, type FakeRenderer } from '../../test/support/fake-monthly-report-renderer.ts';
import { isPostgres } from '../db/migrate.ts';
import { ADMIN_ROUTE_ACCESS } from '../admin/route-access.ts';
import { committeeDb } from './committee-tables.ts';
import { addMonths, monthOf, sha256Hex } from './review-service.ts';

const database = DATABASES[0]!;
type Browser = Awaited<ReturnType<typeof signIn>>;
const versionOf = (html: string, form: string) => {
  const m = new RegExp(`id="${form}"[^]*?name="version" value="(\\d+)"`).exec(html);
  if (!m) throw new Error(`no version in ${form}`);
  return m[1]!;
};

describe(`security report sign-off pages on ${database.name}`, () => {
  let shop: TestShop;
  let renderer: FakeRenderer;
  const as = {} as Record<'owner' | 'vendor' | 'auditor' | 'outsider' | 'staff', Browser>;
  let auditorId: number;
  let month: string;

  beforeAll(async () => {
    renderer = fakeMonthlyReportRenderer();
    shop = await startTestShop(database, { seedDemoCatalog: false, monthlyReportRenderer: renderer });
    month = addMonths(monthOf(new Date(), shop.config.timeZone), -1);
    for (const [name, role] of [['owner', 'owner'], ['vendor', 'vendor'], ['auditor', 'auditor'], ['outsider', 'auditor'], ['staff', 'staff']] as const) {
      const { account, secret } = await enrolledAccount(shop, `${name}@example.jp`, role);
      if (name === 'auditor') auditorId = account.id;
      as[name] = await signIn(shop, `${name}@example.jp`, account.id, secret);
    }
  });
  afterAll(async () => { await shop?.dispose(); });

  it('lists who may use each route: vendor writes and submits, oversight reviews, staff nothing, only owners manage the committee', () => {
    const keys = Object.keys(ADMIN_ROUTE_ACCESS).filter((k) => k.includes('/admin/security-reports') || k.includes('/admin/security-committee'));
    expect(Object.fromEntries(keys.map((k) => [k, ADMIN_ROUTE_ACCESS[k]]))).toEqual({
      'GET /admin/security-reports': ['owner', 'vendor', 'auditor'],
      'GET /admin/security-reports/:month': ['owner', 'vendor', 'auditor'],
      'POST /admin/security-reports/:month/draft': ['owner', 'vendor'],
      'POST /admin/security-reports/:month/submit': ['owner', 'vendor'],
      'POST /admin/security-reports/:month/review': ['owner', 'auditor'],
      'GET /admin/security-reports/:month/report-ja.html': ['owner', 'vendor', 'auditor'],
      'GET /admin/security-reports/:month/report-en.html': ['owner', 'vendor', 'auditor'],
      'GET /admin/security-reports/:month/report.json': ['owner', 'vendor', 'auditor'],
      'GET /admin/security-reports/:month/report.pdf': ['owner', 'vendor', 'auditor'],
      'GET /admin/security-committee': ['owner'],
      'POST /admin/security-committee': ['owner'],
    });
  });

  it('refuses staff, the vendor on the committee page and the vendor reviewing, by the role table', async () => {
    expect((await as.staff.get('/admin/security-reports')).statusCode).toBe(403);
    expect((await as.vendor.get('/admin/security-committee')).statusCode).toBe(403);
    const page = await as.vendor.get(`/admin/security-reports/${month}`);
    expect(page.statusCode).toBe(200);
    const r = await as.vendor.post(`/admin/security-reports/${month}/review`, { version: '0', decision: 'approve', note: '' });
    expect(r.statusCode).toBe(403);
    expect(r.headers['x-mamori-admin-refused']).toBe('role');
  });

  it('re-renders field messages (ja and en) and keeps what was typed; refuses a form without the CSRF token', async () => {
    const page = await as.vendor.get(`/admin/security-reports/${month}`);
    const bad = await as.vendor.post(`/admin/security-reports/${month}/draft`, {
      version: versionOf(page.body, 'draft-form'), comment_summary: 'Kept text', action_0_text: 'Patch', action_0_due: '2026-13-45', action_0_status: 'open',
      comment_access: '4111 1111 1111 1111',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="action-0-due-error"');
    expect(bad.body).toContain('日付を正しく入力してください');
    expect(bad.body).toMatch(/id="comment-access"[^>]*aria-invalid="true"/);
    expect(bad.body).toContain('カード番号は入力しないでください');
    expect(bad.body).not.toContain('4111 1111 1111 1111');
    expect(bad.body).toContain('>Kept text</textarea>');
    const en = await as.vendor.post(`/admin/security-reports/${month}/draft?lang=en`, { version: '0', action_0_text: '', action_0_owner: 'vendor', action_0_status: 'open' });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('Please fill this in.');
    const noCsrf = await as.vendor.post(`/admin/security-reports/${month}/draft`, { version: '0' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(await committeeDb(shop.db.db).selectFrom('monthly_report_reviews').selectAll().execute()).toEqual([]);
  });

  it('runs the review over HTTP; the membership page adds an auditor (audited); stale forms and non-member auditors are refused', async () => {
    let page = await as.vendor.get(`/admin/security-reports/${month}`);
    let r = await as.vendor.post(`/admin/security-reports/${month}/draft`, {
      version: versionOf(page.body, 'draft-form'), comment_summary: '今月は問題なし', action_0_text: 'WAF を導入する', action_0_owner: 'vendor', action_0_due: '2027-01-31', action_0_status: 'open',
    });
    expect(r.statusCode).toBe(303);
    // The draft is rendered live with the current annotations.
    const live = await as.auditor.get(`/admin/security-reports/${month}/report-ja.html`);
    expect(live.statusCode).toBe(200);
    expect(live.headers['content-security-policy']).toContain("default-src 'none'");
    expect(live.body).toContain('今月は問題なし');
    expect(live.body).toContain(`${month}-1 WAF を導入する open`);
    page = await as.vendor.get(`/admin/security-reports/${month}`);
    const staleVersion = versionOf(page.body, 'submit-form');
    r = await as.vendor.post(`/admin/security-reports/${month}/submit`, { version: staleVersion, note: '' });
    expect(r.statusCode).toBe(303);
    // The same (now old) form again: refused as stale.
    r = await as.vendor.post(`/admin/security-reports/${month}/submit`, { version: staleVersion, note: '' });
    expect(r.statusCode).toBe(409);

    // An auditor the owner has not made a member passes the role table but not the service.
    page = await as.outsider.get(`/admin/security-reports/${month}`);
    expect(page.body).not.toContain('id="review-form"');
    r = await as.outsider.post(`/admin/security-reports/${month}/review`, { version: String(Number(staleVersion) + 1), decision: 'approve', note: '' });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('セキュリティ委員会のメンバーだけ');

    const committee = await as.owner.get('/admin/security-committee');
    expect(committee.body).toContain('auditor@example.jp');
    r = await as.owner.post('/admin/security-committee', { accountId: String(auditorId), member: '1' });
    expect(r.statusCode).toBe(303);
    expect((await as.owner.get('/admin/security-committee')).body).toMatch(new RegExp(`data-account="${auditorId}" data-member="1"`));
    const audited = await shop.db.db.selectFrom('audit_log' as never).select(['action' as never, 'target' as never]).where('action' as never, '=', 'security_committee.member_added' as never).execute();
    expect(audited).toEqual([{ action: 'security_committee.member_added', target: `admin:${auditorId}` }]);

    page = await as.auditor.get(`/admin/security-reports/${month}`);
    const v = versionOf(page.body, 'review-form');
    // Returning needs a comment.
    r = await as.auditor.post(`/admin/security-reports/${month}/review`, { version: v, decision: 'return', note: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('id="review-note-error"');
    r = await as.auditor.post(`/admin/security-reports/${month}/review`, { version: v, decision: 'approve', note: '' });
    expect(r.statusCode).toBe(303);
    page = await as.auditor.get(`/admin/security-reports/${month}`);
    expect(page.body).toContain('id="approved-on"');
    expect(page.body).toContain('auditor@example.jp が承認');
  });

  it('does not let the submitter approve their own submission (no button, and the POST is refused)', async () => {
    const earlier = addMonths(month, -1);
    let page = await as.owner.get(`/admin/security-reports/${earlier}`);
    let r = await as.owner.post(`/admin/security-reports/${earlier}/submit`, { version: versionOf(page.body, 'submit-form'), note: '' });
    expect(r.statusCode).toBe(303);
    page = await as.owner.get(`/admin/security-reports/${earlier}`);
    expect(page.body).toContain('id="review-form"');
    expect(page.body).not.toContain('value="approve"');
    r = await as.owner.post(`/admin/security-reports/${earlier}/review`, { version: versionOf(page.body, 'review-form'), decision: 'approve', note: '' });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('自分が提出した報告は承認できません。');
    expect((await committeeDb(shop.db.db).selectFrom('monthly_report_reviews').select('state').where('month', '=', earlier).executeTakeFirstOrThrow()).state).toBe('submitted');
  });

  it('serves the frozen copies with their hash, and reports an altered one as ALTERED without serving it', async () => {
    const frozen = await committeeDb(shop.db.db).selectFrom('monthly_report_frozen').selectAll().where('month', '=', month).execute();
    expect(frozen).toHaveLength(4);
    const pdf = await as.vendor.get(`/admin/security-reports/${month}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-mamori-sha256']).toBe(sha256Hex(pdf.rawPayload));
    expect(pdf.headers['x-mamori-sha256']).toBe(frozen.find((f) => f.format === 'pdf')!.sha256);
    const rendersBefore = renderer.calls.length;
    const en = await as.owner.get(`/admin/security-reports/${month}/report-en.html`);
    expect(en.body).toContain('Monthly security report');
    expect(renderer.calls.length).toBe(rendersBefore); // frozen: never rendered again

    const db = shop.db.db;
    if (isPostgres(db)) await sql`alter table monthly_report_frozen disable trigger monthly_report_frozen_append_only`.execute(db);
    else await sql`drop trigger monthly_report_frozen_no_update`.execute(db);
    await committeeDb(db).updateTable('monthly_report_frozen').set({ content: Buffer.from('<p>forged</p>') }).where('month', '=', month).where('format', '=', 'html-en').execute();
    const altered = await as.owner.get(`/admin/security-reports/${month}/report-en.html`);
    expect(altered.statusCode).toBe(409);
    expect(altered.body).not.toContain('forged');
    expect(altered.body).toContain('ALTERED');
    const page = await as.owner.get(`/admin/security-reports/${month}`);
    expect(page.body).toMatch(/data-format="html-en"[^]*?data-check="altered"/);
    expect(page.body).toMatch(/data-format="html-ja"[^]*?data-check="intact"/);
    const archive = await as.owner.get('/admin/security-reports?lang=en');
    expect(archive.body).toMatch(new RegExp(`data-month="${month}" data-state="approved"[^]*?ALTERED`));
    if (isPostgres(db)) await sql`alter table monthly_report_frozen enable trigger monthly_report_frozen_append_only`.execute(db);
  });
});
