// Back-office order routes: list with filters, detail with timeline, fulfil, cancel, refund
// (through the payment port, via the order services in src/orders, which enforce the staff
// refund limit under the order's lock and write the audit entries), CSV export.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminDb } from './admin-tables.ts';
import { adminMessagesFor, adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import { listOrders, loadOrderDetail, ordersCsv, ORDER_STATUSES, type OrderFilter } from './orders-admin.ts';
import { OrderDetailPage, OrderListPage } from './views/order-pages.tsx';
import { fulfilOrder } from '../orders/fulfil-order.ts';
import { cancelOrder } from '../orders/cancel-order.ts';
import { refundAllowance, refundOrder } from '../orders/refund-order.ts';
import type { OrderActor } from '../orders/order-actor.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { roleMayUse, accessFor } from './route-access.ts';
import { PAYMENT_STATUSES, paymentStatusLabel } from './order-display.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import { orderPaymentPanel, recordPaymentFromForm } from '../payment-methods/admin-order-payment.tsx';
import type { RecordPaymentFormState } from '../payment-methods/views/order-payment-panel.tsx';
import { paymentMethodMessages } from '../payment-methods/payment-method-messages.ts';
import { shipsBeforePayment } from '../orders/record-offline-payment.ts';
import { deliverySlipsPdf } from '../receipts/receipt-pdf.ts';

const PAGE_SIZE = 50;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(d)));
const FilterQuery = z.object({
  status: z.enum(ORDER_STATUSES as [string, ...string[]]).optional().catch(undefined),
  paymentStatus: z.enum(PAYMENT_STATUSES as [string, ...string[]]).optional().catch(undefined),
  from: date.optional().catch(undefined),
  to: date.optional().catch(undefined),
  text: z.string().trim().max(100).optional().catch(undefined).transform((s) => s || undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
const OrderParams = z.object({ id: z.uuid() });
/** One PDF render holds every page in memory: a day's packing is well under this. */
export const MAX_DELIVERY_SLIPS = 100;
/** Ticked checkboxes: absent (none), one value, or an array of them. */
const SlipsForm = z.object({
  orderId: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.uuid())),
  // Ticked for a gift's parcel: the slips then list items and quantities without any amount.
  withoutPrices: z.literal('on').optional(),
});
const FulfilForm = z.object({ carrier: z.string().trim().min(1).max(60), trackingNumber: z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9-]+$/) });
const CancelForm = z.object({ reason: z.string().trim().min(1).max(200) });
const RefundForm = z.object({
  amount: z.union([z.literal('').transform(() => undefined), z.coerce.number().int().min(1).max(100_000_000)]).optional(),
  reason: z.string().trim().min(1).max(200),
});

/** The order services decide (limits, states, audit); the routes only map their answers to pages. */
function actorOf(request: FastifyRequest): OrderActor {
  return { kind: 'admin', id: signedInAccount(request).id, ip: request.ip };
}
function statusOf(error: 'OVER_LIMIT' | 'GATEWAY_UNAVAILABLE' | string): number {
  return error === 'OVER_LIMIT' ? 403 : error === 'GATEWAY_UNAVAILABLE' ? 503 : 409;
}

