// /admin/incidents/:id/scope: compute and store who was affected; list them page by page; the
// streamed CSV/JSON export for the gateway and card companies (audited). Owner only (route-access.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { CsrfField } from '../admin/views/admin-layout.tsx';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { formatDateTime, formatYen } from '../i18n/locale.ts';
import { incidentDb, type Incident } from '../incidents/incident-tables.ts';
import { loadIncidentScope, saveIncidentScope, scopeCustomersPage, scopePageQuery, scopeRows, ScopeQuerySchema, type StoredScope } from './incident-scope.ts';
import { scopeExportCsv, scopeExportJson } from './scope-export.ts';
import { scopeMessages } from './scope-messages.ts';
import { SCOPE_CRITERIA } from './scope-tables.ts';
import { shopLocalToUtc, utcToShopLocal } from './shop-time.ts';

const Params = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const ListQuery = z.object({ after: z.string().max(254).optional().catch(undefined) });

export async function loadIncident(db: FastifyInstance['shop']['db']['db'], rawId: unknown): Promise<Incident | undefined> {
  const p = Params.safeParse({ id: rawId });
  if (!p.success) return undefined;
  return incidentDb(db).selectFrom('incidents').selectAll().where('id', '=', p.data.id).executeTakeFirst();
}

export async function incidentScopeAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  async function page(request: FastifyRequest, reply: FastifyReply, incident: Incident, opts: { error?: string; form?: Record<string, string> } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = scopeMessages(ctx.locale);
    const scope = await loadIncidentScope(db, incident.id);
    const after = ListQuery.parse(request.query ?? {}).after;
    const customers = scope ? await scopeCustomersPage(db, scope, after, 50) : [];
    const rows = scope ? await scopePageQuery(db, scope, undefined, 20).execute() : [];
    const form = opts.form ?? {
      criterion: scope?.criterion ?? 'card_paid',
      from: scope ? utcToShopLocal(scope.from, ctx.timeZone) : '', to: scope ? utcToShopLocal(scope.to, ctx.timeZone) : '',
      emails: scope?.emails?.join('\n') ?? '',
    };
    const base = `/admin/incidents/${incident.id}/scope`;
    return sendAdminPage(reply, ctx, m.title(incident.reference), (
      <section>
        <h1>{m.title(incident.reference)}</h1>
        <p>{incident.title}</p>
        <p>{m.intro}</p>
        <p class="note">{m.noAccounts}</p>
        {opts.error ? <p class="error-summary" role="alert">{opts.error}</p> : null}
        <form method="post" action={base}>
          <CsrfField ctx={ctx} />
          <fieldset>
            <legend>{m.criterion}</legend>
            {SCOPE_CRITERIA.map((c) => (
              <label><input type="radio" name="criterion" value={c} checked={form.criterion === c} /> {m.criteria[c]}</label>
            ))}
          </fieldset>
          <label for="from">{m.from}</label>
          <input id="from" name="from" type="datetime-local" required value={form.from} />
          <label for="to">{m.to}</label>
          <input id="to" name="to" type="datetime-local" required value={form.to} />
          <label for="emails">{m.emails}</label>
          <textarea id="emails" name="emails" rows={4}>{form.emails}</textarea>
          <button type="submit">{m.save}</button>
        </form>
        <h2>{m.stored}</h2>
        {scope ? <StoredScopeSummary scope={scope} locale={ctx.locale} timeZone={ctx.timeZone} /> : <p>{m.none}</p>}
        {scope ? (
          <>
            <h2>{m.export}</h2>
            <p class="note">{m.exportNote}</p>
            <p><a href={`${base}.csv`}>{m.csv}</a> · <a href={`${base}.json`}>{m.json}</a> · <a href={`/admin/incidents/${incident.id}/notices`}>{m.notices}</a></p>
            <h2>{m.customers}</h2>
            <table>
              <thead><tr><th>{m.email}</th><th>{m.name}</th><th>{m.orders}</th></tr></thead>
              <tbody>{customers.map((c) => <tr><td>{c.email}</td><td>{c.name}</td><td>{c.orders}</td></tr>)}</tbody>
            </table>
            {customers.length === 50 ? <p><a href={`${base}?after=${encodeURIComponent(customers.at(-1)!.email)}`}>{m.next}</a></p> : null}
            <h2>{m.rows}</h2>
            <table>
              <thead><tr><th>{m.orderNumber}</th><th>{m.transactionId}</th><th>{m.amount}</th><th>{m.at}</th></tr></thead>
              <tbody>{rows.map((r) => <tr><td>{r.order_number}</td><td>{r.transaction_id ?? ''}</td><td>{formatYen(Number(r.amount))}</td><td>{formatDateTime(r.at as string, ctx.locale, ctx.timeZone)}</td></tr>)}</tbody>
            </table>
          </>
        ) : null}
      </section>
    ), status);
  }

  app.get<{ Params: { id: string } }>('/incidents/:id/scope', async (request, reply) => {
    const incident = await loadIncident(db, request.params.id);
    if (!incident) return reply.callNotFound();
    return page(request, reply, incident);
  });

  app.post<{ Params: { id: string } }>('/incidents/:id/scope', async (request, reply) => {
    const incident = await loadIncident(db, request.params.id);
    if (!incident) return reply.callNotFound();
    const b = (request.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 200_000) : '');
    const form = { criterion: str('criterion'), from: str('from'), to: str('to'), emails: str('emails') };
    const parsed = ScopeQuerySchema.safeParse({
      criterion: form.criterion,
      from: shopLocalToUtc(form.from, adminTimeZone(request)) ?? '',
      to: shopLocalToUtc(form.to, adminTimeZone(request)) ?? '',
      emails: form.emails.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean),
    });
    const ctx = adminViewContext(request, reply);
    if (!parsed.success) return page(request, reply, incident, { error: scopeMessages(ctx.locale).invalid, form }, 400);
    const account = signedInAccount(request);
    await saveIncidentScope(db, incident.id, parsed.data, `admin:${account.id}`, shop.clock(), request.ip);
    return reply.code(303).redirect(`/admin/incidents/${incident.id}/scope`);
  });

  async function exportScope(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, format: 'csv' | 'json') {
    const incident = await loadIncident(db, request.params.id);
    if (!incident) return reply.callNotFound();
    const scope = await loadIncidentScope(db, incident.id);
    if (!scope) return reply.callNotFound();
    const account = signedInAccount(request);
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'incident.scope_exported', target: `incident:${incident.id}`, ip: request.ip, after: { format, criterion: scope.criterion, from: scope.from, to: scope.to, orders: scope.orders }, at: shop.clock() });
    const name = `${incident.reference}-scope.${format}`;
    const chunks = format === 'csv' ? scopeExportCsv(scopeRows(db, scope)) : scopeExportJson(scopeRows(db, scope), { incident: incident.reference, criterion: scope.criterion, from: scope.from, to: scope.to });
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(chunks));
  }

  app.get<{ Params: { id: string } }>('/incidents/:id/scope.csv', (request, reply) => exportScope(request, reply, 'csv'));
  app.get<{ Params: { id: string } }>('/incidents/:id/scope.json', (request, reply) => exportScope(request, reply, 'json'));
}

function StoredScopeSummary({ scope, locale, timeZone }: { scope: StoredScope; locale: 'ja' | 'en'; timeZone: string }) {
  const m = scopeMessages(locale);
  return (
    <dl>
      <dt>{m.criterion}</dt><dd>{m.criteria[scope.criterion]}</dd>
      <dt>{m.period}</dt><dd>{formatDateTime(scope.from, locale, timeZone)} – {formatDateTime(scope.to, locale, timeZone)}</dd>
      <dt>{m.orders}</dt><dd>{scope.orders}</dd>
      <dt>{m.persons}</dt><dd>{scope.persons}</dd>
      <dt>{m.computedAt}</dt><dd>{formatDateTime(scope.computedAt, locale, timeZone)}</dd>
    </dl>
  );
}
