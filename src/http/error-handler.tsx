// The one place where errors become HTTP responses: problem+json (RFC 9457) for the API,
// an HTML page for the storefront. Stack traces and internal messages never leave the server.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG, ShopError, errorCodeForSlug, problemType, type ErrorCode, type FieldError } from './error-catalog.ts';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from './view-context-builder.ts';
import type { Messages } from '../i18n/messages-ja.ts';

export function wantsHtml(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return !(path.startsWith('/api/') || path.startsWith('/payments/') || path === '/healthz');
}

function codeForFrameworkError(err: FastifyError): ErrorCode {
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') return 'MAMORI_ERR_CSRF';
  switch (err.statusCode) {
    case 400: return 'MAMORI_ERR_MALFORMED_BODY';
    case 403: return 'MAMORI_ERR_CSRF';
    case 404: return 'MAMORI_ERR_NOT_FOUND';
    case 405: return 'MAMORI_ERR_METHOD_NOT_ALLOWED';
    case 413: return 'MAMORI_ERR_BODY_TOO_LARGE';
    case 415: return 'MAMORI_ERR_UNSUPPORTED_MEDIA_TYPE';
    case 429: return 'MAMORI_ERR_RATE_LIMITED';
    case 503: return 'MAMORI_ERR_UNAVAILABLE';
    default: return 'MAMORI_ERR_INTERNAL';
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail?: string, fields: FieldError[] = []) {
  const { status, title } = ERROR_CATALOG[code];
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: problemType(code, request.server.shop.config.publicUrl),
      title,
      status,
      code,
      ...(detail ? { detail } : {}),
      instance: request.url.split('?')[0],
      ...(fields.length ? { errors: fields } : {}),
    });
}

function htmlMessage(m: Messages, code: ErrorCode): string {
  switch (code) {
    case 'MAMORI_ERR_NOT_FOUND':
    case 'MAMORI_ERR_PRODUCT_NOT_FOUND':
    case 'MAMORI_ERR_ORDER_NOT_FOUND':
    case 'MAMORI_ERR_CART_ITEM_NOT_FOUND':
    case 'MAMORI_ERR_VARIANT_NOT_FOUND':
      return m.errors.notFound;
    case 'MAMORI_ERR_CSRF': return m.errors.csrf;
    case 'MAMORI_ERR_RATE_LIMITED': return m.errors.rateLimited;
    case 'MAMORI_ERR_CHECKOUT_PAUSED': return m.errors.checkoutPaused;
    case 'MAMORI_ERR_SHOP_STOPPED': return m.errors.shopStopped;
    case 'MAMORI_ERR_INTERNAL':
    case 'MAMORI_ERR_UNAVAILABLE':
    case 'MAMORI_ERR_PAYMENT_UNAVAILABLE':
      return m.errors.server;
    default: return m.errors.badRequest;
  }
}

export async function sendErrorPage(request: FastifyRequest, reply: FastifyReply, code: ErrorCode) {
  const ctx = await buildViewContext(request, reply);
  const message = htmlMessage(ctx.m, code);
  return reply
    .code(ERROR_CATALOG[code].status)
    .type('text/html; charset=utf-8')
    .send(renderPage(ctx, { title: message, description: message, indexable: false }, (
      <section class="error-page">
        <h1>{message}</h1>
        <p><a href="/">{ctx.m.cart.continueShopping}</a></p>
      </section>
    )));
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler(async (err: FastifyError | ShopError, request, reply) => {
    let code: ErrorCode;
    let detail: string | undefined;
    let fields: FieldError[] = [];
    if (err instanceof ShopError) {
      ({ code, detail, fields } = err);
    } else {
      code = codeForFrameworkError(err as FastifyError);
      if (code === 'MAMORI_ERR_INTERNAL') request.log.error({ err }, 'unhandled error');
      else request.log.info({ code, reason: err.message }, 'request refused');
    }
    if (code === 'MAMORI_ERR_RATE_LIMITED') reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    // A pause or stop is lifted by a person: ask clients to come back in a few minutes, not hammer.
    if (code === 'MAMORI_ERR_CHECKOUT_PAUSED' || code === 'MAMORI_ERR_SHOP_STOPPED') reply.header('retry-after', '300');
    if (wantsHtml(request)) {
      try {
        return await sendErrorPage(request, reply, code);
      } catch (pageErr) {
        request.log.error({ err: pageErr }, 'error page failed');
        return reply.code(ERROR_CATALOG[code].status).type('text/plain; charset=utf-8').send(ERROR_CATALOG[code].title);
      }
    }
    return sendProblem(request, reply, code, detail, fields);
  });

  // Every problem's `type` points here, so a client developer can look a code up.
  app.get<{ Params: { slug: string } }>('/problems/:slug', async (request, reply) => {
    const code = errorCodeForSlug(request.params.slug);
    if (!code) return sendProblem(request, reply, 'MAMORI_ERR_NOT_FOUND');
    return { type: problemType(code, request.server.shop.config.publicUrl), code, title: ERROR_CATALOG[code].title, status: ERROR_CATALOG[code].status };
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (wantsHtml(request)) return sendErrorPage(request, reply, 'MAMORI_ERR_NOT_FOUND');
    return sendProblem(request, reply, 'MAMORI_ERR_NOT_FOUND');
  });
}
