// The monthly report's review: the vendor's draft (a comment per section, an action list), submit,
// return with comments, resubmit, approve. Every change is one transaction with its audit entry and
// raises the review's version; a change that names an older version is refused (STALE), so two
// reviewers acting on the same page cannot both win. Expected refusals are values, not exceptions.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { AdminRole } from '../admin/admin-tables.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import {
  MONTHLY_REPORT_SECTIONS, type MonthlyReportRenderer, type MonthlyReportSectionId, type ReportAction, type ReportMonth, type ReviewAnnotations,
} from '../monthly-report/report-contract.ts';
import { committeeDb, type FrozenFormat, type MonthlyReportReview, type ReviewNote, type ReviewState } from './committee-tables.ts';
import { isCommitteeMember } from './committee-members.ts';

export interface ReviewActor { accountId: number; email: string; role: AdminRole; ip?: string }

/** Who may write the draft and submit it: the system vendor (and an owner standing in). */
export const EDITOR_ROLES: readonly AdminRole[] = ['vendor', 'owner'];

export interface ReviewContext {
  db: Kysely<any>;
  /** Renders the report (src/monthly-report/); undefined until the composition root wires it. */
  renderer: MonthlyReportRenderer | undefined;
  timeZone: string;
}

export type ReviewError =
  | 'STALE' | 'NOT_EDITABLE' | 'NOT_SUBMITTED' | 'NOT_AN_EDITOR' | 'NOT_COMMITTEE' | 'OWN_SUBMISSION'
  | 'MONTH_NOT_OVER' | 'UNKNOWN_ACTION' | 'RENDERER_UNAVAILABLE';
export type ReviewChange = { ok: true; version: number } | { ok: false; error: ReviewError };

