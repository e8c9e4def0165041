// The incident record through the back office, as a browser without JavaScript would use it:
// opening an incident starts the legal clocks and the breach-process tasks; the timeline pulls in
// an alert and a pause of the period; evidence is stored with its SHA-256 and refused on download
// once altered; the audit-log segment is exported as evidence; the PPC report draft is pre-filled,
// edited (versioned, audited) and exported; the resumption checklist blocks resuming until every
// item is green or waived (audited). Both databases.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { csrfOf, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { pauseShop } from '../shop-pause/shop-pause.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { recordSecurityCheck } from '../policy/daily.ts';
import type { CheckResult } from '../policy/check.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { incidentDb } from './incident-tables.ts';
import { instantToWallTime, ppcReportDeadlines } from './legal-deadlines.ts';
import { incidentEvidenceDir } from './incident-evidence.ts';
import { incidentBlockingResume } from './resumption-gate.ts';
import { BREACH_PROCESS_TASKS } from './incident-tasks.ts';
import { PPC_REPORT_ITEMS } from './ppc-report.ts';
import { makeZip } from '../../test/support/zip-writer.ts';
import { pdfWithText } from '../../test/support/pdf-writer.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; before_json: string | null; after_json: string | null };
type Browser = Awaited<ReturnType<typeof signIn>>;

