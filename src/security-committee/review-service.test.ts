// The sign-off workflow and the frozen copies on both databases: draft → submitted → returned →
// submitted → approved, each step an audit entry; only committee members review, a vendor never
// approves, nobody approves their own submission; a stale version is refused (also two approvals
// racing); approval freezes html ja/en, json and pdf with their SHA-256 in the audit entry; the frozen
// table refuses changes, and bytes altered behind the trigger's back are reported as altered; open
// actions of approved months flow into the next month and can be closed there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { fakeMonthlyReportRenderer, type FakeRenderer } from '../../test/support/fake-monthly-report-renderer.ts';
import { adminDb, type AdminRole } from '../admin/admin-tables.ts';
import { createAccount } from '../admin/admin-accounts.ts';
import { isPostgres } from '../db/migrate.ts';
import { committeeDb } from './committee-tables.ts';
import { isCommitteeMember, setCommitteeMembership } from './committee-members.ts';
import { checkFrozenCopies, readFrozenCopy } from './frozen-reports.ts';
import {
  annotationsFor, approveReview, loadReview, previousOpenActions, returnReview, saveDraft, sha256Hex, submitReview, type ReviewActor, type ReviewContext,
} from './review-service.ts';

const TZ = 'Asia/Tokyo';
const NOW = new Date('2026-12-02T01:00:00Z');

