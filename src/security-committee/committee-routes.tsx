// The sign-off pages under /admin/security-reports and the membership page /admin/security-committee.
// Registered inside the admin plugin (IP allow-list, session, role table in route-access.ts, CSRF on
// every POST); the service checks committee membership and the own-submission rule itself, so a
// role table mistake cannot let a vendor approve. The report renderer is a dependency, wired by the
// composition root: createSecurityCommitteeRoutes({ renderer }).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { CARD_NUMBER_MESSAGE_EN, echoableFormValues, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { MONTHLY_REPORT_SECTIONS, type MonthlyReportRenderer, type ReportLocale } from '../monthly-report/report-contract.ts';
import { committeeMessagesFor, type CommitteeMessages } from './committee-messages.ts';
import { auditorMemberships, isCommitteeMember, setCommitteeMembership } from './committee-members.ts';
import { checkFrozenCopies, readFrozenCopy } from './frozen-reports.ts';
import type { FrozenFormat } from './committee-tables.ts';
import {
  annotationsFor, approveReview, EDITOR_ROLES, loadReview, MONTH_PATTERN, previousOpenActions, returnReview, reviewNotes, saveDraft, submitReview,
  type DraftInput, type ReviewActor, type ReviewChange, type ReviewError,
} from './review-service.ts';
import { archiveMonths, archiveMonthsLimit } from './archive.ts';
import { ArchivePage, CommitteePage, ReviewPage, type FormState } from './views/committee-pages.tsx';

const MAX_ID = 2_147_483_647;
const MAX_ACTIONS = 100;
const MonthParams = z.object({ month: z.string().regex(MONTH_PATTERN) });
const Version = z.coerce.number().int().min(0).max(MAX_ID);
const note = (max: number) => textWithoutCardNumber(z.string().trim().max(max));
const DATE = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))]);
const ActionRow = z.object({
  id: z.string().regex(/^\d{4}-\d{2}-\d{1,6}$/).optional(),
  text: note(1000).default(''),
  owner: note(200).default(''),
  due: DATE.default(''),
  status: z.enum(['open', 'done']).default('open'),
});
const DraftForm = z.object({
  version: Version,
  close: z.union([z.string().regex(/^\d{4}-\d{2}-\d{1,6}$/), z.array(z.string().regex(/^\d{4}-\d{2}-\d{1,6}$/)).max(1000)]).optional(),
  ...Object.fromEntries(MONTHLY_REPORT_SECTIONS.map((s) => [`comment_${s}`, note(4000).optional()])),
});
const SubmitForm = z.object({ version: Version, note: note(4000).default('') });
const ReviewForm = z.object({ version: Version, note: note(4000).default(''), decision: z.enum(['approve', 'return']) });
const MembershipForm = z.object({ accountId: z.coerce.number().int().positive().max(MAX_ID), member: z.enum(['0', '1']) });

const FILES: { path: string; format: FrozenFormat }[] = [
  { path: 'report-ja.html', format: 'html-ja' }, { path: 'report-en.html', format: 'html-en' }, { path: 'report.json', format: 'json' }, { path: 'report.pdf', format: 'pdf' },
];
// A standalone report document: its own inline style and inline images only, nothing else loads or runs.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function fieldMessages(error: z.ZodError, cm: CommitteeMessages, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = prefix + String(issue.path[0] ?? 'form');
    if (out[name]) continue;
    if (issue.message === CARD_NUMBER_MESSAGE_EN) out[name] = cm.errors.cardNumber;
    else if (name.endsWith('_due')) out[name] = cm.errors.date;
    else if (issue.code === 'too_big') out[name] = cm.errors.tooLong(Number(issue.maximum));
    else if (issue.code === 'too_small') out[name] = cm.errors.required;
    else out[name] = cm.errors.invalid;
  }
  return out;
}


