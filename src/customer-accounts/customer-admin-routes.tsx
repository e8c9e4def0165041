// /admin/customers (会員管理): search, one account's page, disable/enable, CSV export. Who may use
// which route is in src/admin/route-access.ts; personal data is shown only to roles that see it
// (seesPersonalData). Searches, views and exports of personal data are audited as reads.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { seesPersonalData } from '../admin/orders-admin.ts';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import { CUSTOMER_STATES, customerDetail, customersCsv, resetCustomerTotp, searchCustomers, setCustomerDisabled, type CustomerFilter } from './customer-admin.ts';
import { customerAdminMessages } from './customer-admin-messages.ts';
import { accountRuntime } from './account-runtime.ts';
import { mailCustomer } from './change-account.ts';
import { CustomerDetailPage, CustomerListPage } from './views/customer-admin-pages.tsx';

const PAGE_SIZE = 50;
const ListQuery = z.object({
  // A card number typed into the search box is dropped, not searched for nor logged.
  text: z.string().trim().max(100).optional().catch(undefined).transform((s) => (s && !containsCardNumber(s) ? s : undefined)),
  state: z.enum(CUSTOMER_STATES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
const IdParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const ChangeForm = z.object({ reason: textWithoutCardNumber(z.string().trim().min(1).max(200)) });

export async function customerAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  // A disabled customer is told by mail, as every change to an account is.
  const rt = accountRuntime(shop);
  app.addHook('onClose', async () => rt.settleMails());
  const actorOf = (request: FastifyRequest) => ({ label: `admin:${signedInAccount(request).id}`, ip: request.ip });

  app.get('/customers', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const account = signedInAccount(request);
    const personal = seesPersonalData(account.role);
    const q = ListQuery.parse(request.query ?? {});
    const filter: CustomerFilter = { text: personal ? q.text : undefined, state: q.state };
    const { rows, total } = await searchCustomers(db, filter, q.page, PAGE_SIZE);
    if (personal && filter.text) {
      await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'customers.searched', target: 'customers', ip: request.ip, after: { filter, results: total }, at: shop.clock() });
    }
    const csv = accessFor('GET', '/admin/customers.csv');
    return sendAdminPage(reply, ctx, customerAdminMessages(ctx.locale).title, (
      <CustomerListPage ctx={ctx} filter={filter} rows={rows} total={total} page={q.page} pages={Math.max(1, Math.ceil(total / PAGE_SIZE))} personal={personal} canExport={csv !== undefined && roleMayUse(csv, account.role)} />
    ));
  });

  app.get('/customers.csv', async (request, reply) => {
    const account = signedInAccount(request);
    const q = ListQuery.parse(request.query ?? {});
    const filter: CustomerFilter = { text: q.text, state: q.state };
    const m = customerAdminMessages(request.locale);
    const { csv, rows } = await customersCsv(db, filter, { locale: request.locale, timeZone: adminTimeZone(request), stateLabel: (s) => m.states[s] });
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'customers.exported', target: 'customers', ip: request.ip, after: { filter, rows }, at: shop.clock() });
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="customers-${localDate(shop.clock(), adminTimeZone(request))}.csv"`)
      .send(csv);
  });

  async function detail(request: FastifyRequest, reply: FastifyReply, id: number, extra: { notice?: string; reasonError?: string; totpReasonError?: string; status?: number } = {}) {
    const customer = await customerDetail(db, id);
    if (!customer) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    const account = signedInAccount(request);
    const personal = seesPersonalData(account.role);
    if (personal && !extra.notice && !extra.reasonError && !extra.totpReasonError) {
      await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'customer.viewed', target: `customer:${id}`, ip: request.ip, at: shop.clock() });
    }
    const change = accessFor('POST', '/admin/customers/:id/disable');
    return sendAdminPage(reply, ctx, customerAdminMessages(ctx.locale).detailTitle(id), (
      <CustomerDetailPage ctx={ctx} customer={customer} personal={personal} canChange={change !== undefined && roleMayUse(change, account.role)} notice={extra.notice} reasonError={extra.reasonError} totpReasonError={extra.totpReasonError} />
    ), extra.status ?? 200);
  }

  app.get('/customers/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const m = customerAdminMessages(request.locale);
    return detail(request, reply, params.data.id, done === 'disabled' ? { notice: m.disabledDone } : done === 'enabled' ? { notice: m.enabledDone } : done === 'totp-reset' ? { notice: m.totpResetDone } : {});
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/customers/:id/${action}`, async (request, reply) => {
      const params = IdParams.safeParse(request.params);
      if (!params.success) return reply.callNotFound();
      const m = customerAdminMessages(request.locale);
      const form = ChangeForm.safeParse(request.body ?? {});
      if (!form.success) return detail(request, reply, params.data.id, { reasonError: m.reasonRequired, status: 400 });
      const r = await setCustomerDisabled(db, params.data.id, action === 'disable', form.data.reason, actorOf(request), shop.clock());
      if (!r.ok && r.error === 'NOT_FOUND') return reply.callNotFound();
      if (!r.ok) return detail(request, reply, params.data.id, { notice: m.unchanged, status: 409 });
      if (action === 'disable') {
        const c = await db.selectFrom('customers').where('id', '=', params.data.id).select(['email', 'name', 'locale']).executeTakeFirstOrThrow();
        mailCustomer(rt, c, { kind: 'changed', what: 'disabled' }, request.log);
      }
      return reply.code(303).redirect(`/admin/customers/${params.data.id}?done=${action}d`);
    });
  }

  app.post('/customers/:id/reset-totp', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const m = customerAdminMessages(request.locale);
    const form = ChangeForm.safeParse(request.body ?? {});
    if (!form.success) return detail(request, reply, params.data.id, { totpReasonError: m.reasonRequired, status: 400 });
    const r = await resetCustomerTotp(db, params.data.id, form.data.reason, actorOf(request), shop.clock());
    if (!r.ok && r.error === 'NOT_FOUND') return reply.callNotFound();
    if (!r.ok) return detail(request, reply, params.data.id, { notice: m.totpNotOn, status: 409 });
    const c = await db.selectFrom('customers').where('id', '=', params.data.id).select(['email', 'name', 'locale']).executeTakeFirstOrThrow();
    mailCustomer(rt, c, { kind: 'changed', what: 'totpReset' }, request.log);
    return reply.code(303).redirect(`/admin/customers/${params.data.id}?done=totp-reset`);
  });
}
