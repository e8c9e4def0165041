// Optional customer sign-in for the Store API (issue 18): a bearer token from the account's
// e-mail and password (src/customer-accounts/customer-api-tokens.ts), the profile and the order
// history with it, and its revocation. No cookies: the token travels in the Authorization header
// only, so CORS stays without credentials mode (store-api-cors.ts) and no CSRF applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { ShopError, type FieldError } from '../http/error-catalog.ts';
import { accountRuntime, type CustomerAccountOptions } from '../customer-accounts/account-runtime.ts';
import { bearerTokenOf, customerOfApiToken, issueCustomerApiToken, revokeCustomerApiToken, type ApiTokenSession } from '../customer-accounts/customer-api-tokens.ts';
import { customerOrderByNumber, customerOrderPage, parseHistoryCursor } from '../customer-accounts/customer-order-history.ts';
import { OrderHistoryQuery, TokenRequest } from './customer-schemas.ts';
import { orderView } from './order-view.ts';

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: FieldError[] = r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new ShopError('MAMORI_ERR_VALIDATION', 'The request has invalid fields', fields);
}

/** RFC 6750 §3: a refused bearer request says how to authenticate. */
function refuseToken(reply: FastifyReply, presented: boolean): never {
  reply.header('www-authenticate', presented ? 'Bearer realm="store-api", error="invalid_token"' : 'Bearer realm="store-api"');
  throw new ShopError('MAMORI_ERR_INVALID_BEARER_TOKEN');
}

/**
 * The customer an Authorization header stands for. Absent header: undefined (a guest). A header
 * that is there but not a live token is refused (401), never taken for a guest: a client that
 * believes it is signed in must not place an order outside the account unawares.
 */
export async function optionalApiCustomer(request: FastifyRequest, reply: FastifyReply): Promise<ApiTokenSession | undefined> {
  const bearer = bearerTokenOf(request.headers.authorization);
  if (bearer.kind === 'none') return undefined;
  if (bearer.kind === 'malformed') return refuseToken(reply, true);
  const shop = request.server.shop;
  const s = await customerOfApiToken(shop.db.db, bearer.token, shop.config.customerAccounts.apiTokenMs, shop.clock());
  return s ?? refuseToken(reply, true);
}

async function requireApiCustomer(request: FastifyRequest, reply: FastifyReply): Promise<ApiTokenSession> {
  return (await optionalApiCustomer(request, reply)) ?? refuseToken(reply, false);
}

export async function customerApiRoutes(app: FastifyInstance, opts: CustomerAccountOptions = {}) {
  const shop = app.shop;
  const db = shop.db.db;
  const rt = accountRuntime(shop, opts);
  const waitMs = opts.waitMs ?? ((ms: number) => sleep(ms).then(() => undefined));
  const authLimit = { rateLimit: { max: shop.config.customerAccounts.authPerMinute, timeWindow: '1 minute' } };
  const readLimit = { rateLimit: { max: app.web.rateLimits.lookup * 6, timeWindow: '1 minute' } };

  // Tokens and personal data: no cache may keep any of these answers, refusals included.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/store/customers/')) reply.header('cache-control', 'no-store');
  });

  app.post('/store/customers/token', { config: authLimit }, async (request, reply) => {
    const body = parseOrThrow(TokenRequest, request.body);
    const r = await issueCustomerApiToken(rt, body.email, body.password, { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') });
    if (r.ok) return reply.code(201).send({ token: r.token, tokenType: 'Bearer', expiresAt: r.expiresAt.toISOString() });
    if (r.error === 'UNVERIFIED') throw new ShopError('MAMORI_ERR_EMAIL_NOT_VERIFIED');
    if (r.error === 'SECOND_FACTOR_REQUIRED') throw new ShopError('MAMORI_ERR_SECOND_FACTOR_REQUIRED');
    // The same growing wait as the HTML login, for a known and an unknown e-mail alike.
    await waitMs(r.delayMs);
    if (r.error === 'LOCKED') {
      reply.header('retry-after', String(shop.config.customerAccounts.lockout.minutes * 60));
      throw new ShopError('MAMORI_ERR_SIGN_IN_LOCKED');
    }
    throw new ShopError('MAMORI_ERR_INVALID_CREDENTIALS');
  });

  app.delete('/store/customers/token', { config: readLimit }, async (request, reply) => {
    const s = await requireApiCustomer(request, reply);
    await revokeCustomerApiToken(db, s.idHash);
    return reply.code(204).send();
  });

  app.get('/store/customers/me', { config: readLimit }, async (request, reply) => {
    const { customer: c } = await requireApiCustomer(request, reply);
    return { email: c.email, name: c.name, locale: c.locale, twoStepVerification: c.totp_enrolled_at !== null, createdAt: c.created_at };
  });

  app.get('/store/customers/me/orders', { config: readLimit }, async (request, reply) => {
    const { customer } = await requireApiCustomer(request, reply);
    const q = parseOrThrow(OrderHistoryQuery, request.query);
    const after = q.cursor === undefined ? undefined : parseHistoryCursor(q.cursor);
    if (q.cursor !== undefined && !after) throw new ShopError('MAMORI_ERR_VALIDATION', 'The request has invalid fields', [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor' }]);
    const page = await customerOrderPage(db, customer.id, q.limit, after);
    return {
      orders: page.rows.map((o) => ({ orderNumber: o.order_number, placedAt: o.created_at, status: o.status, total: o.total })),
      nextCursor: page.nextCursor,
    };
  });

  app.get<{ Params: { orderNumber: string } }>('/store/customers/me/orders/:orderNumber', { config: readLimit }, async (request, reply) => {
    const { customer } = await requireApiCustomer(request, reply);
    // Another customer's order answers exactly like one that does not exist.
    const detail = await customerOrderByNumber(db, customer.id, request.params.orderNumber);
    if (!detail) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    return orderView(detail, request.locale);
  });
}
