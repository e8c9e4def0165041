// The security area: acknowledging alerts (dashboard), the checkout pause, the page watch.
// Who may use each route is in route-access.ts; lifting or setting a pause and approving the
// payment pages also need a fresh TOTP code (admin-login.ts checkFreshTotp), so a stolen session
// cannot reopen payments after a detector stopped them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { acknowledgeAlert } from '../alerts/raise-alert.ts';
import { PAUSE_SCOPES } from '../alerts/alert-tables.ts';
import { activePauses, pauseShop, resumeShop } from '../shop-pause/shop-pause.ts';
import type { ResumeBlocker } from '../incidents/resumption-gate.ts';
import { CARD_NUMBER_MESSAGE_EN, containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { approveBaseline, currentBaseline, recentRuns } from '../page-watch/baseline.ts';
import { injectFetch } from '../page-watch/inject-fetch.ts';
import { walkToPayment } from '../page-watch/walk-to-payment.ts';
import { paymentPageWalk } from '../page-watch/page-watch-job.ts';
import { actorLabels, sendDashboard } from './dashboard.tsx';
import { checkFreshTotp, type FreshTotpResult } from './admin-login.ts';
import { adminMessagesFor, adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import type { AdminRuntime } from './admin-guard.tsx';
import { accessFor, roleMayUse } from './route-access.ts';
import { PageWatchPage, PausePage, type FormErrors } from './views/security-pages.tsx';
import { RowIdParam } from '../http/row-id.js';

const Note = z.string().trim().min(1).max(500);
const AcknowledgeParams = z.object({ id: RowIdParam });
const AcknowledgeForm = z.object({ note: Note });
const ResumeForm = z.object({ scope: z.enum(PAUSE_SCOPES), note: z.string().max(2000), code: z.string().max(20) });
const PauseForm = z.object({ scope: z.enum(PAUSE_SCOPES), reason: z.string().max(2000), message: z.string().max(4000).default(''), messageEn: z.string().max(4000).default(''), code: z.string().max(20) });
/** What customers read on the maintenance page; empty means the generic text. Never a card number. */
const CustomerMessage = textWithoutCardNumber(z.string().trim().max(2000)).transform((s) => s || undefined);
const blankIfCardNumber = (s: string) => (containsCardNumber(s) ? '' : s.slice(0, 2000));
const ApproveForm = z.object({ code: z.string().max(20) });

export async function securityRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;
  const { db, now } = rt;

  const freshCode = async (request: FastifyRequest, code: string): Promise<FreshTotpResult> => {
    const result = await checkFreshTotp(db, rt.totpBox(), signedInAccount(request).id, code, now(), request.ip, rt.loginGuard());
    if (!result.ok) await rt.waitAfterFailure(result.failures);
    return result;
  };
  const codeMessage = (request: FastifyRequest, r: Exclude<FreshTotpResult, { ok: true }>) => {
    const p = adminMessagesFor(request.locale).securityArea.pause;
    return r.error === 'LOCKED' ? p.locked : r.error === 'NOT_ENROLLED' ? p.notEnrolled : p.invalidCode;
  };
  const actor = (request: FastifyRequest) => ({ id: `admin:${signedInAccount(request).id}`, ip: request.ip });

  app.post('/alerts/:id/acknowledge', async (request, reply) => {
    const a = adminMessagesFor(request.locale).securityArea.alerts;
    const params = AcknowledgeParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = AcknowledgeForm.safeParse(request.body ?? {});
    if (!form.success) return sendDashboard(db, request, reply, { error: a.noteRequired }, 400);
    const result = await acknowledgeAlert(shop, params.data.id, actor(request), form.data.note);
    if (!result.ok) return sendDashboard(db, request, reply, { error: result.error === 'ALERT_NOT_FOUND' ? a.notFound : a.alreadyAcknowledged }, result.error === 'ALERT_NOT_FOUND' ? 404 : 409);
    return sendDashboard(db, request, reply, { notice: a.acknowledged });
  });

  async function pausePage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; errors?: FormErrors; blocker?: ResumeBlocker }, status = 200) {
    const ctx = adminViewContext(request, reply);
    const [pauses, label] = await Promise.all([activePauses(shop.db.db), actorLabels(db)]);
    // The owner sees before typing a code whether an open incident would refuse the resume.
    const blocker = extra.blocker ?? (Object.keys(pauses).length ? await app.storefrontStop.resumeGate(shop.db.db) : null);
    return sendAdminPage(reply, ctx, ctx.m.securityArea.pause.title, <PausePage ctx={ctx} pauses={pauses} actorLabel={label} {...extra} blocker={blocker} propagation={app.storefrontStop.state.describe()} />, status);
  }

  app.get('/security/pause', async (request, reply) => pausePage(request, reply, {}));

  app.post('/security/pause/resume', async (request, reply) => {
    const p = adminMessagesFor(request.locale).securityArea.pause;
    const form = ResumeForm.safeParse(request.body ?? {});
    if (!form.success) return pausePage(request, reply, { error: adminMessagesFor(request.locale).errors.badRequest }, 400);
    const { scope, code } = form.data;
    const note = Note.safeParse(form.data.note);
    const values = { note: form.data.note.slice(0, 500) };
    // The note first: a missing note must not spend the code the owner typed.
    if (!note.success) return pausePage(request, reply, { errors: { form: `resume-${scope}`, note: p.noteRequired, values } }, 400);
    const checked = await freshCode(request, code);
    if (!checked.ok) return pausePage(request, reply, { errors: { form: `resume-${scope}`, code: codeMessage(request, checked), values } }, checked.error === 'LOCKED' ? 429 : 400);
    const resumed = await resumeShop(shop, scope, actor(request), note.data, { resumeGate: app.storefrontStop.resumeGate });
    if (!resumed.ok) {
      if (resumed.error === 'INCIDENT_OPEN') return pausePage(request, reply, { error: p.resumeRefused(resumed.blocker.reference), blocker: resumed.blocker }, 409);
      return pausePage(request, reply, { error: p.notPaused }, 409);
    }
    return pausePage(request, reply, { notice: p.resumed(p.scopes[scope]) });
  });

  app.post('/security/pause', async (request, reply) => {
    const p = adminMessagesFor(request.locale).securityArea.pause;
    const form = PauseForm.safeParse(request.body ?? {});
    if (!form.success) return pausePage(request, reply, { error: adminMessagesFor(request.locale).errors.badRequest }, 400);
    const { scope } = form.data;
    const reason = Note.safeParse(form.data.reason);
    const message = CustomerMessage.safeParse(form.data.message);
    const messageEn = CustomerMessage.safeParse(form.data.messageEn);
    const values = { note: form.data.reason.slice(0, 500), message: blankIfCardNumber(form.data.message), messageEn: blankIfCardNumber(form.data.messageEn) };
    const messageError = (r: typeof message) => (r.success ? undefined : r.error.issues.some((i) => i.message === CARD_NUMBER_MESSAGE_EN) ? p.messageCardNumber : p.messageTooLong);
    const formId = scope === 'storefront' ? 'stop' : 'pause';
    // Every field before the code: a mistake in the form must not spend the code the owner typed.
    if (!reason.success || !message.success || !messageEn.success) {
      return pausePage(request, reply, { errors: { form: formId, note: reason.success ? undefined : p.reasonRequired, message: messageError(message), messageEn: messageError(messageEn), values } }, 400);
    }
    const checked = await freshCode(request, form.data.code);
    if (!checked.ok) return pausePage(request, reply, { errors: { form: formId, code: codeMessage(request, checked), values } }, checked.error === 'LOCKED' ? 429 : 400);
    const paused = await pauseShop(shop.db.db, { scope, reason: reason.data, message: message.data, messageEn: messageEn.data, actor: actor(request) }, now());
    if (!paused.paused) return pausePage(request, reply, { error: scope === 'storefront' ? p.alreadyStopped : p.alreadyPaused }, 409);
    return pausePage(request, reply, { notice: scope === 'storefront' ? p.stoppedNow : p.pausedNow });
  });

  async function pageWatchPage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; codeError?: string }, status = 200) {
    const ctx = adminViewContext(request, reply);
    const [baseline, runs, label] = await Promise.all([currentBaseline(shop.db.db), recentRuns(shop.db.db, 20), actorLabels(db)]);
    const access = accessFor('POST', '/admin/security/page-watch/approve');
    const mayApprove = access !== undefined && roleMayUse(access, signedInAccount(request).role);
    return sendAdminPage(reply, ctx, ctx.m.securityArea.pageWatch.title, <PageWatchPage ctx={ctx} baseline={baseline} runs={runs} mayApprove={mayApprove} actorLabel={label} {...extra} />, status);
  }

  app.get('/security/page-watch', async (request, reply) => pageWatchPage(request, reply, {}));

  app.post('/security/page-watch/approve', async (request, reply) => {
    const w = adminMessagesFor(request.locale).securityArea.pageWatch;
    const form = ApproveForm.safeParse(request.body ?? {});
    if (!form.success) return pageWatchPage(request, reply, { error: adminMessagesFor(request.locale).errors.badRequest }, 400);
    const checked = await freshCode(request, form.data.code);
    if (!checked.ok) return pageWatchPage(request, reply, { codeError: codeMessage(request, checked) }, checked.error === 'LOCKED' ? 429 : 400);
    // What is approved is what the shop serves now, walked in-process (no socket, nothing leaves);
    // in Chromium when the page watch runs at the browser level, since a baseline is only compared
    // with walks of its own level.
    const walker = app.pageWatchWalker();
    const browserWalk = walker?.level === 'browser' ? paymentPageWalk(walker) : undefined;
    const walk = browserWalk && 'run' in browserWalk ? await browserWalk.run() : await walkToPayment({ baseUrl: shop.config.publicUrl, fetch: injectFetch(app, shop.config.publicUrl) });
    if (!walk.ok) return pageWatchPage(request, reply, { error: w.walkFailed(walk.error, walk.step) }, 502);
    const baseline = await approveBaseline(shop.db.db, walk.snapshots, actor(request).id, { now: now(), level: walk.level });
    return pageWatchPage(request, reply, { notice: w.approved(baseline.id) });
  });
}