/** The draft form's action rows (action_<i>_<field>), each through Zod; a row left empty is dropped. */
function parseActions(body: Record<string, unknown>, cm: CommitteeMessages): { ok: true; actions: DraftInput['actions'] } | { ok: false; fields: Record<string, string> } {
  const actions: DraftInput['actions'] = [];
  const fields: Record<string, string> = {};
  for (let i = 0; i < MAX_ACTIONS && (`action_${i}_text` in body || `action_${i}_id` in body); i++) {
    const row = ActionRow.safeParse({
      id: body[`action_${i}_id`] || undefined, text: body[`action_${i}_text`], owner: body[`action_${i}_owner`], due: body[`action_${i}_due`], status: body[`action_${i}_status`],
    });
    if (!row.success) { Object.assign(fields, fieldMessages(row.error, cm, `action_${i}_`)); continue; }
    const { id, text, owner, due, status } = row.data;
    if (!text) {
      // An empty new row is the blank one at the end; an existing action emptied is removed, unless
      // it still carries an owner or due date (then the text was forgotten).
      if (owner || due) fields[`action_${i}_text`] = cm.errors.required;
      continue;
    }
    actions.push({ ...(id ? { id } : {}), text, status, ...(owner ? { owner } : {}), ...(due ? { due } : {}) });
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, actions };
}

export interface SecurityCommitteeRouteDeps {
  /** The monthly report (src/monthly-report/); without it drafts cannot be previewed nor approved. */
  renderer: MonthlyReportRenderer | undefined;
}

