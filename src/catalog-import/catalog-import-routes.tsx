// /admin/products/import and /admin/products.csv (owner and staff, route-access.ts): the product
// CSV in and out. The uploaded file is read in memory and never stored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { verifyAdminCsrf } from '../admin/admin-guard.tsx';
import { CsrfField } from '../admin/views/admin-layout.tsx';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import { catalogImportMessages, type CatalogImportMessages } from './catalog-import-messages.ts';
import { applyCatalogImport, exportCatalogCsv, MAX_IMPORT_BYTES, planCatalogImport, type ImportError, type ImportPlan } from './catalog-import.ts';
import { BACKGROUND_IMPORT_ROWS, catalogImportRun, queueCatalogImport, type ImportRunView } from './catalog-import-runs.ts';
import { RowIdParam } from '../http/row-id.ts';

const ImportForm = z.object({ encoding: z.enum(['auto', 'utf-8', 'shift_jis']).catch('auto'), mode: z.enum(['dry-run', 'import']).catch('dry-run') });
const RunParams = z.object({ id: RowIdParam });
const ExportQuery = z.object({ encoding: z.enum(['utf-8', 'shift_jis']).catch('utf-8').default('utf-8') });

type Outcome = { kind: 'errors'; errors: ImportError[]; rows: number } | { kind: 'checked' | 'imported'; plan: Pick<ImportPlan, 'rows' | 'counts'> } | { kind: 'message'; text: string };

