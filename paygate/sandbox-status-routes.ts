// Sandbox-only developer pages: notification delivery log and a health check. A real
// gateway would put this behind merchant login; the sandbox asks for the inspection token
// printed at start (`?token=` or `Authorization: Bearer`).
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { applyPageSecurityHeaders } from './page-security-headers.ts';
import type { PaygateSchema } from './schema.ts';
import { renderNotificationsPage } from './views/notifications-page.tsx';
import { renderSandboxHomePage } from './views/sandbox-home-page.tsx';
import { inspectionTokenMatches } from './sandbox-inspection-token.ts';
import { renderMessagePage } from './views/message-page.tsx';

const query = z.object({ merchant: z.string().max(100).optional(), format: z.enum(['html', 'json']).optional(), token: z.string().max(200).optional() }).catch({});

export function registerSandboxStatusRoutes(app: FastifyInstance, db: Kysely<PaygateSchema>, inspectionToken: string): void {
  app.get('/health', async () => ({ ok: true, service: 'mamori-paygate-sandbox' }));

  app.get('/', async (_request, reply) => reply.send(renderSandboxHomePage({ nonce: applyPageSecurityHeaders(reply) })));

  app.get('/_sandbox/notifications', async (request, reply) => {
    const q = query.parse(request.query);
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!inspectionTokenMatches(inspectionToken, bearer ?? q.token)) {
      const nonce = applyPageSecurityHeaders(reply);
      return reply.code(401).header('www-authenticate', 'Bearer realm="sandbox"').type('text/html; charset=utf-8').send(renderMessagePage({
        locale: 'en', nonce, title: 'Inspection token needed', text: 'Open this page with ?token= and the sandbox inspection token printed when the gateway started.',
      }));
    }
    let rowsQuery = db.selectFrom('notifications').selectAll().orderBy('seq', 'desc').limit(200);
    if (q.merchant) rowsQuery = rowsQuery.where('merchant_id', '=', q.merchant);
    const rows = (await rowsQuery.execute()).map((n) => ({
      eventId: n.event_id,
      merchantId: n.merchant_id,
      transactionId: n.transaction_id,
      type: n.type,
      status: n.status,
      attempts: n.attempts,
      lastResponseStatus: n.last_response_status,
      lastError: n.last_error,
      createdAt: n.created_at,
      lastAttemptAt: n.last_attempt_at,
      nextAttemptAt: n.next_attempt_at,
    }));
    let countsQuery = db.selectFrom('notifications').select(['status', db.fn.countAll<number>().as('n')]).groupBy('status');
    if (q.merchant) countsQuery = countsQuery.where('merchant_id', '=', q.merchant);
    const counts = Object.fromEntries((await countsQuery.execute()).map((c) => [c.status, Number(c.n)]));
    if (q.format === 'json') return { counts, notifications: rows };
    const nonce = applyPageSecurityHeaders(reply);
    return reply.send(renderNotificationsPage({ nonce, rows, counts }));
  });
}