export function createSecurityCommitteeRoutes(deps: SecurityCommitteeRouteDeps) {
  return async function securityCommitteeRoutes(app: FastifyInstance) {
    const shop = app.shop;
    const db = shop.db.db;
    const tz = shop.config.timeZone;
    const now = () => shop.clock();
    const cmOf = (request: FastifyRequest) => committeeMessagesFor(request.locale);
    const actorOf = (request: FastifyRequest): ReviewActor => {
      const a = signedInAccount(request);
      return { accountId: a.id, email: a.email, role: a.role, ip: request.ip };
    };
    const monthOfRequest = (request: FastifyRequest) => {
      const p = MonthParams.safeParse(request.params);
      return p.success ? p.data.month : null;
    };

    async function reviewPage(request: FastifyRequest, reply: FastifyReply, month: string, extra: { state?: FormState; notice?: string; error?: string } = {}, status = 200) {
      const ctx = adminViewContext(request, reply);
      const cm = cmOf(request);
      const actor = actorOf(request);
      const review = await loadReview(db, month);
      const [previous, notes, checks, member] = await Promise.all([
        previousOpenActions(db, month, review.closedActionIds), reviewNotes(db, month),
        review.state === 'approved' ? checkFrozenCopies(db, month) : Promise.resolve([]), isCommitteeMember(db, actor.accountId),
      ]);
      return sendAdminPage(reply, ctx, cm.reportTitle(month), (
        <ReviewPage ctx={ctx} cm={cm} review={review} previous={previous} notes={notes} checks={checks}
          mayEdit={EDITOR_ROLES.includes(actor.role)} mayReview={member} ownSubmission={review.submittedByAccount === actor.accountId}
          rendererInstalled={deps.renderer !== undefined} {...extra} />
      ), status);
    }

    const afterChange = (request: FastifyRequest, reply: FastifyReply, month: string, r: ReviewChange, notice: string) => {
      if (r.ok) return reply.code(303).redirect(`/admin/security-reports/${month}?done=${notice}`);
      const status = r.error === 'STALE' ? 409 : r.error === 'NOT_COMMITTEE' || r.error === 'NOT_AN_EDITOR' || r.error === 'OWN_SUBMISSION' ? 403 : r.error === 'RENDERER_UNAVAILABLE' ? 503 : 422;
      return reviewPage(request, reply, month, { error: cmOf(request).errors[r.error as ReviewError] }, status);
    };

    app.get('/security-reports', async (request, reply) => {
      const ctx = adminViewContext(request, reply);
      const cm = cmOf(request);
      const months = await archiveMonths(db, now(), tz);
      const rows = [];
      for (const month of months) {
        const review = await loadReview(db, month);
        rows.push({ review, checks: review.state === 'approved' ? await checkFrozenCopies(db, month) : [] });
      }
      return sendAdminPage(reply, ctx, cm.archiveTitle, <ArchivePage ctx={ctx} cm={cm} rows={rows} />);
    });

    const NOTICES = ['saved', 'submitted', 'returned', 'approved'] as const;
    app.get('/security-reports/:month', async (request, reply) => {
      const month = monthOfRequest(request);
      if (!month || month > archiveLimit()) return reply.callNotFound();
      const done = (request.query as Record<string, unknown> | undefined)?.done;
      const cm = cmOf(request);
      const notice = NOTICES.find((n) => n === done);
      return reviewPage(request, reply, month, notice ? { notice: notice === 'approved' ? cm.approvedNotice : cm[notice] } : {});
    });
    /** The last month a page exists for: the current one (its draft fills as the month goes on). */
    const archiveLimit = () => archiveMonthsLimit(now(), tz);

    app.post('/security-reports/:month/draft', async (request, reply) => {
      const month = monthOfRequest(request);
      if (!month || month > archiveLimit()) return reply.callNotFound();
      const cm = cmOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = echoableFormValues(body);
      const form = DraftForm.safeParse(body);
      const actions = parseActions(body, cm);
      if (!form.success || !actions.ok) {
        const fields = { ...(form.success ? {} : fieldMessages(form.error, cm)), ...(actions.ok ? {} : actions.fields) };
        return reviewPage(request, reply, month, { state: { form: 'draft', fields, values }, error: cm.errors.invalid }, 400);
      }
      const data = form.data as Record<string, unknown> & { version: number; close?: string | string[] };
      const comments: DraftInput['comments'] = {};
      for (const s of MONTHLY_REPORT_SECTIONS) {
        const c = data[`comment_${s}`];
        if (typeof c === 'string' && c) comments[s] = c;
      }
      const close = data.close === undefined ? [] : [data.close].flat();
      const r = await saveDraft(db, month, { expectedVersion: data.version, comments, actions: actions.actions, closedActionIds: [...new Set(close)] }, actorOf(request), now());
      return afterChange(request, reply, month, r, 'saved');
    });

    app.post('/security-reports/:month/submit', async (request, reply) => {
      const month = monthOfRequest(request);
      if (!month || month > archiveLimit()) return reply.callNotFound();
      const cm = cmOf(request);
      const form = SubmitForm.safeParse(request.body ?? {});
      if (!form.success) return reviewPage(request, reply, month, { state: { form: 'submit', fields: fieldMessages(form.error, cm), values: echoableFormValues(request.body) } }, 400);
      const r = await submitReview(db, month, { expectedVersion: form.data.version, note: form.data.note }, actorOf(request), now(), tz);
      return afterChange(request, reply, month, r, 'submitted');
    });

    app.post('/security-reports/:month/review', async (request, reply) => {
      const month = monthOfRequest(request);
      if (!month || month > archiveLimit()) return reply.callNotFound();
      const cm = cmOf(request);
      const form = ReviewForm.safeParse(request.body ?? {});
      if (!form.success) return reviewPage(request, reply, month, { state: { form: 'review', fields: fieldMessages(form.error, cm), values: echoableFormValues(request.body) } }, 400);
      const { version, note: text, decision } = form.data;
      // Returning says what to change, so it needs a comment; approving may carry one.
      if (decision === 'return' && !text) return reviewPage(request, reply, month, { state: { form: 'review', fields: { note: cm.errors.required }, values: echoableFormValues(request.body) } }, 400);
      const input = { expectedVersion: version, note: text };
      const r = decision === 'approve'
        ? await approveReview({ db, renderer: deps.renderer, timeZone: tz }, month, input, actorOf(request), now())
        : await returnReview(db, month, input, actorOf(request), now());
      return afterChange(request, reply, month, r, decision === 'approve' ? 'approved' : 'returned');
    });

    // Downloads: the frozen copy (verified against the audit entry's hash) once approved, otherwise
    // the draft rendered live with the current comments and actions.
    for (const file of FILES) {
      app.get(`/security-reports/:month/${file.path}`, async (request, reply) => {
        const month = monthOfRequest(request);
        if (!month || month > archiveLimit()) return reply.callNotFound();
        const review = await loadReview(db, month);
        const name = `security-report-${month}${file.format === 'html-ja' ? '.ja.html' : file.format === 'html-en' ? '.en.html' : `.${file.format}`}`;
        const send = (bytes: Buffer | string, mediaType: string) => {
          if (file.format.startsWith('html')) reply.header('content-security-policy', REPORT_CSP);
          return reply.header('content-disposition', `${file.format === 'pdf' || file.format === 'json' ? 'attachment' : 'inline'}; filename="${name}"`)
            .header('x-content-type-options', 'nosniff').type(mediaType).send(bytes);
        };
        if (review.state === 'approved') {
          const copy = await readFrozenCopy(db, month, file.format);
          if (!copy.ok) {
            request.log.error({ month, format: file.format, error: copy.error }, 'frozen monthly report failed its hash check');
            const ctx = adminViewContext(request, reply);
            const cm = cmOf(request);
            return sendAdminPage(reply, ctx, cm.reportTitle(month), <section><h1>{cm.reportTitle(month)}</h1><p class="error-summary" role="alert">{cm.alteredDownload}</p></section>, 409);
          }
          reply.header('x-mamori-sha256', copy.sha256);
          return send(copy.bytes, copy.mediaType);
        }
        if (!deps.renderer) return reviewPage(request, reply, month, { error: cmOf(request).rendererMissing }, 503);
        const locale: ReportLocale = file.format === 'html-en' ? 'en' : 'ja';
        const rendered = await deps.renderer.render(month, { locale, annotations: await annotationsFor(db, review) });
        if (file.format === 'pdf') return send(await rendered.pdf(), 'application/pdf');
        if (file.format === 'json') return send(rendered.json, 'application/json');
        return send(rendered.html, 'text/html; charset=utf-8');
      });
    }

    async function committeePage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string } = {}, status = 200) {
      const ctx = adminViewContext(request, reply);
      const cm = cmOf(request);
      const owners = await adminDb(db).selectFrom('admin_accounts').selectAll().where('role', '=', 'owner').where('disabled', '=', 0).orderBy('id').execute();
      return sendAdminPage(reply, ctx, cm.committeeTitle, <CommitteePage ctx={ctx} cm={cm} owners={owners} auditors={await auditorMemberships(db)} {...extra} />, status);
    }

    app.get('/security-committee', async (request, reply) => {
      const q = (request.query as Record<string, unknown> | undefined)?.done;
      const cm = cmOf(request);
      return committeePage(request, reply, q === 'added' ? { notice: cm.memberAdded } : q === 'removed' ? { notice: cm.memberRemoved } : {});
    });

    app.post('/security-committee', async (request, reply) => {
      const cm = cmOf(request);
      const form = MembershipForm.safeParse(request.body ?? {});
      if (!form.success) return committeePage(request, reply, { error: cm.errors.invalid }, 400);
      const a = signedInAccount(request);
      const r = await setCommitteeMembership(db, form.data.accountId, form.data.member === '1', { id: `admin:${a.id}`, ip: request.ip }, now());
      if (!r.ok) return committeePage(request, reply, { error: r.error === 'NOT_AN_AUDITOR' ? cm.notAuditor : cm.accountNotFound }, 422);
      return reply.code(303).redirect(`/admin/security-committee?done=${form.data.member === '1' ? 'added' : 'removed'}`);
    });
  };
}
