// Sandbox-only: the simulated store terminal for コンビニ決済. GET shows the open konbini payments;
// POST pays one by its number, which queues the usual signed `payment.captured` notification to the
// shop. Like the other /_sandbox pages it asks for the inspection token (`Authorization: Bearer`,
// or `token` in the query or form): the token in the form body is also what stops a cross-site
// form from paying someone's order, since another site cannot know it.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { payAtStore, pendingKonbiniPayments } from './konbini-payments.ts';
import { applyPageSecurityHeaders } from './page-security-headers.ts';
import type { PaymentServiceContext } from './payments.ts';
import { inspectionTokenMatches } from './sandbox-inspection-token.ts';
import { renderKonbiniTerminalPage, type KonbiniTerminalProps } from './views/konbini-terminal-page.tsx';
import { renderMessagePage } from './views/message-page.tsx';

const payBody = z.object({ paymentNumber: z.string().trim().max(40).default(''), token: z.string().max(200).optional(), format: z.enum(['html', 'json']).optional() }).catch({ paymentNumber: '' });
const tokenQuery = z.object({ token: z.string().max(200).optional(), format: z.enum(['html', 'json']).optional() }).catch({});

export function registerSandboxKonbiniRoutes(app: FastifyInstance, ctx: PaymentServiceContext, inspectionToken: string): void {
  app.register(async (terminal) => {
    await terminal.register(formbody, { bodyLimit: 4 * 1024 });

    const given = (request: FastifyRequest, fromBody?: string) =>
      /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? fromBody ?? tokenQuery.parse(request.query).token;
    const refuse = (reply: FastifyReply) => {
      const nonce = applyPageSecurityHeaders(reply);
      return reply.code(401).header('www-authenticate', 'Bearer realm="sandbox"').send(renderMessagePage({
        locale: 'en', nonce, title: 'Inspection token needed', text: 'Open this page with ?token= and the sandbox inspection token printed when the gateway started.',
      }));
    };
    const page = async (reply: FastifyReply, status: number, result?: KonbiniTerminalProps['result']) => {
      const rows = (await pendingKonbiniPayments(ctx)).map((p) => ({
        paymentNumber: p.konbini_payment_number ?? '', confirmationNumber: p.konbini_confirmation_number ?? '', store: p.konbini_store ?? '',
        amount: p.amount, orderReference: p.order_reference, merchantId: p.merchant_id, expiresAt: p.expires_at,
      }));
      const nonce = applyPageSecurityHeaders(reply);
      return reply.code(status).send(renderKonbiniTerminalPage({ nonce, token: inspectionToken, rows, ...(result ? { result } : {}) }));
    };

    terminal.get('/_sandbox/konbini', async (request, reply) => {
      if (!inspectionTokenMatches(inspectionToken, given(request))) return refuse(reply);
      return page(reply, 200);
    });

    terminal.post('/_sandbox/konbini/pay', async (request, reply) => {
      const body = payBody.parse(request.body ?? {});
      if (!inspectionTokenMatches(inspectionToken, given(request, body.token))) return refuse(reply);
      const json = body.format === 'json' || tokenQuery.parse(request.query).format === 'json' || /application\/json/.test(String(request.headers['content-type'] ?? ''));
      const number = body.paymentNumber.replace(/[\s-]/g, '');
      const r = await payAtStore(ctx, number);
      if (r.ok) request.log.info({ transactionId: r.payment.id, outcome: r.outcome }, 'konbini payment taken at the (simulated) store');
      const status = r.ok ? 200 : r.error === 'PAYMENT_NOT_FOUND' ? 404 : 409;
      if (json) {
        reply.header('cache-control', 'no-store');
        return reply.code(status).send(r.ok ? { outcome: r.outcome, transactionId: r.payment.id, status: r.payment.status } : { error: r.error, ...(r.payment ? { status: r.payment.status } : {}) });
      }
      const kind = r.ok ? r.outcome : r.error === 'PAYMENT_NOT_FOUND' ? 'not_found' : 'not_payable';
      return page(reply, status, { kind, paymentNumber: number.slice(0, 11), ...(r.ok || !r.payment ? {} : { status: r.payment.status }) });
    });
  });
}