export async function orderAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = adminDb(shop.db.db);

  function filterOf(q: z.infer<typeof FilterQuery>): OrderFilter {
    return { status: q.status as OrderFilter['status'], paymentStatus: q.paymentStatus, from: q.from, to: q.to, text: q.text };
  }

  async function detailPage(request: FastifyRequest, reply: FastifyReply, orderId: string, extra: { notice?: string; error?: string } = {}, status = 200, paymentForm?: RecordPaymentFormState) {
    const detail = await loadOrderDetail(db, orderId);
    if (!detail) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    const allowance = await refundAllowance(shop.db.db, orderId, actorOf(request));
    const recordAccess = accessFor('POST', '/admin/orders/:id/record-payment');
    const paymentPanel = await orderPaymentPanel(shop, ctx, orderId, recordAccess !== undefined && roleMayUse(recordAccess, signedInAccount(request).role), paymentForm);
    return sendAdminPage(reply, ctx, `${ctx.m.orders.title} ${detail.order.order_number}`,
      <OrderDetailPage ctx={ctx} detail={detail} refundAllowance={allowance.limit === null ? undefined : allowance} paymentPanel={paymentPanel} shipsUnpaid={await shipsBeforePayment(shop.db.db, orderId)} {...extra} />, status);
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, query: unknown, extra: { error?: string; selected?: string[] } = {}, status = 200) {
    const q = FilterQuery.parse(query ?? {});
    const filter = filterOf(q);
    const { rows, total } = await listOrders(db, filter, { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }, adminTimeZone(request));
    const ctx = adminViewContext(request, reply);
    const csvAccess = accessFor('GET', '/admin/orders.csv');
    const canExport = csvAccess !== undefined && roleMayUse(csvAccess, signedInAccount(request).role);
    return sendAdminPage(reply, ctx, ctx.m.orders.title, <OrderListPage ctx={ctx} filter={filter} rows={rows} total={total} page={q.page} pages={Math.max(1, Math.ceil(total / PAGE_SIZE))} canExport={canExport} {...extra} />, status);
  }

  app.get('/orders', async (request, reply) => listPage(request, reply, request.query));

  // 納品書 for the ticked orders: one PDF, a page each (src/receipts/receipt-pdf.ts), priced as a qualified
  // invoice unless the gift box is ticked; never payment data.
  app.post('/orders/delivery-slips', async (request, reply) => {
    const m = adminViewContext(request, reply).m.orders;
    const form = SlipsForm.safeParse(request.body ?? {});
    const ids = form.success ? [...new Set(form.data.orderId)] : [];
    if (ids.length === 0) return listPage(request, reply, {}, { error: m.slipsNoneSelected }, 400);
    if (ids.length > MAX_DELIVERY_SLIPS) return listPage(request, reply, {}, { error: m.slipsTooMany(MAX_DELIVERY_SLIPS), selected: ids }, 400);
    const r = await deliverySlipsPdf(shop, ids, request.locale, { prices: !(form.success && form.data.withoutPrices) });
    if (!r.ok && r.error === 'NO_ORDERS') return listPage(request, reply, {}, { error: m.slipsNoneSelected }, 400);
    if (!r.ok) return listPage(request, reply, {}, { error: m.slipsUnavailable, selected: ids }, 503);
    const account = signedInAccount(request);
    // Printed addresses are personal data leaving the screen: the audit names every order on the sheets.
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'orders.delivery_slips_printed', target: 'orders', ip: request.ip, after: { orders: r.orderNumbers }, at: shop.clock() });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="delivery-slips-${localDate(shop.clock(), adminTimeZone(request))}.pdf"`)
      .header('cache-control', 'no-store')
      .send(r.pdf);
  });

  app.get('/orders.csv', async (request, reply) => {
    const account = signedInAccount(request);
    const filter = filterOf(FilterQuery.parse(request.query ?? {}));
    const locale = request.locale;
    const m = adminMessagesFor(locale).orders;
    const lines = (request.query as Record<string, unknown> | undefined)?.lines === '1';
    const csv = await ordersCsv(db, filter, account.role, {
      locale, timeZone: adminTimeZone(request), lines,
      statusLabel: (s) => m.statuses[s] ?? s, paymentStatusLabel: (s) => paymentStatusLabel(locale, s),
    });
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'orders.exported', target: 'orders', ip: request.ip, after: { filter, rows: csv.split('\r\n').length - 2, personalData: account.role === 'owner' || account.role === 'staff' }, at: shop.clock() });
    return reply
      .type('text/csv; charset=utf-8')
      // Named after the merchant's day, not UTC's (an export at 08:00 in Tokyo is still today's).
      .header('content-disposition', `attachment; filename="${lines ? 'order-lines' : 'orders'}-${localDate(shop.clock(), adminTimeZone(request))}.csv"`)
      .send(csv);
  });

  app.get('/orders/:id', async (request, reply) => {
    const params = OrderParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const m = adminViewContext(request, reply).m.orders.done;
    const pm = paymentMethodMessages(request.locale).admin;
    const notice = done === 'fulfilled' || done === 'cancelled' || done === 'refunded' ? m[done] : done === 'paid' ? pm.paidDone : done === 'collected' ? pm.collectedDone : undefined;
    return detailPage(request, reply, params.data.id, notice ? { notice } : {});
  });

  app.post('/orders/:id/fulfil', async (request, reply) => {
    const params = OrderParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = FulfilForm.safeParse(request.body ?? {});
    const errors = adminViewContext(request, reply).m.orders.errors;
    if (!form.success) return detailPage(request, reply, params.data.id, { error: errors.invalid }, 400);
    const r = await fulfilOrder(shop, params.data.id, form.data, actorOf(request), request.log);
    if (!r.ok) return detailPage(request, reply, params.data.id, { error: errors[r.error] }, 409);
    return reply.code(303).redirect(`/admin/orders/${params.data.id}?done=fulfilled`);
  });

  app.post('/orders/:id/cancel', async (request, reply) => {
    const params = OrderParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = CancelForm.safeParse(request.body ?? {});
    const errors = adminViewContext(request, reply).m.orders.errors;
    if (!form.success) return detailPage(request, reply, params.data.id, { error: errors.invalid }, 400);
    const r = await cancelOrder(shop, params.data.id, form.data.reason, actorOf(request), request.log);
    if (!r.ok && r.error === 'ORDER_NOT_FOUND') return reply.callNotFound();
    if (!r.ok) return detailPage(request, reply, params.data.id, { error: errors[r.error] }, statusOf(r.error));
    return reply.code(303).redirect(`/admin/orders/${params.data.id}?done=cancelled`);
  });

  app.post('/orders/:id/refund', async (request, reply) => {
    const params = OrderParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = RefundForm.safeParse(request.body ?? {});
    const errors = adminViewContext(request, reply).m.orders.errors;
    if (!form.success) return detailPage(request, reply, params.data.id, { error: errors.invalid }, 400);
    const r = await refundOrder(shop, params.data.id, form.data.amount, form.data.reason, actorOf(request), request.log);
    if (!r.ok && r.error === 'ORDER_NOT_FOUND') return reply.callNotFound();
    if (!r.ok) return detailPage(request, reply, params.data.id, { error: errors[r.error] }, statusOf(r.error));
    return reply.code(303).redirect(`/admin/orders/${params.data.id}?done=refunded`);
  });

  // Bank transfer seen on the account, or COD collected by the carrier (src/payment-methods/admin-order-payment.tsx).
  app.post('/orders/:id/record-payment', async (request, reply) => {
    const params = OrderParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await recordPaymentFromForm(shop, params.data.id, request.body, actorOf(request), request.locale, request.log);
    if (r.ok) return reply.code(303).redirect(`/admin/orders/${params.data.id}?done=${r.done}`);
    if (r.notFound) return reply.callNotFound();
    return detailPage(request, reply, params.data.id, {}, r.status, r.form);
  });
}
