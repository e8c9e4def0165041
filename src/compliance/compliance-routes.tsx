// The compliance map in the back office: /admin/compliance (ja/en), its JSON export and printable
// copy, attesting and withdrawing manual items, and the attestations' evidence files. Who may use
// each route is in src/admin/route-access.ts (owners and auditors attest; the vendor reads; staff
// have no access). Registered inside the admin plugin, so allow-list, session, roles and CSRF apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerBufferedUpload, type UploadedFile } from '../http/buffered-uploads.ts';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { verifyAdminCsrf, type AdminRuntime } from '../admin/admin-guard.tsx';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { actorLabels } from '../admin/dashboard.tsx';
import { staticAsset } from '../layout/static-assets.ts';
import { CARD_NUMBER_MESSAGE_EN, containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { wallTimeToInstant } from '../incidents/legal-deadlines.ts';
import { ATTESTATION_EVIDENCE_MAX_BYTES, attest, readAttestationEvidence, withdrawAttestation, type AttestError } from './compliance-attestations.ts';
import { complianceMessagesFor, type ComplianceMessages } from './compliance-messages.ts';
import { evaluateCompliance } from './evaluate-compliance.ts';
import { complianceExport } from './compliance-export.ts';
import type { ComplianceContext } from './compliance-checks.ts';
import { CompliancePage, type AttestFormState } from './views/compliance-pages.tsx';

const MAX_ID = 2_147_483_647;
const IdParams = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
const AttestForm = z.object({
  itemId: z.string().trim().min(1).max(100),
  expiresOn: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`))),
  note: textWithoutCardNumber(z.string().trim().min(1).max(2000)),
});
const WithdrawForm = z.object({ note: textWithoutCardNumber(z.string().trim().min(1).max(1000)) });


function fieldMessages(error: z.ZodError, cm: ComplianceMessages): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? 'form');
    if (out[name]) continue;
    if (issue.message === CARD_NUMBER_MESSAGE_EN) out[name] = cm.errors.cardNumber;
    else if (name === 'expiresOn' && issue.code !== 'too_small') out[name] = cm.errors.date;
    else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && issue.input === undefined)) out[name] = cm.errors.required;
    else if (issue.code === 'too_big') out[name] = cm.errors.tooLong(Number(issue.maximum));
    else out[name] = cm.errors.invalid;
  }
  return out;
}

/** What the person typed, to show again; nothing holding a card number is echoed back. */
function formValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['itemId', 'expiresOn', 'note']) {
    const v = body[k];
    if (typeof v === 'string' && !containsCardNumber(v)) out[k] = v.slice(0, 2000);
  }
  return out;
}

function attestErrorField(error: AttestError, cm: ComplianceMessages, maxDays?: number): { field: string; message: string } {
  switch (error) {
    case 'ITEM_NOT_FOUND': return { field: 'itemId', message: cm.errors.itemNotFound };
    case 'ITEM_NOT_MANUAL': return { field: 'itemId', message: cm.errors.itemNotManual };
    case 'EXPIRY_NOT_IN_FUTURE': return { field: 'expiresOn', message: cm.errors.expiryNotInFuture };
    case 'EXPIRY_TOO_FAR': return { field: 'expiresOn', message: cm.errors.expiryTooFar(maxDays ?? 365) };
    case 'EVIDENCE_EMPTY': return { field: 'file', message: cm.errors.fileEmpty };
    case 'EVIDENCE_TOO_LARGE': return { field: 'file', message: cm.errors.fileTooLarge(ATTESTATION_EVIDENCE_MAX_BYTES / 1024 / 1024) };
    case 'CARD_NUMBER_IN_EVIDENCE': return { field: 'file', message: cm.errors.fileHasCardNumber };
    case 'EVIDENCE_NOT_SCANNABLE': return { field: 'file', message: cm.errors.fileNotScannable };
  }
}

export async function complianceAdminRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;
  const db = shop.db.db;
  const now = () => rt.now();
  const context = (): ComplianceContext => ({ db, config: shop.config, velocityLimits: shop.velocityLimits });
  const onCheckError = (request: FastifyRequest) => (checkId: string, err: unknown) => request.log.error({ err, checkId }, 'compliance check could not be evaluated');
  // Multipart only for the attest form (its evidence file is optional): buffered up to one byte
  // over the cap, so an oversized file gets a field message rather than being cut silently.
  await registerBufferedUpload(app, { maxBytes: ATTESTATION_EVIDENCE_MAX_BYTES, fields: 5, fieldSize: 4000, parts: 7 });

  const cmOf = (request: FastifyRequest) => complianceMessagesFor(request.locale);
  const may = (request: FastifyRequest, method: string, url: string) => {
    const access = accessFor(method, url);
    return access !== undefined && roleMayUse(access, signedInAccount(request).role);
  };
  const actor = (request: FastifyRequest) => ({ id: `admin:${signedInAccount(request).id}`, ip: request.ip });

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; state?: AttestFormState } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const cm = cmOf(request);
    const [evaluation, label] = await Promise.all([evaluateCompliance(context(), now(), { onCheckError: onCheckError(request) }), actorLabels(rt.db)]);
    return sendAdminPage(reply, ctx, cm.title, (
      <CompliancePage ctx={ctx} cm={cm} evaluation={evaluation} actorLabel={label} mayAttest={may(request, 'POST', '/admin/compliance/attestations')}
        mayDownloadEvidence={may(request, 'GET', '/admin/compliance/attestations/:id/evidence')} {...extra} />
    ), status);
  }

  app.get('/compliance', async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const cm = cmOf(request);
    return page(request, reply, q.done === 'attested' ? { notice: cm.attested } : q.done === 'withdrawn' ? { notice: cm.withdrawn } : {});
  });

  app.get('/compliance.json', async (request, reply) => {
    const [evaluation, label] = await Promise.all([evaluateCompliance(context(), now(), { onCheckError: onCheckError(request) }), actorLabels(rt.db)]);
    return reply.type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="compliance-${evaluation.evaluatedAt.slice(0, 10)}.json"`)
      .send(`${JSON.stringify(complianceExport(evaluation, shop.config.shopName, label), null, 2)}\n`);
  });

  app.get('/compliance/print', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const cm = cmOf(request);
    const [evaluation, label] = await Promise.all([evaluateCompliance(context(), now(), { onCheckError: onCheckError(request) }), actorLabels(rt.db)]);
    const css = staticAsset('shop.css');
    // Its own document (no menu, no forms), styled for paper by shop.css's print rules.
    const html = '<!doctype html>' + renderToString(
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${cm.printTitle} | ${shop.config.shopName}`}</title>
          <link rel="stylesheet" href={css.href} integrity={css.integrity} />
        </head>
        <body class="compliance-print-page">
          <main id="main">
            <p>{shop.config.shopName}</p>
            <CompliancePage ctx={ctx} cm={cm} evaluation={evaluation} actorLabel={label} mayAttest={false} mayDownloadEvidence={false} print />
          </main>
        </body>
      </html>,
    );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post('/compliance/attestations', { config: { csrfAfterBody: true }, preValidation: verifyAdminCsrf }, async (request, reply) => {
    const cm = cmOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const form = AttestForm.safeParse({ itemId: body.itemId, expiresOn: body.expiresOn, note: body.note });
    if (!form.success) return page(request, reply, { state: { fields: fieldMessages(form.error, cm), values } }, 400);
    const file = body.file as UploadedFile | undefined;
    // A file input left empty still sends a part with no name and no bytes: that is "no file".
    const evidence = file && Buffer.isBuffer(file.bytes) && (file.bytes.length > 0 || file.filename) ? { bytes: file.bytes, fileName: file.filename, mediaType: file.mimetype || 'application/octet-stream' } : undefined;
    // The end of the chosen day in the shop's time zone.
    const expiresAt = wallTimeToInstant(`${form.data.expiresOn}T23:59:59`, adminTimeZone(request));
    const r = await attest(db, shop.config.dataDir, { itemId: form.data.itemId, expiresAt, note: form.data.note, file: evidence }, actor(request), now());
    if (!r.ok) {
      const { field, message } = attestErrorField(r.error, cm, r.maxDays);
      return page(request, reply, { state: { fields: { [field]: message }, values } }, r.error === 'EVIDENCE_TOO_LARGE' ? 413 : 400);
    }
    return reply.code(303).redirect(`/admin/compliance?done=attested#item-${r.attestation.item_id}`);
  });

  app.post('/compliance/attestations/:id/withdraw', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const cm = cmOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = WithdrawForm.safeParse({ note: body.note });
    if (!form.success) return page(request, reply, { state: { withdrawId: params.data.id, fields: fieldMessages(form.error, cm), values: formValues(body) } }, 400);
    const r = await withdrawAttestation(db, params.data.id, form.data.note, actor(request), now());
    if (!r.ok) return r.error === 'ATTESTATION_NOT_FOUND' ? reply.callNotFound() : page(request, reply, { error: cm.errors.alreadyWithdrawn }, 409);
    return reply.code(303).redirect('/admin/compliance?done=withdrawn');
  });

  app.get('/compliance/attestations/:id/evidence', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await readAttestationEvidence(db, shop.config.dataDir, params.data.id);
    if (!r.ok) {
      if (r.error === 'EVIDENCE_NOT_FOUND') return reply.callNotFound();
      request.log.error({ attestationId: params.data.id, error: r.error }, 'compliance evidence failed its hash check');
      const cm = cmOf(request);
      return page(request, reply, { error: r.error === 'EVIDENCE_HASH_MISMATCH' ? cm.errors.evidenceTampered : cm.errors.evidenceMissing }, 409);
    }
    // A download only, never rendered in the back office's origin.
    return reply
      .header('content-disposition', `attachment; filename="attestation-${r.attestation.id}"; filename*=UTF-8''${encodeURIComponent(r.attestation.evidence_file_name ?? 'evidence')}`)
      .header('x-content-type-options', 'nosniff')
      .header('x-evidence-sha256', r.attestation.evidence_sha256 ?? '')
      .type('application/octet-stream')
      .send(r.bytes);
  });
}
