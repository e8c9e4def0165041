// The merchant API (/v1): create, read, cancel and refund payments. Every route is
// HMAC-authenticated per merchant; every error is RFC 9457 problem+json.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { authenticatedMerchant, createMerchantAuthentication, rememberRawBody } from './merchant-auth.ts';
import { sendProblem } from './paygate-errors.ts';
import { cancelPayment, createPayment, createPaymentRequest, getPayment, paymentStateJson, refundPayment, type PaymentServiceContext } from './payments.ts';
import { createKonbiniPayment, createKonbiniPaymentRequest } from './konbini-payments.ts';

const transactionParams = z.object({ transactionId: z.string().regex(/^tx_[0-9a-f]{24}$/) });
const refundRequest = z.object({ amount: z.number().int().positive().max(99_999_999).optional() });

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return sendProblem(reply, 'INVALID_REQUEST', 'see errors', { errors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

export function registerMerchantApiRoutes(app: FastifyInstance, ctx: PaymentServiceContext & { publicOrigin: string; signatureToleranceMs?: number }): void {
  app.register(async (api) => {
    // Signatures are over the raw bytes, so keep them; JSON.parse comes after.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (request, body: Buffer, done) => {
      rememberRawBody(request, body);
      if (body.length === 0) return done(null, {});
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
      }
    });

    api.addHook('preHandler', createMerchantAuthentication({ db: ctx.db, clock: ctx.clock, ...(ctx.signatureToleranceMs ? { toleranceMs: ctx.signatureToleranceMs } : {}) }));

    api.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendProblem(reply, 'INVALID_REQUEST', error.message);
      request.log.error({ err: error }, 'merchant API failure');
      return sendProblem(reply, 'INTERNAL');
    });
    api.setNotFoundHandler((_request, reply) => sendProblem(reply, 'ROUTE_NOT_FOUND'));

    api.post('/payments', async (request, reply) => {
      const input = createPaymentRequest.safeParse(request.body);
      if (!input.success) return invalid(reply, input.error);
      const merchant = authenticatedMerchant(request);
      const r = await createPayment(ctx, merchant, input.data);
      if (!r.ok) return sendProblem(reply, r.error, r.detail);
      request.log.info({ merchantId: merchant.id, transactionId: r.payment.id, orderReference: r.payment.order_reference, amount: r.payment.amount }, 'payment created');
      return reply.code(201).send({ transactionId: r.payment.id, redirectUrl: `${ctx.publicOrigin}/pay/${r.payment.id}`, status: r.payment.status, expiresAt: r.payment.expires_at });
    });

    // コンビニ決済: no hosted page; the customer pays at a store with the number returned here.
    api.post('/konbini-payments', async (request, reply) => {
      const input = createKonbiniPaymentRequest.safeParse(request.body);
      if (!input.success) return invalid(reply, input.error);
      const merchant = authenticatedMerchant(request);
      const r = await createKonbiniPayment(ctx, merchant, input.data);
      if (!r.ok) return sendProblem(reply, r.error, r.detail);
      const p = r.payment;
      request.log.info({ merchantId: merchant.id, transactionId: p.id, orderReference: p.order_reference, amount: p.amount, store: p.konbini_store }, 'konbini payment created');
      return reply.code(201).send({
        transactionId: p.id, status: p.status, amount: p.amount, currency: p.currency,
        store: p.konbini_store, paymentNumber: p.konbini_payment_number, confirmationNumber: p.konbini_confirmation_number, expiresAt: p.expires_at,
      });
    });

    api.get('/payments/:transactionId', async (request, reply) => {
      const params = transactionParams.safeParse(request.params);
      if (!params.success) return sendProblem(reply, 'PAYMENT_NOT_FOUND');
      const p = await getPayment(ctx, params.data.transactionId, authenticatedMerchant(request).id);
      if (!p) return sendProblem(reply, 'PAYMENT_NOT_FOUND');
      return paymentStateJson(p);
    });

    api.post('/payments/:transactionId/cancel', async (request, reply) => {
      const params = transactionParams.safeParse(request.params);
      if (!params.success) return sendProblem(reply, 'PAYMENT_NOT_FOUND');
      const r = await cancelPayment(ctx, params.data.transactionId, authenticatedMerchant(request).id, 'merchant');
      if (!r.ok) return sendProblem(reply, r.error, r.payment ? `payment is ${r.payment.status}` : undefined);
      return paymentStateJson(r.payment);
    });

    api.post('/payments/:transactionId/refunds', async (request, reply) => {
      const params = transactionParams.safeParse(request.params);
      if (!params.success) return sendProblem(reply, 'PAYMENT_NOT_FOUND');
      const body = refundRequest.safeParse(request.body ?? {});
      if (!body.success) return invalid(reply, body.error);
      const r = await refundPayment(ctx, params.data.transactionId, authenticatedMerchant(request).id, body.data.amount);
      if (!r.ok) return sendProblem(reply, r.error, r.detail);
      request.log.info({ transactionId: r.payment.id, refunded: r.refunded, refundedTotal: r.payment.refunded_amount }, 'payment refunded');
      return reply.code(201).send({ ...paymentStateJson(r.payment), refunded: r.refunded });
    });
  }, { prefix: '/v1' });
}
