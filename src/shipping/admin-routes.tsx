// /admin/settings/shipping (owner only, route-access.ts): list and edit shipping methods; every save
// is one transaction with its audit entry (service.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { listShippingMethods, getShippingMethod } from './queries.ts';
import { saveShippingMethod } from './service.ts';
import { methodFormValues, parseMethodForm } from './shipping-method-form.ts';
import { shippingMessages } from './shipping-messages.ts';
import { ShippingMethodFormPage, ShippingMethodListPage } from './views/shipping-settings-page.tsx';

const IdParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });

export async function shippingAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  app.get('/settings/shipping', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = shippingMessages(ctx.locale).admin;
    const saved = (request.query as Record<string, unknown> | undefined)?.done === 'saved';
    return sendAdminPage(reply, ctx, m.title, <ShippingMethodListPage ctx={ctx} methods={await listShippingMethods(db)} notice={saved ? m.saved : undefined} />);
  });

  app.get('/settings/shipping/new', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    return sendAdminPage(reply, ctx, shippingMessages(ctx.locale).admin.newMethod, <ShippingMethodFormPage ctx={ctx} id={undefined} values={methodFormValues(undefined)} errors={{}} />);
  });

  app.get('/settings/shipping/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    const method = params.success ? await getShippingMethod(db, params.data.id) : undefined;
    if (!method) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    return sendAdminPage(reply, ctx, shippingMessages(ctx.locale).admin.title, <ShippingMethodFormPage ctx={ctx} id={method.id} values={methodFormValues(method)} errors={{}} />);
  });

  async function save(request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, id: number | undefined) {
    const form = parseMethodForm(request.body);
    const ctx = adminViewContext(request, reply);
    if (!form.ok) return sendAdminPage(reply, ctx, shippingMessages(ctx.locale).admin.title, <ShippingMethodFormPage ctx={ctx} id={id} values={form.values} errors={form.errors} />, 400);
    const account = signedInAccount(request);
    const r = await saveShippingMethod(db, id, form.method, { label: `admin:${account.id}`, ip: request.ip }, shop.clock());
    if (!r.ok) return reply.callNotFound();
    return reply.code(303).redirect('/admin/settings/shipping?done=saved');
  }

  app.post('/settings/shipping', async (request, reply) => save(request, reply, undefined));
  app.post('/settings/shipping/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    return save(request, reply, params.data.id);
  });
}