/** The review of a month as the pages use it; a month nobody has touched is a draft at version 0. */
export interface ReviewView {
  month: ReportMonth;
  state: ReviewState;
  version: number;
  comments: Partial<Record<MonthlyReportSectionId, string>>;
  actions: ReportAction[];
  closedActionIds: string[];
  submittedBy: string | null;
  submittedAt: string | null;
  submittedByAccount: number | null;
  approvedBy: string | null;
  approvedAt: string | null;
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The shop-time month `at` falls in. */
export function monthOf(at: Date, timeZone: string): ReportMonth {
  return localDate(at, timeZone).slice(0, 7);
}

export function addMonths(month: ReportMonth, n: number): ReportMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

function toView(month: ReportMonth, row: MonthlyReportReview | undefined): ReviewView {
  if (!row) {
    return { month, state: 'draft', version: 0, comments: {}, actions: [], closedActionIds: [], submittedBy: null, submittedAt: null, submittedByAccount: null, approvedBy: null, approvedAt: null };
  }
  return {
    month, state: row.state, version: row.version,
    comments: JSON.parse(row.comments_json) as ReviewView['comments'],
    actions: JSON.parse(row.actions_json) as ReportAction[],
    closedActionIds: JSON.parse(row.closed_actions_json) as string[],
    submittedBy: row.submitted_by_email, submittedAt: row.submitted_at, submittedByAccount: row.submitted_by_account,
    approvedBy: row.approved_by_email, approvedAt: row.approved_at,
  };
}

export async function loadReview(db: Kysely<any>, month: ReportMonth): Promise<ReviewView> {
  return toView(month, await committeeDb(db).selectFrom('monthly_report_reviews').selectAll().where('month', '=', month).executeTakeFirst());
}

export async function listReviews(db: Kysely<any>): Promise<ReviewView[]> {
  const rows = await committeeDb(db).selectFrom('monthly_report_reviews').selectAll().orderBy('month', 'desc').execute();
  return rows.map((r) => toView(r.month, r));
}

export async function reviewNotes(db: Kysely<any>, month: ReportMonth): Promise<ReviewNote[]> {
  return committeeDb(db).selectFrom('monthly_report_review_notes').selectAll().where('month', '=', month).orderBy('id').execute();
}

/**
 * Actions of approved earlier months still open before `month`: not done in their own month and
 * not marked done in a later approved month. Those marked done in `month`'s own draft come back
 * with status 'done' (the report shows them closed this month).
 */
export async function previousOpenActions(db: Kysely<any>, month: ReportMonth, closedThisMonth: readonly string[] = []): Promise<ReportAction[]> {
  const approved = await committeeDb(db).selectFrom('monthly_report_reviews').select(['actions_json', 'closed_actions_json'])
    .where('state', '=', 'approved').where('month', '<', month).orderBy('month').execute();
  const all = new Map<string, ReportAction>();
  const closed = new Set<string>();
  for (const r of approved) {
    for (const a of JSON.parse(r.actions_json) as ReportAction[]) {
      all.set(a.id, a);
      if (a.status === 'done') closed.add(a.id);
    }
    for (const id of JSON.parse(r.closed_actions_json) as string[]) closed.add(id);
  }
  const done = new Set(closedThisMonth);
  return [...all.values()].filter((a) => !closed.has(a.id)).map((a) => ({ ...a, status: done.has(a.id) ? 'done' : 'open' }));
}

export async function annotationsFor(db: Kysely<any>, review: ReviewView): Promise<ReviewAnnotations> {
  return { sectionComments: review.comments, actions: review.actions, previousOpenActions: await previousOpenActions(db, review.month, review.closedActionIds) };
}

const audit = (trx: Kysely<any>, actor: ReviewActor, action: string, month: ReportMonth, at: Date, detail: { before?: unknown; after?: unknown }) =>
  appendAuditEntry(trx, { actor: `admin:${actor.accountId}`, action, target: `monthly-report:${month}`, ...(actor.ip ? { ip: actor.ip } : {}), ...detail, at });

class Refused extends Error {
  constructor(readonly code: ReviewError) { super(code); }
}

/**
 * Moves the review from `expectedVersion` to the next one inside a transaction: the UPDATE names
 * the version (and the states it may be in), so of two changes from the same version only one
 * matches a row; the other is STALE. Version 0 is the first save: an INSERT, which the primary key
 * lets only one make.
 */
async function changeReview(
  db: Kysely<any>, month: ReportMonth, expectedVersion: number, from: readonly ReviewState[],
  set: Partial<Omit<MonthlyReportReview, 'month' | 'version'>> & { updated_by: string; updated_at: string },
  inside: (trx: Kysely<any>, version: number) => Promise<void>,
): Promise<ReviewChange> {
  try {
    return await db.transaction().execute(async (trx) => {
      const cdb = committeeDb(trx);
      const version = expectedVersion + 1;
      if (expectedVersion === 0) {
        if (!from.includes('draft')) throw new Refused('STALE');
        const exists = await cdb.selectFrom('monthly_report_reviews').select('month').where('month', '=', month).executeTakeFirst();
        if (exists) throw new Refused('STALE');
        await cdb.insertInto('monthly_report_reviews').values({
          month, version, state: 'draft', comments_json: '{}', actions_json: '[]', closed_actions_json: '[]',
          submitted_by_account: null, submitted_by_email: null, submitted_at: null, approved_by_account: null, approved_by_email: null, approved_at: null,
          ...set,
        }).execute();
      } else {
        const updated = await cdb.updateTable('monthly_report_reviews').set({ ...set, version })
          .where('month', '=', month).where('version', '=', expectedVersion).where('state', 'in', [...from]).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Refused('STALE');
      }
      await inside(trx, version);
      return { ok: true as const, version };
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, error: err.code };
    // Two first saves at once: the loser's INSERT hits the primary key.
    if (expectedVersion === 0 && /unique|duplicate|primary key/i.test(String((err as Error).message))) return { ok: false, error: 'STALE' };
    throw err;
  }
}

/** The state refusal that explains a change from a version the review no longer has, if any. */
async function refusalFor(db: Kysely<any>, month: ReportMonth, expectedVersion: number, allowed: readonly ReviewState[], notAllowed: ReviewError): Promise<ReviewError | null> {
  const current = await loadReview(db, month);
  if (current.version !== expectedVersion) return 'STALE';
  return allowed.includes(current.state) ? null : notAllowed;
}

export interface DraftInput {
  expectedVersion: number;
  comments: Partial<Record<MonthlyReportSectionId, string>>;
  /** Actions of the list; one without an id is new and gets `YYYY-MM-n`. */
  actions: (Omit<ReportAction, 'id'> & { id?: string })[];
  closedActionIds: string[];
}

export async function saveDraft(db: Kysely<any>, month: ReportMonth, input: DraftInput, actor: ReviewActor, now: Date): Promise<ReviewChange> {
  if (!EDITOR_ROLES.includes(actor.role)) return { ok: false, error: 'NOT_AN_EDITOR' };
  const refusal = await refusalFor(db, month, input.expectedVersion, ['draft', 'returned'], 'NOT_EDITABLE');
  if (refusal) return { ok: false, error: refusal };
  const current = await loadReview(db, month);
  const known = new Set(current.actions.map((a) => a.id));
  const previous = new Set((await previousOpenActions(db, month)).map((a) => a.id));
  if (input.closedActionIds.some((id) => !previous.has(id)) || input.actions.some((a) => a.id !== undefined && !known.has(a.id))) return { ok: false, error: 'UNKNOWN_ACTION' };
  let next = Math.max(0, ...current.actions.map((a) => Number(a.id.split('-')[2] ?? 0)));
  const actions: ReportAction[] = input.actions.map((a) => ({
    id: a.id ?? `${month}-${++next}`, text: a.text, status: a.status, ...(a.owner ? { owner: a.owner } : {}), ...(a.due ? { due: a.due } : {}),
  }));
  const comments: Partial<Record<MonthlyReportSectionId, string>> = {};
  for (const s of MONTHLY_REPORT_SECTIONS) if (input.comments[s]) comments[s] = input.comments[s];
  return changeReview(db, month, input.expectedVersion, ['draft', 'returned'], {
    comments_json: JSON.stringify(comments), actions_json: JSON.stringify(actions), closed_actions_json: JSON.stringify(input.closedActionIds),
    updated_by: `admin:${actor.accountId}`, updated_at: now.toISOString(),
  }, (trx, version) => audit(trx, actor, 'security_report.draft_saved', month, now, { after: { version, comments, actions, closedActionIds: input.closedActionIds } }).then(() => undefined));
}

async function addNote(trx: Kysely<any>, month: ReportMonth, kind: ReviewNote['kind'], body: string, actor: ReviewActor, now: Date) {
  if (!body) return;
  await committeeDb(trx).insertInto('monthly_report_review_notes')
    .values({ month, kind, body, author_account: actor.accountId, author_email: actor.email, created_at: now.toISOString() }).execute();
}

export async function submitReview(db: Kysely<any>, month: ReportMonth, input: { expectedVersion: number; note: string }, actor: ReviewActor, now: Date, timeZone: string): Promise<ReviewChange> {
  if (!EDITOR_ROLES.includes(actor.role)) return { ok: false, error: 'NOT_AN_EDITOR' };
  // The month's figures are complete only once it has ended (shop time).
  if (month >= monthOf(now, timeZone)) return { ok: false, error: 'MONTH_NOT_OVER' };
  const refusal = await refusalFor(db, month, input.expectedVersion, ['draft', 'returned'], 'NOT_EDITABLE');
  if (refusal) return { ok: false, error: refusal };
  const before = await loadReview(db, month);
  return changeReview(db, month, input.expectedVersion, ['draft', 'returned'], {
    state: 'submitted', submitted_by_account: actor.accountId, submitted_by_email: actor.email, submitted_at: now.toISOString(),
    updated_by: `admin:${actor.accountId}`, updated_at: now.toISOString(),
  }, async (trx, version) => {
    await addNote(trx, month, 'submitted', input.note, actor, now);
    await audit(trx, actor, before.state === 'returned' ? 'security_report.resubmitted' : 'security_report.submitted', month, now, {
      before: { state: before.state, version: input.expectedVersion }, after: { state: 'submitted', version, note: input.note || undefined },
    });
  });
}

export async function returnReview(db: Kysely<any>, month: ReportMonth, input: { expectedVersion: number; note: string }, actor: ReviewActor, now: Date): Promise<ReviewChange> {
  if (!(await isCommitteeMember(db, actor.accountId))) return { ok: false, error: 'NOT_COMMITTEE' };
  const refusal = await refusalFor(db, month, input.expectedVersion, ['submitted'], 'NOT_SUBMITTED');
  if (refusal) return { ok: false, error: refusal };
  return changeReview(db, month, input.expectedVersion, ['submitted'], {
    state: 'returned', updated_by: `admin:${actor.accountId}`, updated_at: now.toISOString(),
  }, async (trx, version) => {
    await addNote(trx, month, 'returned', input.note, actor, now);
    await audit(trx, actor, 'security_report.returned', month, now, { before: { state: 'submitted', version: input.expectedVersion }, after: { state: 'returned', version, note: input.note } });
  });
}

export const FROZEN_MEDIA_TYPES: Record<FrozenFormat, string> = {
  'html-ja': 'text/html; charset=utf-8', 'html-en': 'text/html; charset=utf-8', json: 'application/json', pdf: 'application/pdf',
};

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Approves a submitted report: renders it once (ja and en HTML, the JSON, the PDF) with the
 * annotations of the version approved, then — in one transaction — moves the review to approved,
 * stores the copies (append-only table) and writes their SHA-256 into the audit entry.
 */
export async function approveReview(ctx: ReviewContext, month: ReportMonth, input: { expectedVersion: number; note: string }, actor: ReviewActor, now: Date): Promise<ReviewChange> {
  const { db } = ctx;
  if (!(await isCommitteeMember(db, actor.accountId))) return { ok: false, error: 'NOT_COMMITTEE' };
  const review = await loadReview(db, month);
  if (review.version !== input.expectedVersion) return { ok: false, error: 'STALE' };
  if (review.state !== 'submitted') return { ok: false, error: 'NOT_SUBMITTED' };
  if (review.submittedByAccount === actor.accountId) return { ok: false, error: 'OWN_SUBMISSION' };
  if (!ctx.renderer) return { ok: false, error: 'RENDERER_UNAVAILABLE' };
  // Rendered before the transaction (the PDF takes a while); if another reviewer acted meanwhile
  // the version no longer matches and this rendering is thrown away.
  const annotations = await annotationsFor(db, review);
  const ja = await ctx.renderer.render(month, { locale: 'ja', annotations });
  const en = await ctx.renderer.render(month, { locale: 'en', annotations });
  const files: { format: FrozenFormat; bytes: Buffer }[] = [
    { format: 'html-ja', bytes: Buffer.from(ja.html, 'utf8') },
    { format: 'html-en', bytes: Buffer.from(en.html, 'utf8') },
    { format: 'json', bytes: Buffer.from(ja.json, 'utf8') },
    { format: 'pdf', bytes: await ja.pdf() },
  ];
  const hashes = Object.fromEntries(files.map((f) => [f.format, { sha256: sha256Hex(f.bytes), bytes: f.bytes.length }]));
  return changeReview(db, month, input.expectedVersion, ['submitted'], {
    state: 'approved', approved_by_account: actor.accountId, approved_by_email: actor.email, approved_at: now.toISOString(),
    updated_by: `admin:${actor.accountId}`, updated_at: now.toISOString(),
  }, async (trx, version) => {
    await committeeDb(trx).insertInto('monthly_report_frozen').values(files.map((f) => ({
      month, format: f.format, media_type: FROZEN_MEDIA_TYPES[f.format], size_bytes: f.bytes.length, sha256: hashes[f.format]!.sha256, content: f.bytes, frozen_at: now.toISOString(),
    }))).execute();
    await addNote(trx, month, 'approved', input.note, actor, now);
    await audit(trx, actor, 'security_report.approved', month, now, {
      before: { state: 'submitted', version: input.expectedVersion },
      after: { state: 'approved', version, approvedBy: actor.email, submittedBy: review.submittedBy, files: hashes, note: input.note || undefined },
    });
  });
}