describeEachDatabase('security report sign-off', (database) => {
  let t: MigratedTestDatabase;
  let renderer: FakeRenderer;
  let ctx: ReviewContext;
  const who = {} as Record<'owner' | 'owner2' | 'vendor' | 'auditor' | 'outsider' | 'staff', ReviewActor>;

  const account = async (email: string, role: AdminRole): Promise<ReviewActor> => {
    const r = await createAccount(adminDb(t.db), { email, password: 'Kumo-no-ue-no-niwa-42', role, refundLimit: null }, NOW);
    if (!r.ok) throw new Error(r.error);
    return { accountId: r.account.id, email, role, ip: '192.0.2.1' };
  };
  const auditActions = async (month: string) => (await t.db.selectFrom('audit_log').select(['action', 'actor', 'after_json']).where('target', '=', `monthly-report:${month}`).orderBy('id').execute())
    .map((r: { action: string; actor: string }) => `${r.action} by ${r.actor}`);
  const draft = (expectedVersion: number, extra: Partial<Parameters<typeof saveDraft>[2]> = {}) => ({ expectedVersion, comments: {}, actions: [], closedActionIds: [], ...extra });

  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    renderer = fakeMonthlyReportRenderer();
    ctx = { db: t.db, renderer, timeZone: TZ };
    who.owner = await account('owner@example.jp', 'owner');
    who.owner2 = await account('owner2@example.jp', 'owner');
    who.vendor = await account('vendor@example.jp', 'vendor');
    who.auditor = await account('auditor@example.jp', 'auditor');
    who.outsider = await account('other-auditor@example.jp', 'auditor');
    who.staff = await account('staff@example.jp', 'staff');
  });
  afterAll(async () => { await t?.dispose(); });

  it('committee membership: owners always, auditors once an owner adds them (audited), never the vendor or staff', async () => {
    expect(await isCommitteeMember(t.db, who.owner.accountId)).toBe(true);
    expect(await isCommitteeMember(t.db, who.auditor.accountId)).toBe(false);
    expect(await setCommitteeMembership(t.db, who.vendor.accountId, true, { id: `admin:${who.owner.accountId}` }, NOW)).toEqual({ ok: false, error: 'NOT_AN_AUDITOR' });
    expect(await setCommitteeMembership(t.db, who.staff.accountId, true, { id: `admin:${who.owner.accountId}` }, NOW)).toEqual({ ok: false, error: 'NOT_AN_AUDITOR' });
    expect(await setCommitteeMembership(t.db, who.auditor.accountId, true, { id: `admin:${who.owner.accountId}` }, NOW)).toEqual({ ok: true, changed: true });
    expect(await isCommitteeMember(t.db, who.auditor.accountId)).toBe(true);
    expect(await isCommitteeMember(t.db, who.outsider.accountId)).toBe(false);
    const entries = await t.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'security_committee.%').execute();
    expect(entries).toEqual([{ action: 'security_committee.member_added', target: `admin:${who.auditor.accountId}` }]);
  });

  it('runs draft → submitted → returned → submitted → approved, each step audited, with the rules of who may do what', async () => {
    const month = '2026-10';
    const saved = await saveDraft(t.db, month, draft(0, {
      comments: { summary: 'All green this month.', vulnerabilities: 'One high advisory, fixed on the 12th.' },
      actions: [{ text: 'Upgrade OpenSSL', owner: 'vendor', due: '2026-11-30', status: 'open' }, { text: 'Rotate backup key', status: 'done' }],
    }), who.vendor, NOW);
    expect(saved).toEqual({ ok: true, version: 1 });
    expect((await loadReview(t.db, month)).actions.map((a) => a.id)).toEqual(['2026-10-1', '2026-10-2']);
    // Staff and auditors do not write the draft.
    expect(await saveDraft(t.db, month, draft(1), who.staff, NOW)).toEqual({ ok: false, error: 'NOT_AN_EDITOR' });
    expect(await saveDraft(t.db, month, draft(1), who.auditor, NOW)).toEqual({ ok: false, error: 'NOT_AN_EDITOR' });
    // Nothing to review before it is submitted.
    expect(await approveReview(ctx, month, { expectedVersion: 1, note: '' }, who.auditor, NOW)).toEqual({ ok: false, error: 'NOT_SUBMITTED' });

    expect(await submitReview(t.db, month, { expectedVersion: 1, note: 'Please review.' }, who.vendor, NOW, TZ)).toEqual({ ok: true, version: 2 });
    expect(await saveDraft(t.db, month, draft(2), who.vendor, NOW)).toEqual({ ok: false, error: 'NOT_EDITABLE' });
    // The vendor can never approve; an auditor not on the committee neither.
    expect(await approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.vendor, NOW)).toEqual({ ok: false, error: 'NOT_COMMITTEE' });
    expect(await approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.outsider, NOW)).toEqual({ ok: false, error: 'NOT_COMMITTEE' });
    expect(await returnReview(t.db, month, { expectedVersion: 2, note: 'no' }, who.vendor, NOW)).toEqual({ ok: false, error: 'NOT_COMMITTEE' });

    expect(await returnReview(t.db, month, { expectedVersion: 2, note: 'Say what the high advisory was.' }, who.auditor, NOW)).toEqual({ ok: true, version: 3 });
    expect((await loadReview(t.db, month)).state).toBe('returned');
    expect(await saveDraft(t.db, month, draft(3, {
      comments: { summary: 'All green this month.', vulnerabilities: 'GHSA-xxxx in undici (high), fixed on the 12th.' },
      actions: [{ id: '2026-10-1', text: 'Upgrade OpenSSL', owner: 'vendor', due: '2026-11-30', status: 'open' }, { id: '2026-10-2', text: 'Rotate backup key', status: 'done' }],
    }), who.vendor, NOW)).toEqual({ ok: true, version: 4 });
    expect(await submitReview(t.db, month, { expectedVersion: 4, note: '' }, who.vendor, NOW, TZ)).toEqual({ ok: true, version: 5 });

    // A reviewer acting on the page of an older version is refused.
    expect(await approveReview(ctx, month, { expectedVersion: 4, note: '' }, who.auditor, NOW)).toEqual({ ok: false, error: 'STALE' });
    const approved = await approveReview(ctx, month, { expectedVersion: 5, note: 'Approved by the committee.' }, who.auditor, new Date('2026-12-03T02:00:00Z'));
    expect(approved).toEqual({ ok: true, version: 6 });
    const review = await loadReview(t.db, month);
    expect(review).toMatchObject({ state: 'approved', approvedBy: 'auditor@example.jp', approvedAt: '2026-12-03T02:00:00.000Z', submittedBy: 'vendor@example.jp' });
    expect(await saveDraft(t.db, month, draft(6), who.vendor, NOW)).toEqual({ ok: false, error: 'NOT_EDITABLE' });
    expect(await returnReview(t.db, month, { expectedVersion: 6, note: 'reopen' }, who.owner, NOW)).toEqual({ ok: false, error: 'NOT_SUBMITTED' });

    const v = `admin:${who.vendor.accountId}`;
    const a = `admin:${who.auditor.accountId}`;
    expect(await auditActions(month)).toEqual([
      `security_report.draft_saved by ${v}`, `security_report.submitted by ${v}`, `security_report.returned by ${a}`,
      `security_report.draft_saved by ${v}`, `security_report.resubmitted by ${v}`, `security_report.approved by ${a}`,
    ]);

    // Rendered with the annotations of the version approved; the frozen bytes are what was rendered,
    // and the audit entry holds their SHA-256.
    const frozen = await committeeDb(t.db).selectFrom('monthly_report_frozen').selectAll().where('month', '=', month).orderBy('format').execute();
    expect(frozen.map((f) => f.format)).toEqual(['html-en', 'html-ja', 'json', 'pdf']);
    const ja = await renderer.render(month, { locale: 'ja', annotations: await annotationsFor(t.db, review) });
    expect(Buffer.from(frozen.find((f) => f.format === 'html-ja')!.content).toString('utf8')).toBe(ja.html);
    expect(ja.html).toContain('GHSA-xxxx in undici');
    const entry = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'security_report.approved').executeTakeFirstOrThrow();
    const files = JSON.parse(entry.after_json).files as Record<string, { sha256: string; bytes: number }>;
    for (const f of frozen) {
      expect(f.sha256).toBe(sha256Hex(f.content));
      expect(files[f.format]).toEqual({ sha256: f.sha256, bytes: f.size_bytes });
    }
    expect((await checkFrozenCopies(t.db, month)).map((c) => c.status)).toEqual(['intact', 'intact', 'intact', 'intact']);
    const pdf = await readFrozenCopy(t.db, month, 'pdf');
    expect(pdf.ok && pdf.bytes.toString('latin1').startsWith('%PDF-')).toBe(true);
  });

  it('nobody approves their own submission; another member may', async () => {
    const month = '2026-09';
    expect(await saveDraft(t.db, month, draft(0, { comments: { access: 'No vendor sessions.' } }), who.owner, NOW)).toEqual({ ok: true, version: 1 });
    expect(await submitReview(t.db, month, { expectedVersion: 1, note: '' }, who.owner, NOW, TZ)).toEqual({ ok: true, version: 2 });
    expect(await approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.owner, NOW)).toEqual({ ok: false, error: 'OWN_SUBMISSION' });
    expect(await approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.owner2, NOW)).toEqual({ ok: true, version: 3 });
  });

  it('a month is submitted only once it has ended (shop time)', async () => {
    expect(await saveDraft(t.db, '2026-12', draft(0), who.vendor, NOW)).toEqual({ ok: true, version: 1 });
    expect(await submitReview(t.db, '2026-12', { expectedVersion: 1, note: '' }, who.vendor, NOW, TZ)).toEqual({ ok: false, error: 'MONTH_NOT_OVER' });
  });

  it('of two reviewers acting on the same version only one wins; the other is STALE and nothing is frozen twice', async () => {
    const month = '2026-08';
    await saveDraft(t.db, month, draft(0), who.vendor, NOW);
    await submitReview(t.db, month, { expectedVersion: 1, note: '' }, who.vendor, NOW, TZ);
    const results = await Promise.all([
      approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.auditor, NOW),
      approveReview(ctx, month, { expectedVersion: 2, note: '' }, who.owner, NOW),
      returnReview(t.db, month, { expectedVersion: 2, note: 'wait' }, who.owner2, NOW),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(['STALE', 'STALE']);
    const frozen = await committeeDb(t.db).selectFrom('monthly_report_frozen').select('format').where('month', '=', month).execute();
    expect(frozen).toHaveLength((await loadReview(t.db, month)).state === 'approved' ? 4 : 0);
    // Two first saves of a new month: one creates it, the other is STALE.
    const first = await Promise.all([saveDraft(t.db, '2026-07', draft(0), who.vendor, NOW), saveDraft(t.db, '2026-07', draft(0), who.owner, NOW)]);
    expect(first.map((r) => r.ok).sort()).toEqual([false, true]);
  });

  it('the frozen copies cannot be changed; bytes altered behind the trigger are reported as ALTERED', async () => {
    const month = '2026-10';
    const fdb = committeeDb(t.db);
    await expect(fdb.updateTable('monthly_report_frozen').set({ content: Buffer.from('forged') }).where('month', '=', month).where('format', '=', 'html-ja').execute()).rejects.toThrow(/append-only/);
    await expect(fdb.deleteFrom('monthly_report_frozen').where('month', '=', month).execute()).rejects.toThrow(/append-only/);
    // Someone who owns the database drops the trigger and rewrites the Japanese HTML — and, to hide
    // it, the row's own hash too. The audit entry's hash still tells.
    if (isPostgres(t.db)) await sql`alter table monthly_report_frozen disable trigger monthly_report_frozen_append_only`.execute(t.db);
    else await sql`drop trigger monthly_report_frozen_no_update`.execute(t.db);
    const forged = Buffer.from('<!doctype html><p>All green, nothing to see.</p>');
    await fdb.updateTable('monthly_report_frozen').set({ content: forged, sha256: sha256Hex(forged), size_bytes: forged.length }).where('month', '=', month).where('format', '=', 'html-ja').execute();
    const checks = await checkFrozenCopies(t.db, month);
    expect(checks.map((c) => `${c.format}:${c.status}`)).toEqual(['html-ja:altered', 'html-en:intact', 'json:intact', 'pdf:intact']);
    expect(await readFrozenCopy(t.db, month, 'html-ja')).toEqual({ ok: false, error: 'ALTERED' });
    expect((await readFrozenCopy(t.db, month, 'html-en')).ok).toBe(true);
    // Only the bytes changed (row hash left as recorded): still altered.
    const pdfRow = await fdb.selectFrom('monthly_report_frozen').select('content').where('month', '=', month).where('format', '=', 'pdf').executeTakeFirstOrThrow();
    const flipped = Buffer.from(pdfRow.content);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 1, flipped.length - 2);
    await fdb.updateTable('monthly_report_frozen').set({ content: flipped }).where('month', '=', month).where('format', '=', 'pdf').execute();
    expect((await checkFrozenCopies(t.db, month)).find((c) => c.format === 'pdf')!.status).toBe('altered');
    if (isPostgres(t.db)) await sql`alter table monthly_report_frozen enable trigger monthly_report_frozen_append_only`.execute(t.db);
  });

  it('open actions of approved months flow into the next month, can be marked done there, and then stop', async () => {
    // October (approved above): 2026-10-1 open, 2026-10-2 done. September (approved): no actions.
    expect(await previousOpenActions(t.db, '2026-11')).toEqual([{ id: '2026-10-1', text: 'Upgrade OpenSSL', owner: 'vendor', due: '2026-11-30', status: 'open' }]);
    // A draft (not approved) month's actions do not count.
    await saveDraft(t.db, '2026-11', draft(0, { actions: [{ text: 'Enable the WAF', status: 'open' }], closedActionIds: ['2026-10-1'] }), who.vendor, NOW);
    expect(await saveDraft(t.db, '2026-11', draft(1, { closedActionIds: ['2026-10-9'] }), who.vendor, NOW)).toEqual({ ok: false, error: 'UNKNOWN_ACTION' });
    const nov = await loadReview(t.db, '2026-11');
    expect((await annotationsFor(t.db, nov)).previousOpenActions).toEqual([{ id: '2026-10-1', text: 'Upgrade OpenSSL', owner: 'vendor', due: '2026-11-30', status: 'done' }]);
    expect(await previousOpenActions(t.db, '2026-12')).toEqual([{ id: '2026-10-1', text: 'Upgrade OpenSSL', owner: 'vendor', due: '2026-11-30', status: 'open' }]);
    await submitReview(t.db, '2026-11', { expectedVersion: 1, note: '' }, who.vendor, NOW, TZ);
    expect(await approveReview(ctx, '2026-11', { expectedVersion: 2, note: '' }, who.owner, NOW)).toEqual({ ok: true, version: 3 });
    // Closed in November: gone from December; November's own open action arrives.
    expect(await previousOpenActions(t.db, '2026-12')).toEqual([{ id: '2026-11-1', text: 'Enable the WAF', status: 'open' }]);
  });
});
