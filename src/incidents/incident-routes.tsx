// The incident record in the back office (/admin/incidents). Who may use each route is in
// src/admin/route-access.ts (owners change; staff and the auditor read; the vendor has no access).
// Registered inside the admin plugin, so the IP allow-list, session, role table and CSRF apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerBufferedUpload, type UploadedFile } from '../http/buffered-uploads.ts';
import { z } from 'zod';
import { adminShopProfile, adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { verifyAdminCsrf, type AdminRuntime } from '../admin/admin-guard.tsx';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { actorLabels } from '../admin/dashboard.tsx';
import { listAccounts } from '../admin/admin-accounts.ts';
import { CARD_NUMBER_MESSAGE_EN, echoableFormValues, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { incidentMessagesFor, type IncidentMessages } from './incident-messages.ts';
import { TASK_STATUSES, type Incident } from './incident-tables.ts';
import { addTask, addTimelineEntry, closeIncident, listIncidents, listTasks, loadIncident, openIncident, updateTask, type IncidentActor } from './incident-service.ts';
import { incidentTimeline, timelinePeriod } from './incident-timeline.ts';
import { EVIDENCE_MAX_BYTES, EXPORTABLE_EVIDENCE, exportEvidence, listEvidence, readEvidenceVerified, storeEvidence, type StoreEvidenceResult } from './incident-evidence.ts';
import { CHECKLIST_ITEMS, evaluateChecklist, markChecklistItem, openChecklistItems } from './resumption-checklist.ts';
import { instantToWallTime, wallTimeToInstant } from './legal-deadlines.ts';
import { incidentClocks, type ClockView } from './incident-clocks.ts';
import { latestPpcReport, PpcReportFieldsSchema, ppcReportVersions, prefillPpcReport, savePpcReport, type PpcReportDraft } from './ppc-report.ts';
import { scopeForPpcReport } from './scope-counts.ts';
import { renderPpcReportHtml } from './ppc-report-document.tsx';
import { htmlToPdf } from '../pdf/html-to-pdf.ts';
import { IncidentListPage, IncidentPage, PpcReportPage, type FormState } from './views/incident-pages.tsx';

const MAX_ID = 2_147_483_647;
const IdParams = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
const EvidenceParams = IdParams.extend({ evidenceId: z.coerce.number().int().positive().max(MAX_ID) });
const TaskParams = IdParams.extend({ taskId: z.coerce.number().int().positive().max(MAX_ID) });
const ChecklistParams = IdParams.extend({ item: z.enum(CHECKLIST_ITEMS) });

const text = (max: number) => textWithoutCardNumber(z.string().trim().min(1).max(max));
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const wallTime = z.string().trim().regex(WALL_TIME);
const OpenForm = z.object({ title: text(200), whatWasNoticed: text(5000), awareAt: wallTime, unauthorizedAccess: z.literal('1').optional() });
const TimelineForm = z.object({ occurredAt: wallTime, entry: text(5000) });
const TaskForm = z.object({
  ownerAccountId: z.union([z.literal(''), z.coerce.number().int().positive().max(MAX_ID)]),
  dueOn: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))]),
  status: z.enum(TASK_STATUSES),
  note: textWithoutCardNumber(z.string().trim().max(1000)),
});
const NewTaskForm = z.object({ title: text(300), ownerAccountId: TaskForm.shape.ownerAccountId, dueOn: TaskForm.shape.dueOn });
const MarkForm = z.object({ mark: z.enum(['attested', 'waived']), note: text(1000) });
const CloseForm = z.object({ note: text(1000) });
const ExportForm = z.object({ source: z.enum(EXPORTABLE_EVIDENCE) });
const DescriptionField = textWithoutCardNumber(z.string().trim().max(500));

const DATE_FIELDS = new Set(['awareAt', 'occurredAt']);

/** One message per field, in the reader's language, from Zod's issues. */
function fieldMessages(error: z.ZodError, im: IncidentMessages): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? 'form');
    if (out[name]) continue;
    if (issue.message === CARD_NUMBER_MESSAGE_EN) out[name] = im.errors.cardNumber;
    else if (DATE_FIELDS.has(name)) out[name] = im.errors.dateTime;
    else if (name === 'dueOn') out[name] = im.errors.date;
    else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && issue.input === undefined)) out[name] = im.errors.required;
    else if (issue.code === 'too_big') out[name] = im.errors.tooLong(Number(issue.maximum));
    else out[name] = im.errors.invalid;
  }
  return out;
}