const fieldError = (body: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(body)?.[1];

function passingCheck(): CheckResult {
  return {
    status: 'pass', exitCode: 0, checkedAt: '2026-12-01T00:00:00.000Z', target: { host: 'test', source: 'this system' }, policyFile: null,
    advisoryData: { asOf: null, ageHours: null, maxAgeHours: 48, count: 0, sources: [] }, node: null,
    summary: { components: 10, findings: 0, violations: 0, tolerated: 0, excepted: 0, suppressed: 0, highestSeverity: null },
    violations: [], findings: [], warnings: [],
  } as unknown as CheckResult;
}

/** A multipart/form-data POST with the browser's cookies (admin-test-client posts urlencoded only). */
async function postMultipart(shop: TestShop, browser: Browser, url: string, fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = `----mamori${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return shop.app.inject({
    method: 'POST', url, payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

describeEachDatabase('incident record in the back office', (database) => {
  let shop: TestShop;
  const clock = () => new Date();
  let owner: Browser;
  let staff: Browser;
  let incidentId: number;
  let awareAt: Date;
  const tz = () => shop.config.timeZone;

  const audit = async (action: string) => shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
    .select(['id', 'action', 'actor', 'target', 'before_json', 'after_json']).where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    shop = await startTestShop(database, { clock });
    const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    owner = await signIn(shop, 'owner@example.jp', o.account.id, o.secret);
    staff = await signIn(shop, 'staff@example.jp', s.account.id, s.secret);
  });
  afterAll(async () => { await shop?.dispose(); });

  it('opens an incident through the form: field messages first, then the reference, the legal clocks and the task list', async () => {
    const list = await owner.get('/admin/incidents');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('id="open-incident"');

    const bad = await owner.post('/admin/incidents', { title: '', whatWasNoticed: 'カード番号 4111 1111 1111 1111 が見えた', awareAt: 'yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'incident-title')).toBe('入力してください。');
    expect(fieldError(bad.body, 'incident-noticed')).toBe('カード番号は入力しないでください。');
    expect(fieldError(bad.body, 'incident-aware')).toContain('日時を正しく入力してください');
    expect(bad.body).not.toContain('4111 1111 1111 1111');

    awareAt = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000);
    const opened = await owner.post('/admin/incidents', {
      title: '決済ページの改ざん', whatWasNoticed: 'ページ監視が checkout に未知のスクリプトを検出した', awareAt: instantToWallTime(awareAt, tz()), unauthorizedAccess: '1',
    });
    expect(opened.statusCode).toBe(303);
    incidentId = Number(/\/admin\/incidents\/(\d+)$/.exec(String(opened.headers.location))?.[1]);
    const incident = await incidentDb(shop.db.db).selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(incident.reference).toMatch(/^INC-\d{4}-0001$/);
    expect(incident.aware_at).toBe(awareAt.toISOString());
    expect(incident.unauthorized_access).toBe(1);

    const deadlines = ppcReportDeadlines(awareAt, true, tz());
    const tasks = await incidentDb(shop.db.db).selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).orderBy('position').execute();
    expect(tasks.map((t) => t.task_key)).toEqual(BREACH_PROCESS_TASKS.map((t) => t.key));
    expect(tasks.find((t) => t.task_key === 'ppc_preliminary_report')?.due_on).toBe(deadlines.ppc_preliminary.dueOn);
    expect(tasks.find((t) => t.task_key === 'ppc_final_report')?.due_on).toBe(deadlines.ppc_final.dueOn);
    expect(deadlines.ppc_final.days).toBe(60);
    expect(tasks.every((t) => t.status === 'todo' && t.owner_account_id !== null)).toBe(true);
    expect((await audit('incident.opened')).map((a) => a.target)).toEqual([`incident:${incidentId}`]);

    const page = await owner.get(`/admin/incidents/${incidentId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(incident.reference);
    expect(page.body).toMatch(/data-clock="ppc_preliminary" data-days-left="[45]"/);
    expect(page.body).toContain(`href="/admin/incidents/${incidentId}/scope"`);
    expect(page.body).toContain(`href="/admin/incidents/${incidentId}/notices"`);

    // The dashboard names the open incident and its running deadlines.
    const dashboard = await owner.get('/admin');
    expect(dashboard.body).toContain('id="open-incidents-banner"');
    expect(dashboard.body).toContain(`${incident.reference} 決済ページの改ざん`);
    expect(dashboard.body).toContain(deadlines.ppc_final.dueOn);
  });

  it('lets staff read the incident but not change it', async () => {
    const page = await staff.get(`/admin/incidents/${incidentId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="timeline-form"');
    const refused = await staff.post(`/admin/incidents/${incidentId}/timeline`, { occurredAt: instantToWallTime(new Date(), tz()), entry: 'staff note' }, { csrf: csrfOf(page.body) });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['x-mamori-admin-refused']).toBe('role');
  });

  it('edits a task (owner, due date, status, note), audited; a bad date gets a field message in the reader\'s language', async () => {
    const task = await incidentDb(shop.db.db).selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).where('task_key', '=', 'police_consultation').executeTakeFirstOrThrow();
    await owner.get(`/admin/incidents/${incidentId}?lang=en`);
    const bad = await owner.post(`/admin/incidents/${incidentId}/tasks/${task.id}?lang=en`, { ownerAccountId: String(task.owner_account_id), dueOn: '2026-02-31x', status: 'in_progress', note: '' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, `task-${task.id}-due`)).toBe('Enter a date, e.g. 2026-12-06.');
    await owner.get(`/admin/incidents/${incidentId}?lang=ja`); // the language choice is remembered: back to Japanese
    const card = await owner.post(`/admin/incidents/${incidentId}/tasks/${task.id}`, { ownerAccountId: '', dueOn: '', status: 'todo', note: 'card 4111111111111111' });
    expect(card.statusCode).toBe(400);
    expect(fieldError(card.body, `task-${task.id}-note`)).toBe('カード番号は入力しないでください。');

    const saved = await owner.post(`/admin/incidents/${incidentId}/tasks/${task.id}`, { ownerAccountId: '', dueOn: '2026-12-10', status: 'in_progress', note: '所轄の警察署に相談予約' });
    expect(saved.statusCode).toBe(303);
    const after = await incidentDb(shop.db.db).selectFrom('incident_tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
    expect([after.owner_account_id, after.due_on, after.status, after.note]).toEqual([null, '2026-12-10', 'in_progress', '所轄の警察署に相談予約']);
    const [entry] = await audit('incident.task_updated');
    expect(JSON.parse(entry!.before_json!)).toMatchObject({ key: 'police_consultation', status: 'todo' });
    expect(JSON.parse(entry!.after_json!)).toMatchObject({ key: 'police_consultation', status: 'in_progress', dueOn: '2026-12-10' });
    const unknownOwner = await owner.post(`/admin/incidents/${incidentId}/tasks/${task.id}`, { ownerAccountId: '999999', dueOn: '', status: 'todo', note: '' });
    expect(unknownOwner.statusCode).toBe(409);

    // The merchant's own task, after the generated ones.
    const noTitle = await owner.post(`/admin/incidents/${incidentId}/tasks`, { title: '', ownerAccountId: '', dueOn: '' });
    expect(fieldError(noTitle.body, 'new-task-title')).toBe('入力してください。');
    expect((await owner.post(`/admin/incidents/${incidentId}/tasks`, { title: '保険会社へ連絡', ownerAccountId: '', dueOn: '2026-12-09' })).statusCode).toBe(303);
    const page = await owner.get(`/admin/incidents/${incidentId}`);
    expect(page.body).toContain(`data-task-key="custom_${BREACH_PROCESS_TASKS.length}"`);
    expect(page.body).toContain('保険会社へ連絡');
    expect(await audit('incident.task_added')).toHaveLength(1);
  });

  it('puts an alert and a pause of the period on the timeline, with manual entries', async () => {
    const { alert } = await raiseAlert(shop.context, { kind: 'page_watch.script_added', severity: 'critical', summary: 'a script was added to /checkout', evidence: { page: 'checkout' } });
    await pauseShop(shop.db.db, { scope: 'card_payments', reason: 'page watch found a new script', actor: { id: 'page-watch' } }, new Date());
    await recordSecurityEvent(shop.db.db, 'payment.amount_mismatch', { orderId: 'o-1', expected: 1000, got: 1 }, new Date());
    // Outside the period (more than 30 days before awareness): not on the timeline.
    await recordSecurityEvent(shop.db.db, 'payment.double_capture', { orderId: 'o-0' }, new Date(awareAt.getTime() - 31 * 86_400_000));
    await owner.get(`/admin/incidents/${incidentId}`);
    const added = await owner.post(`/admin/incidents/${incidentId}/timeline`, { occurredAt: instantToWallTime(new Date(awareAt.getTime() + 60_000), tz()), entry: 'カード会社に電話で連絡した' });
    expect(added.statusCode).toBe(303);
    const page = await owner.get(`/admin/incidents/${incidentId}`);
    expect(page.body).toContain(`data-ref="alert:${alert.id}"`);
    expect(page.body).toContain('data-kind="shop.paused"');
    expect(page.body).toContain('data-source="security_event" data-ref="security_event:1" data-kind="payment.amount_mismatch"');
    expect(page.body).not.toContain('payment.double_capture');
    expect(page.body).toContain('カード会社に電話で連絡した');
    expect(await audit('incident.timeline_entry_added')).toHaveLength(1);
  });

  it('stores an uploaded file 0600 with its SHA-256, re-verifies it on download and refuses it once altered', async () => {
    await owner.get(`/admin/incidents/${incidentId}`);
    const bytes = Buffer.from('forensic preliminary findings: skimmer script at /static/x.js, masked card 411111******1111\n');
    const uploaded = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: csrfOf((await owner.get(`/admin/incidents/${incidentId}`)).body), description: '調査会社の速報' }, { name: '../../report.txt', type: 'text/plain', bytes });
    expect(uploaded.statusCode).toBe(303);
    const [row] = await incidentDb(shop.db.db).selectFrom('incident_evidence').selectAll().where('incident_id', '=', incidentId).execute();
    expect(row!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(row!.file_name).toBe('report.txt');
    expect(row!.size_bytes).toBe(bytes.length);
    const dir = incidentEvidenceDir(shop.dataDir, incidentId);
    expect(readdirSync(dir)).toEqual([row!.stored_name]);
    expect(statSync(path.join(dir, row!.stored_name)).mode & 0o777).toBe(0o600);
    expect((await audit('incident.evidence_added'))[0]!.after_json).toContain(row!.sha256);

    const download = await owner.get(`/admin/incidents/${incidentId}/evidence/${row!.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-evidence-sha256']).toBe(row!.sha256);

    // The row is append-only: the recorded hash cannot be changed to match an altered file.
    await expect(incidentDb(shop.db.db).updateTable('incident_evidence').set({ sha256: 'x' }).where('id', '=', row!.id).execute()).rejects.toThrow(/append-only/);
    await expect(incidentDb(shop.db.db).deleteFrom('incident_evidence').where('id', '=', row!.id).execute()).rejects.toThrow(/append-only/);

    writeFileSync(path.join(dir, row!.stored_name), Buffer.from('forensic preliminary findings: nothing found\n'));
    const tampered = await owner.get(`/admin/incidents/${incidentId}/evidence/${row!.id}`);
    expect(tampered.statusCode).toBe(409);
    expect(tampered.body).toContain('記録時のハッシュと一致しません');
    expect(tampered.body).not.toContain('nothing found');
  });

  it('refuses an empty or oversized upload and one holding a card number, with a field message', async () => {
    const csrf = async () => csrfOf((await owner.get(`/admin/incidents/${incidentId}`)).body);
    const before = (await incidentDb(shop.db.db).selectFrom('incident_evidence').select('id').execute()).length;
    const big = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: await csrf() }, { name: 'disk.img', type: 'application/octet-stream', bytes: Buffer.alloc(20 * 1024 * 1024 + 10) });
    expect(big.statusCode).toBe(413);
    expect(fieldError(big.body, 'evidence-file')).toContain('20MB');
    const card = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: await csrf() }, { name: 'dump.csv', type: 'text/csv', bytes: Buffer.from('order,card\n1,4111111111111111\n') });
    expect(card.statusCode).toBe(400);
    expect(fieldError(card.body, 'evidence-file')).toContain('カード番号');
    const noCsrf = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, {}, { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('a') });
    expect(noCsrf.statusCode).toBe(403);
    expect((await incidentDb(shop.db.db).selectFrom('incident_evidence').select('id').execute()).length).toBe(before);
  });

  it('refuses a card number hidden in UTF-16, full-width digits, a PDF or a DOCX, and a file it cannot scan', async () => {
    const csrf = async () => csrfOf((await owner.get(`/admin/incidents/${incidentId}`)).body);
    const before = (await incidentDb(shop.db.db).selectFrom('incident_evidence').select('id').execute()).length;
    const filesBefore = readdirSync(incidentEvidenceDir(shop.config.dataDir, incidentId)).length;
    const hidden = [
      { name: 'unicode.txt', type: 'text/plain', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('card\t4111111111111111\r\n', 'utf16le')]) },
      { name: 'memo.txt', type: 'text/plain', bytes: Buffer.from('カード：４１１１１１１１１１１１１１１１', 'utf8') },
      { name: 'report.pdf', type: 'application/pdf', bytes: pdfWithText('Card 4111 1111 1111 1111') },
      { name: 'report.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: makeZip([{ name: 'word/document.xml', content: '<w:t>4111111111111111</w:t>' }]) },
    ];
    for (const file of hidden) {
      const r = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: await csrf() }, file);
      expect(r.statusCode, file.name).toBe(400);
      expect(fieldError(r.body, 'evidence-file'), file.name).toContain('カード番号が含まれています');
    }
    const sevenZip = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: await csrf() }, { name: 'dump.7z', type: 'application/x-7z-compressed', bytes: Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), randomBytes(64)]) });
    expect(sevenZip.statusCode).toBe(400);
    expect(fieldError(sevenZip.body, 'evidence-file')).toContain('確認できない');
    expect((await incidentDb(shop.db.db).selectFrom('incident_evidence').select('id').execute()).length).toBe(before);
    expect(readdirSync(incidentEvidenceDir(shop.config.dataDir, incidentId)).length).toBe(filesBefore);
    // A clean PDF is stored; its name loses the bidi override that would show it as "reportexe.pdf".
    const clean = await postMultipart(shop, owner, `/admin/incidents/${incidentId}/evidence`, { _csrf: await csrf() }, { name: 'report\u202efdp.exe', type: 'application/pdf', bytes: pdfWithText('No card data found') });
    expect(clean.statusCode).toBe(303);
    const row = await incidentDb(shop.db.db).selectFrom('incident_evidence').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.file_name).toBe('reportfdp.exe');
  });

  it("exports the audit log's segment of the period as evidence, with its hash", async () => {
    await owner.get(`/admin/incidents/${incidentId}`);
    const exported = await owner.post(`/admin/incidents/${incidentId}/evidence/export`, { source: 'audit-log' });
    expect(exported.statusCode).toBe(200);
    const row = await incidentDb(shop.db.db).selectFrom('incident_evidence').selectAll().where('source', '=', 'audit-log').executeTakeFirstOrThrow();
    expect(exported.body).toContain(row.file_name);
    const download = await owner.get(`/admin/incidents/${incidentId}/evidence/${row.id}`);
    expect(download.statusCode).toBe(200);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(row.sha256);
    const lines = download.body.trim().split('\n').map((l) => JSON.parse(l) as { action: string; hash: string; prevHash: string });
    expect(lines.map((l) => l.action)).toEqual(expect.arrayContaining(['incident.opened', 'shop.paused', 'security.alert_raised']));
    // Consecutive entries chain, even around the back-dated security event recorded above: the
    // segment can be checked link by link without the database.
    expect(lines.length).toBeGreaterThan(5);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.prevHash).toBe(lines[i - 1]!.hash);
    expect(lines.map((l) => l.action)).toContain('security.payment.double_capture');

    for (const source of ['watch-results', 'page-watch-runs', 'scan-history']) {
      expect((await owner.post(`/admin/incidents/${incidentId}/evidence/export`, { source })).statusCode).toBe(200);
      const stored = await incidentDb(shop.db.db).selectFrom('incident_evidence').selectAll().where('source', '=', source as 'scan-history').executeTakeFirstOrThrow();
      const file = await owner.get(`/admin/incidents/${incidentId}/evidence/${stored.id}`);
      expect(JSON.parse(file.body)).toMatchObject({ incident: expect.stringMatching(/^INC-/), [source]: expect.anything() });
    }
    expect((await owner.post(`/admin/incidents/${incidentId}/evidence/export`, { source: 'database' })).statusCode).toBe(400);
  });

  it('drafts the PPC report from the incident and the scope counts, saves edits as versions (audited) and exports HTML', async () => {
    const prefilledWithoutScope = await owner.get(`/admin/incidents/${incidentId}/ppc-report`);
    expect(prefilledWithoutScope.statusCode).toBe(200);
    expect(prefilledWithoutScope.body).toContain('（調査中）');

    // A saved scope (src/incident-scope/) with the counts of a large shop, written as the scope page stores it.
    await shop.db.db.withTables<{ incident_scopes: Record<string, unknown> }>().insertInto('incident_scopes').values({
      incident_id: incidentId, criterion: 'card_paid', period_from: '2026-09-01T00:00:00.000Z', period_to: '2026-12-01T00:00:00.000Z',
      emails_json: null, orders_count: 1300, persons_count: 1234, computed_by: 'admin:1', computed_at: new Date().toISOString(),
    }).execute();
    const draft = await owner.get(`/admin/incidents/${incidentId}/ppc-report`);
    for (const item of PPC_REPORT_ITEMS) expect(draft.body).toContain(item.heading);
    expect(draft.body).toContain('1,234人（注文1,300件');
    expect(draft.body).toContain('氏名、メールアドレス、住所、電話番号、注文履歴');
    expect(draft.body).toContain('カード決済された注文（2026-09-01〜2026-12-01、UTC）');
    expect(draft.body).toContain('施行規則第7条第3号');

    const form: Record<string, string> = {};
    for (const [, name, value] of draft.body.matchAll(/<textarea id="report-[A-Za-z]+" name="([A-Za-z]+)"[^>]*>([^<]*)<\/textarea>/g)) form[name!] = value!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
    expect(Object.keys(form)).toHaveLength(PPC_REPORT_ITEMS.length);
    const refused = await owner.post(`/admin/incidents/${incidentId}/ppc-report`, { ...form, reportType: 'preliminary', reporter: 'Mamori 商店', cause: 'カード 4111-1111-1111-1111 の流出' });
    expect(refused.statusCode).toBe(400);
    expect(fieldError(refused.body, 'report-cause')).toBe('カード番号は入力しないでください。');

    const saved = await owner.post(`/admin/incidents/${incidentId}/ppc-report`, { ...form, reportType: 'preliminary', reporter: 'Mamori 商店', cause: '決済ページへの不正なスクリプトの埋め込み（管理画面への不正ログイン経由）' });
    expect(saved.statusCode).toBe(303);
    const again = await owner.post(`/admin/incidents/${incidentId}/ppc-report`, { ...form, reportType: 'preliminary', reporter: 'Mamori 商店', cause: '決済ページへの不正なスクリプトの埋め込み（第2版）' });
    expect(again.statusCode).toBe(303);
    const versions = await incidentDb(shop.db.db).selectFrom('incident_ppc_reports').select(['version']).where('incident_id', '=', incidentId).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const audited = await audit('incident.ppc_report_saved');
    expect(audited).toHaveLength(2);
    expect(audited[0]!.after_json).toContain('管理画面への不正ログイン経由');

    const html = await owner.get(`/admin/incidents/${incidentId}/ppc-report.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-disposition']).toMatch(/^attachment; filename="INC-\d{4}-0001-ppc-report\.html"/);
    expect(html.body).toContain('（第2版）');
    expect(html.body).toContain('Mamori 商店');
    for (const item of PPC_REPORT_ITEMS) expect(html.body).toContain(item.heading);
    expect(html.body).not.toContain('<script');
  });

  it('blocks resuming until every checklist item is green or waived; attestations and waivers are audited; then the incident closes', async () => {
    const blocked = await incidentBlockingResume(shop.db.db);
    expect(blocked?.incidentId).toBe(incidentId);
    expect(blocked?.openItemKeys).toEqual(expect.arrayContaining(['external_scan', 'file_integrity', 'page_watch', 'deploy_gate', 'pan_scan', 'forensic_report']));
    // The audit chain is checked for real, and it is intact.
    expect(blocked?.openItemKeys).not.toContain('audit_chain');
    expect((await verifyAuditChain(shop.db.db)).ok).toBe(true);

    let page = await owner.get(`/admin/incidents/${incidentId}`);
    expect(page.body).toContain('data-item="file_integrity" data-state="not_run"');
    expect(page.body).toContain('data-item="audit_chain" data-state="green"');

    const early = await owner.post(`/admin/incidents/${incidentId}/close`, { note: 'done' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('再開前チェックリストが完了していないため終了できません');

    // A finding is red, not "not run"; a clean run after it is green.
    await recordWatchResult(shop.db.db, { watcher: 'integrity', outcome: 'findings', summary: '1 file changed', at: new Date() });
    page = await owner.get(`/admin/incidents/${incidentId}`);
    expect(page.body).toContain('data-item="file_integrity" data-state="red"');
    await recordWatchResult(shop.db.db, { watcher: 'integrity', outcome: 'clean', summary: 'all files match', at: new Date() });
    await recordWatchResult(shop.db.db, { watcher: 'pan-scan', outcome: 'clean', summary: 'no card numbers', at: new Date() });
    await recordSecurityCheck(shop.db.db, passingCheck(), { finishedAt: new Date() });

    page = await owner.get(`/admin/incidents/${incidentId}`);
    for (const key of ['file_integrity', 'pan_scan', 'deploy_gate']) expect(page.body).toContain(`data-item="${key}" data-state="green"`);

    // An automatic item cannot be "attested"; it can only be waived, with a reason.
    const attestAuto = await owner.post(`/admin/incidents/${incidentId}/checklist/external_scan`, { mark: 'attested', note: 'looked fine' });
    expect(attestAuto.statusCode).toBe(409);
    const noReason = await owner.post(`/admin/incidents/${incidentId}/checklist/external_scan`, { mark: 'waived', note: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(fieldError(noReason.body, 'check-external_scan-note')).toBe('入力してください。');

    for (const item of ['forensic_report', 'card_brands_consent', 'committee_approval']) {
      await owner.get(`/admin/incidents/${incidentId}`);
      expect((await owner.post(`/admin/incidents/${incidentId}/checklist/${item}`, { mark: 'attested', note: `${item} 受領` })).statusCode).toBe(303);
    }
    await owner.get(`/admin/incidents/${incidentId}`);
    expect((await owner.post(`/admin/incidents/${incidentId}/checklist/external_scan`, { mark: 'waived', note: 'ASV スキャンは外部で実施済み（報告書を証拠に添付）' })).statusCode).toBe(303);
    expect((await incidentBlockingResume(shop.db.db))?.openItemKeys).toEqual(['page_watch']);

    await owner.get(`/admin/incidents/${incidentId}`);
    expect((await owner.post(`/admin/incidents/${incidentId}/checklist/page_watch`, { mark: 'waived', note: '決済ページは外部決済に切替済み' })).statusCode).toBe(303);
    expect(await incidentBlockingResume(shop.db.db)).toBeNull();

    const waived = await audit('incident.checklist_item_waived');
    expect(waived.map((w) => JSON.parse(w.after_json!).item)).toEqual(['external_scan', 'page_watch']);
    expect(waived[0]!.after_json).toContain('ASV スキャンは外部で実施済み');
    expect(waived[0]!.actor).toMatch(/^admin:\d+$/);
    expect(await audit('incident.checklist_item_attested')).toHaveLength(3);

    await owner.get(`/admin/incidents/${incidentId}`);
    const closed = await owner.post(`/admin/incidents/${incidentId}/close`, { note: '再発防止策を実施し、カード会社の同意を得た' });
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toContain('data-status="closed"');
    expect(await audit('incident.closed')).toHaveLength(1);
    expect((await owner.get('/admin')).body).not.toContain('id="open-incidents-banner"');
    expect((await verifyAuditChain(shop.db.db)).ok).toBe(true);
  });
});