export async function catalogImportRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  await app.register(multipart, { attachFieldsToBody: 'keyValues', throwFileSizeLimit: false, limits: { fileSize: MAX_IMPORT_BYTES + 1, files: 1, fields: 4, fieldSize: 200, parts: 6 } });

  function page(request: FastifyRequest, reply: FastifyReply, outcome: Outcome | undefined, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = catalogImportMessages(ctx.locale);
    return sendAdminPage(reply, ctx, m.title, (
      <section>
        <h1>{m.title}</h1>
        <p>{m.intro}</p>
        {outcome ? <OutcomeView outcome={outcome} m={m} /> : null}
        <h2>{m.importTitle}</h2>
        <form method="post" action="/admin/products/import" enctype="multipart/form-data">
          <CsrfField ctx={ctx} />
          <div class="field"><label for="file">{m.file}</label><input id="file" name="file" type="file" accept=".csv,text/csv" required /></div>
          <div class="field">
            <label for="encoding">{m.encoding}</label>
            <select id="encoding" name="encoding"><option value="auto">{m.auto}</option><option value="utf-8">{m.utf8}</option><option value="shift_jis">{m.sjis}</option></select>
          </div>
          <button type="submit" name="mode" value="dry-run">{m.dryRun}</button> <button type="submit" name="mode" value="import">{m.run}</button>
        </form>
        <h2>{m.exportTitle}</h2>
        <p><a href="/admin/products.csv?encoding=utf-8" download>{m.exportUtf8}</a> · <a href="/admin/products.csv?encoding=shift_jis" download>{m.exportSjis}</a></p>
        <p class="note">{m.sjisNote}</p>
      </section>
    ), status);
  }

  app.get('/products/import', async (request, reply) => page(request, reply, undefined));

  app.post('/products/import', { config: { csrfAfterBody: true }, preValidation: verifyAdminCsrf }, async (request, reply) => {
    const m = catalogImportMessages(adminViewContext(request, reply).locale);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = ImportForm.parse(body);
    const file = Buffer.isBuffer(body.file) ? body.file : undefined;
    if (!file || file.length === 0) return page(request, reply, { kind: 'message', text: m.noFile }, 400);
    if (file.length > MAX_IMPORT_BYTES) return page(request, reply, { kind: 'message', text: m.tooLarge }, 413);
    const planned = await planCatalogImport(db, file, form.encoding);
    if (!planned.ok) return page(request, reply, { kind: 'errors', errors: planned.errors, rows: planned.rows }, 422);
    if (form.mode === 'dry-run') return page(request, reply, { kind: 'checked', plan: planned.plan });
    if (planned.plan.rows > BACKGROUND_IMPORT_ROWS) {
      // A large file is written by the catalog-import job; its page shows the progress.
      const runId = await queueCatalogImport(db, planned.plan, { accountId: signedInAccount(request).id, ip: request.ip, now: shop.clock() });
      app.startJob('catalog-import');
      return reply.redirect(`/admin/products/import/runs/${runId}`, 303);
    }
    const applied = await applyCatalogImport(db, planned.plan, { account: signedInAccount(request), ip: request.ip, now: shop.clock() });
    if (!applied.ok) return page(request, reply, { kind: 'errors', errors: applied.errors, rows: planned.plan.rows }, 409);
    shop.catalog.invalidate();
    return page(request, reply, { kind: 'imported', plan: planned.plan });
  });

  app.get('/products/import/runs/:id', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = catalogImportMessages(ctx.locale);
    const params = RunParams.safeParse(request.params);
    const run = params.success ? await catalogImportRun(db, params.data.id) : undefined;
    if (!run) return reply.callNotFound();
    const waiting = run.status === 'queued' || run.status === 'running';
    // Without any script: the browser reloads the page while the run is not over.
    if (waiting) reply.header('refresh', '2');
    reply.header('cache-control', 'no-store');
    return sendAdminPage(reply, ctx, m.runTitle, (
      <section>
        <h1>{m.runTitle}</h1>
        <RunView run={run} m={m} />
        {waiting ? <p class="note">{m.runRefresh} <a href={`/admin/products/import/runs/${run.id}`}>{m.runReload}</a></p> : null}
        <p><a href="/admin/products/import">{m.runBack}</a></p>
      </section>
    ));
  });

  app.get('/products.csv', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const q = ExportQuery.parse(request.query ?? {});
    const account = signedInAccount(request);
    const file = await exportCatalogCsv(db, ctx.locale, q.encoding);
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'catalog.exported', target: 'catalog', ip: request.ip, after: { encoding: q.encoding }, at: shop.clock() });
    return reply
      .type(q.encoding === 'shift_jis' ? 'text/csv; charset=shift_jis' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="products-${localDate(shop.clock(), adminTimeZone(request))}.csv"`)
      .header('cache-control', 'no-store')
      .send(file);
  });
}

function RunView({ run, m }: { run: ImportRunView; m: CatalogImportMessages }) {
  if (run.status === 'queued' || run.status === 'running') {
    return (
      <div class="notice" role="status">
        <p>{run.status === 'queued' ? m.runQueued(run.rows) : m.runRunning(run.rows)}</p>
        <p><label for="import-progress">{m.runProgress(run.written, run.variantsTotal)}</label> <progress id="import-progress" max={run.variantsTotal} value={run.written}>{m.runProgress(run.written, run.variantsTotal)}</progress></p>
      </div>
    );
  }
  if (run.status === 'done') return <OutcomeView outcome={{ kind: 'imported', plan: run }} m={m} />;
  if (run.status === 'refused') {
    return <><p class="error-summary" role="alert">{m.runRefused}</p><OutcomeView outcome={{ kind: 'errors', errors: run.errors, rows: run.rows }} m={m} /></>;
  }
  return <p class="error-summary" role="alert">{m.runFailed}</p>;
}

function OutcomeView({ outcome, m }: { outcome: Outcome; m: CatalogImportMessages }) {
  if (outcome.kind === 'message') return <p class="error-summary" role="alert">{outcome.text}</p>;
  if (outcome.kind === 'errors') {
    return (
      <div class="error-summary" role="alert">
        <p>{m.errorsTitle(outcome.errors.length)}</p>
        <table>
          <thead><tr><th scope="col">{m.line}</th><th scope="col">{m.column}</th><th scope="col">{m.problem}</th></tr></thead>
          <tbody>{outcome.errors.map((e) => (
            <tr><td>{e.line === 0 ? m.wholeFile : e.line}</td><td>{e.column ?? ''}</td><td>{m.errors[e.code]}{e.otherLine ? m.otherLine(e.otherLine) : ''}</td></tr>
          ))}</tbody>
        </table>
      </div>
    );
  }
  const c = outcome.plan.counts;
  return (
    <div class="notice" role="status">
      <p>{outcome.kind === 'checked' ? m.checked(outcome.plan.rows) : m.imported(outcome.plan.rows)}</p>
      <ul>{(Object.keys(m.counts) as (keyof typeof c)[]).map((k) => <li>{m.counts[k]}: {c[k]}</li>)}</ul>
    </div>
  );
}