export async function incidentRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;
  const db = shop.db.db;
  const now = () => rt.now();
  // Multipart only for the evidence upload: the file is buffered up to one byte over the cap, so an
  // oversized file gets a field message rather than being cut silently.
  await registerBufferedUpload(app, { maxBytes: EVIDENCE_MAX_BYTES, fields: 4, fieldSize: 2000, parts: 6 });

  const im = (request: FastifyRequest) => incidentMessagesFor(request.locale);
  const actor = (request: FastifyRequest): IncidentActor => ({ id: `admin:${signedInAccount(request).id}`, ip: request.ip });
  const may = (request: FastifyRequest, method: string, url: string) => {
    const access = accessFor(method, url);
    return access !== undefined && roleMayUse(access, signedInAccount(request).role);
  };

  const clocksOf = (incident: Incident, tz: string) => incidentClocks(db, incident, now(), tz);

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: { state?: FormState; error?: string } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = im(request);
    const incidents = await listIncidents(db);
    const clocks = new Map<number, ClockView[]>();
    for (const i of incidents.filter((x) => x.status === 'open')) clocks.set(i.id, await clocksOf(i, ctx.timeZone));
    return sendAdminPage(reply, ctx, m.listTitle, <IncidentListPage ctx={ctx} im={m} incidents={incidents} clocks={clocks} nowWallTime={instantToWallTime(now(), ctx.timeZone)} mayOpen={may(request, 'POST', '/admin/incidents')} {...extra} />, status);
  }

  async function incidentPage(request: FastifyRequest, reply: FastifyReply, incidentId: number, extra: { notice?: string; error?: string; state?: FormState } = {}, status = 200) {
    const incident = await loadIncident(db, incidentId);
    if (!incident) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    const m = im(request);
    const [clocks, timeline, evidence, tasks, accounts, checklist, label] = await Promise.all([
      clocksOf(incident, ctx.timeZone), incidentTimeline(db, incident, now()), listEvidence(db, incident.id), listTasks(db, incident.id),
      listAccounts(rt.db), evaluateChecklist(db, incident), actorLabels(rt.db),
    ]);
    const period = timelinePeriod(incident, now());
    return sendAdminPage(reply, ctx, `${incident.reference} ${incident.title}`, (
      <IncidentPage ctx={ctx} im={m} incident={incident} clocks={clocks} timeline={timeline} period={{ from: period.from.toISOString(), to: period.to.toISOString() }}
        evidence={evidence} tasks={tasks} accounts={accounts.filter((a) => !a.disabled).map((a) => ({ id: a.id, email: a.email }))} checklist={checklist}
        actorLabel={label} mayEdit={may(request, 'POST', '/admin/incidents/:id/timeline')} {...extra} />
    ), status);
  }

  /** The incident of a route, or a 404 already sent. */
  const incidentParam = (request: FastifyRequest) => {
    const p = IdParams.safeParse(request.params);
    return p.success ? p.data.id : null;
  };
  const closedOr = (request: FastifyRequest, error: string) => (error === 'INCIDENT_CLOSED' ? im(request).errors.closed : error === 'TASK_NOT_FOUND' ? im(request).errors.taskNotFound : error === 'OWNER_NOT_FOUND' ? im(request).errors.ownerNotFound : im(request).errors.invalid);

  app.get('/incidents', async (request, reply) => listPage(request, reply));

  app.post('/incidents', async (request, reply) => {
    const m = im(request);
    const form = OpenForm.safeParse(request.body ?? {});
    const values = echoableFormValues(request.body);
    if (!form.success) return listPage(request, reply, { state: { form: 'open', fields: fieldMessages(form.error, m), values } }, 400);
    const tz = adminTimeZone(request);
    const awareAt = wallTimeToInstant(form.data.awareAt, tz);
    if (Number.isNaN(awareAt.getTime())) return listPage(request, reply, { state: { form: 'open', fields: { awareAt: m.errors.dateTime }, values } }, 400);
    if (awareAt.getTime() > now().getTime() + 60_000) return listPage(request, reply, { state: { form: 'open', fields: { awareAt: m.errors.future }, values } }, 400);
    const incident = await openIncident(db, {
      title: form.data.title, whatWasNoticed: form.data.whatWasNoticed, awareAt, unauthorizedAccess: form.data.unauthorizedAccess === '1',
      ownerAccountId: signedInAccount(request).id,
    }, actor(request), now(), tz);
    return reply.code(303).redirect(`/admin/incidents/${incident.id}`);
  });

  app.get('/incidents/:id', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const q = (request.query ?? {}) as Record<string, unknown>;
    return incidentPage(request, reply, id, q.saved === '1' ? { notice: im(request).saved } : {});
  });

  app.post('/incidents/:id/timeline', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const m = im(request);
    const form = TimelineForm.safeParse(request.body ?? {});
    const values = echoableFormValues(request.body);
    if (!form.success) return incidentPage(request, reply, id, { state: { form: 'timeline', fields: fieldMessages(form.error, m), values } }, 400);
    const occurredAt = wallTimeToInstant(form.data.occurredAt, adminTimeZone(request));
    if (Number.isNaN(occurredAt.getTime())) return incidentPage(request, reply, id, { state: { form: 'timeline', fields: { occurredAt: m.errors.dateTime }, values } }, 400);
    const r = await addTimelineEntry(db, id, { occurredAt, text: form.data.entry }, actor(request), now());
    if (!r.ok) return r.error === 'INCIDENT_NOT_FOUND' ? reply.callNotFound() : incidentPage(request, reply, id, { error: closedOr(request, r.error) }, 409);
    return reply.code(303).redirect(`/admin/incidents/${id}?saved=1#timeline-heading`);
  });

  app.post('/incidents/:id/evidence', { config: { csrfAfterBody: true }, preValidation: verifyAdminCsrf }, async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const m = im(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = body.file as UploadedFile | undefined;
    const description = DescriptionField.safeParse(typeof body.description === 'string' ? body.description : '');
    const values = echoableFormValues({ description: body.description });
    if (!description.success) {
      const cardNumber = description.error.issues.some((i) => i.message === CARD_NUMBER_MESSAGE_EN);
      return incidentPage(request, reply, id, { state: { form: 'upload', fields: { description: cardNumber ? m.errors.cardNumber : m.errors.tooLong(500) }, values } }, 400);
    }
    if (!file || !Buffer.isBuffer(file.bytes)) return incidentPage(request, reply, id, { state: { form: 'upload', fields: { file: m.errors.fileMissing }, values } }, 400);
    const r = await storeEvidence(db, shop.config.dataDir, id, { bytes: file.bytes, fileName: file.filename, mediaType: file.mimetype || 'application/octet-stream', description: description.data, source: 'upload' }, actor(request), now());
    if (!r.ok) return evidenceRefused(request, reply, id, r, values);
    return reply.code(303).redirect(`/admin/incidents/${id}?saved=1#evidence-heading`);
  });

  function evidenceRefused(request: FastifyRequest, reply: FastifyReply, id: number, r: Exclude<StoreEvidenceResult, { ok: true }>, values: Record<string, string>) {
    const m = im(request);
    if (r.error === 'INCIDENT_NOT_FOUND') return reply.callNotFound();
    if (r.error === 'INCIDENT_CLOSED') return incidentPage(request, reply, id, { error: m.errors.closed }, 409);
    const message = r.error === 'EVIDENCE_TOO_LARGE' ? m.errors.fileTooLarge(EVIDENCE_MAX_BYTES / 1024 / 1024) : r.error === 'EVIDENCE_EMPTY' ? m.errors.fileEmpty : r.error === 'EVIDENCE_NOT_SCANNABLE' ? m.errors.fileNotScannable : m.errors.fileHasCardNumber;
    return incidentPage(request, reply, id, { state: { form: 'upload', fields: { file: message }, values } }, r.error === 'EVIDENCE_TOO_LARGE' ? 413 : 400);
  }

  app.post('/incidents/:id/evidence/export', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const form = ExportForm.safeParse(request.body ?? {});
    if (!form.success) return incidentPage(request, reply, id, { error: im(request).errors.invalid }, 400);
    const incident = await loadIncident(db, id);
    if (!incident) return reply.callNotFound();
    const r = await exportEvidence(db, shop.config.dataDir, incident, form.data.source, actor(request), now());
    if (!r.ok) return evidenceRefused(request, reply, id, r, {});
    return incidentPage(request, reply, id, { notice: im(request).evidence.exported(r.evidence.file_name) });
  });

  app.get('/incidents/:id/evidence/:evidenceId', async (request, reply) => {
    const params = EvidenceParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await readEvidenceVerified(db, shop.config.dataDir, params.data.id, params.data.evidenceId);
    if (!r.ok) {
      if (r.error === 'EVIDENCE_NOT_FOUND') return reply.callNotFound();
      request.log.error({ incidentId: params.data.id, evidenceId: params.data.evidenceId, error: r.error }, 'incident evidence failed its hash check');
      const m = im(request);
      return incidentPage(request, reply, params.data.id, { error: r.error === 'EVIDENCE_HASH_MISMATCH' ? m.errors.evidenceTampered : m.errors.evidenceMissing }, 409);
    }
    // Served as a download only, never rendered in the back office's origin.
    return reply
      .header('content-disposition', `attachment; filename="evidence-${r.evidence.id}"; filename*=UTF-8''${encodeURIComponent(r.evidence.file_name)}`)
      .header('x-content-type-options', 'nosniff')
      .header('x-evidence-sha256', r.evidence.sha256)
      .type('application/octet-stream')
      .send(r.bytes);
  });

  app.post('/incidents/:id/tasks', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const form = NewTaskForm.safeParse(request.body ?? {});
    if (!form.success) return incidentPage(request, reply, id, { state: { form: 'new-task', fields: fieldMessages(form.error, im(request)), values: echoableFormValues(request.body) } }, 400);
    const f = form.data;
    const r = await addTask(db, id, { title: f.title, ownerAccountId: f.ownerAccountId === '' ? null : f.ownerAccountId, dueOn: f.dueOn === '' ? null : f.dueOn }, actor(request), now());
    if (!r.ok) return r.error === 'INCIDENT_NOT_FOUND' ? reply.callNotFound() : incidentPage(request, reply, id, { error: closedOr(request, r.error) }, 409);
    return reply.code(303).redirect(`/admin/incidents/${id}?saved=1#tasks-heading`);
  });

  app.post('/incidents/:id/tasks/:taskId', async (request, reply) => {
    const params = TaskParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const m = im(request);
    const form = TaskForm.safeParse(request.body ?? {});
    const state = (fields: Record<string, string>) => ({ state: { form: `task-${params.data.taskId}`, fields, values: echoableFormValues(request.body) } });
    if (!form.success) return incidentPage(request, reply, params.data.id, state(fieldMessages(form.error, m)), 400);
    const f = form.data;
    const r = await updateTask(db, params.data.id, params.data.taskId, { ownerAccountId: f.ownerAccountId === '' ? null : f.ownerAccountId, dueOn: f.dueOn === '' ? null : f.dueOn, status: f.status, note: f.note }, actor(request), now());
    if (!r.ok) return r.error === 'INCIDENT_NOT_FOUND' ? reply.callNotFound() : incidentPage(request, reply, params.data.id, { error: closedOr(request, r.error) }, 409);
    return reply.code(303).redirect(`/admin/incidents/${params.data.id}?saved=1#tasks-heading`);
  });

  app.post('/incidents/:id/checklist/:item', async (request, reply) => {
    const params = ChecklistParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const m = im(request);
    const form = MarkForm.safeParse(request.body ?? {});
    const formName = `check-${params.data.item}`;
    if (!form.success) return incidentPage(request, reply, params.data.id, { state: { form: formName, fields: fieldMessages(form.error, m), values: echoableFormValues(request.body) } }, 400);
    const r = await markChecklistItem(db, params.data.id, params.data.item, form.data.mark, form.data.note, actor(request), now());
    if (!r.ok) {
      if (r.error === 'INCIDENT_NOT_FOUND') return reply.callNotFound();
      return incidentPage(request, reply, params.data.id, r.error === 'NOT_A_MANUAL_ITEM' ? { state: { form: formName, fields: { note: m.errors.notManual }, values: echoableFormValues(request.body) } } : { error: m.errors.closed }, 409);
    }
    return reply.code(303).redirect(`/admin/incidents/${params.data.id}?saved=1#checklist-heading`);
  });

  app.post('/incidents/:id/close', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const m = im(request);
    const form = CloseForm.safeParse(request.body ?? {});
    if (!form.success) return incidentPage(request, reply, id, { state: { form: 'close', fields: fieldMessages(form.error, m), values: echoableFormValues(request.body) } }, 400);
    const r = await closeIncident(db, id, form.data.note, actor(request), now(), (incident) => openChecklistItems(db, incident));
    if (!r.ok) {
      if (r.error === 'INCIDENT_NOT_FOUND') return reply.callNotFound();
      if (r.error === 'CHECKLIST_INCOMPLETE') return incidentPage(request, reply, id, { error: m.errors.checklistIncomplete(r.openItems.map((k) => m.checklist.items[k as keyof typeof m.checklist.items] ?? k).join('、')) }, 409);
      return incidentPage(request, reply, id, { error: closedOr(request, r.error) }, 409);
    }
    return incidentPage(request, reply, id, { notice: m.close.closed });
  });

  // --- The PPC report draft -------------------------------------------------------------------

  async function currentDraft(request: FastifyRequest, incident: Incident): Promise<PpcReportDraft> {
    const saved = await latestPpcReport(db, incident.id);
    if (saved) return saved;
    const [tasks, scope] = await Promise.all([listTasks(db, incident.id), scopeForPpcReport(db, incident.id)]);
    return { fields: prefillPpcReport(incident, tasks, scope, { shopName: adminShopProfile(request).shopName, timeZone: adminTimeZone(request) }), version: 0, savedBy: null, savedAt: null };
  }

  async function reportPage(request: FastifyRequest, reply: FastifyReply, incidentId: number, extra: { notice?: string; error?: string; state?: FormState } = {}, status = 200) {
    const incident = await loadIncident(db, incidentId);
    if (!incident) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    const m = im(request);
    const [draft, versions, label] = await Promise.all([currentDraft(request, incident), ppcReportVersions(db, incident.id), actorLabels(rt.db)]);
    return sendAdminPage(reply, ctx, m.report.title, <PpcReportPage ctx={ctx} im={m} incident={incident} draft={draft} versions={versions} actorLabel={label} mayEdit={may(request, 'POST', '/admin/incidents/:id/ppc-report')} {...extra} />, status);
  }

  app.get('/incidents/:id/ppc-report', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    return reportPage(request, reply, id, ((request.query ?? {}) as Record<string, unknown>).saved === '1' ? { notice: im(request).saved } : {});
  });

  app.post('/incidents/:id/ppc-report', async (request, reply) => {
    const id = incidentParam(request);
    if (id === null) return reply.callNotFound();
    const form = PpcReportFieldsSchema.safeParse(request.body ?? {});
    if (!form.success) return reportPage(request, reply, id, { state: { form: 'report', fields: fieldMessages(form.error, im(request)), values: echoableFormValues(request.body) } }, 400);
    const r = await savePpcReport(db, id, form.data, actor(request), now());
    if (!r.ok) return reply.callNotFound();
    return reply.code(303).redirect(`/admin/incidents/${id}/ppc-report?saved=1`);
  });

  async function reportHtml(request: FastifyRequest, incident: Incident): Promise<string> {
    const draft = await currentDraft(request, incident);
    return renderPpcReportHtml({ incident, fields: draft.fields, version: draft.version, savedAt: draft.savedAt, timeZone: adminTimeZone(request), now: now() });
  }
  const reportFileName = (incident: Incident, ext: string) => `${incident.reference}-ppc-report.${ext}`;

  app.get('/incidents/:id/ppc-report.html', async (request, reply) => {
    const id = incidentParam(request);
    const incident = id === null ? undefined : await loadIncident(db, id);
    if (!incident) return reply.callNotFound();
    return reply
      .header('content-disposition', `attachment; filename="${reportFileName(incident, 'html')}"`)
      // A standalone document: its own inline style only, nothing else loads or runs.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(await reportHtml(request, incident));
  });

  app.get('/incidents/:id/ppc-report.pdf', async (request, reply) => {
    const id = incidentParam(request);
    const incident = id === null ? undefined : await loadIncident(db, id);
    if (!incident) return reply.callNotFound();
    const r = await htmlToPdf(await reportHtml(request, incident), shop.config.chromiumPath);
    if (!r.ok) {
      request.log.error({ error: r.error, detail: r.detail }, 'PPC report PDF could not be rendered');
      if (r.error !== 'PDF_RENDERER_UNAVAILABLE') reply.header('retry-after', '30');
      return reportPage(request, reply, incident.id, { error: r.error === 'PDF_RENDERER_UNAVAILABLE' ? im(request).errors.pdfUnavailable : im(request).errors.pdfBusy }, 503);
    }
    return reply.header('content-disposition', `attachment; filename="${reportFileName(incident, 'pdf')}"`).type('application/pdf').send(r.pdf);
  });
}
