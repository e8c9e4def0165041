// Builds the shop's HTTP application from its dependencies. Everything a route needs
// travels on `app.shop` (decorate), never through module-level state.
import { PERMISSIONS_POLICY as SHOP_PERMISSIONS_POLICY } from './http/security-headers.ts';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie, { type CookieSerializeOptions } from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { buildSecurityHeaderTemplate, installSecurityHeaders } from './http/security-headers.ts';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ShopContext } from './shop-context.ts';
import { LOCALE_COOKIE, resolveLocale, type Locale } from './i18n/locale.ts';
import { installErrorHandling } from './http/error-handler.tsx';
import { postgresRateLimitStore } from './http/rate-limit-store.ts';
import { PUBLIC_DIR } from './layout/static-assets.ts';
import { installOutgoingCardFieldGuard } from './page-watch/outgoing-card-field-guard.ts';
import { installStorefrontStop } from './shop-pause/storefront-stop.ts';
import { catalogRoutes } from './catalog/routes.tsx';
import { cartRoutes } from './cart/routes.tsx';
import { checkoutRoutes } from './checkout/routes.tsx';
import { orderRoutes } from './orders/routes.tsx';
import { storeApiRoutes } from './store-api/routes.ts';
import { installMediaCors } from './store-api/store-api-cors.ts';
import { postalCodeRoutes } from './checkout/postal-code-routes.ts';
import { seoRoutes } from './seo/routes.ts';
import { paymentRoutes } from './payments/routes.ts';
import { adminRoutes, type AdminPluginOptions } from './admin/routes.tsx';
import { publicNoticeRoutes } from './incident-notices/public-notice-routes.tsx';
import { contactRoutes } from './inquiries/contact-routes.tsx';
import { customerAccountRoutes } from './customer-accounts/routes.tsx';
import type { CustomerAccountOptions } from './customer-accounts/account-runtime.ts';
import { legalPageRoutes } from './legal-pages/legal-routes.tsx';
import type { PaymentPageWalker } from './page-watch/page-watch-job.ts';
import { CSP_REPORT_GROUP, CSP_REPORT_PATH, cspReportRoutes } from './csp-reports/routes.ts';

export interface RateLimitSettings {
  /** Requests per minute per client for cart changes, checkout and order lookup. */
  cart: number;
  checkout: number;
  lookup: number;
  /** Payment notifications per minute per client (gateways retry in bursts). */
  notifications: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { cart: 120, checkout: 20, lookup: 10, notifications: 600 };

/** HTTP concerns shared by the route plugins; domain dependencies are on `app.shop`. */
export interface ShopWebSettings {
  rateLimits: RateLimitSettings;
  cookieOptions(extra?: CookieSerializeOptions): CookieSerializeOptions;
}

declare module 'fastify' {
  interface FastifyInstance { shop: ShopContext; web: ShopWebSettings; pageWatchWalker: () => PaymentPageWalker | undefined; startJob: (name: string) => void }
  interface FastifyRequest { locale: Locale }
}

export interface BuildShopAppOptions {
  shop: ShopContext;
  /** Fastify's own logger (request lines); false in tests that want silence. */
  logger: Logger | false;
  rateLimits?: Partial<RateLimitSettings>;
  /** Test-only: sees every request's raw URL, headers and body (the card-number proof). */
  onRawRequest?: (r: { method: string; url: string; headers: Record<string, unknown>; body: string }) => void;
  /** Back-office options beyond the config (tests record the failed-login delay instead of sleeping). */
  admin?: AdminPluginOptions;
  /** Asks the page monitor for a pass now (a CSP violation reported from the way to payment). */
  requestPageWatchPass?: () => void;
  /** Starts a background job now, without waiting for it (a queued CSV import); the scheduler exists only once the app is built. */
  startJob?: (name: string) => void;
  /** How the page watch walks (level, URL), for the back office's approval to walk the same way. */
  pageWatchWalker?: () => PaymentPageWalker | undefined;
  /**
   * Benchmark-only: false leaves out the outgoing-HTML card-field guard, so bench/shop.ts can
   * measure its cost in the same run. Deliberately not a configuration setting: a security
   * control must not be switchable off from the environment.
   */
  outgoingCardFieldGuard?: boolean;
  /** Customer accounts (src/customer-accounts/): tests count password hashes and record the failed-login delay. */
  customerAccounts?: CustomerAccountOptions;
}

const publicDir = PUBLIC_DIR;

export const BODY_LIMIT_BYTES = 64 * 1024;

export { PERMISSIONS_POLICY } from './http/security-headers.ts';

/**
 * The storefront's CSRF secret cookie. Over HTTPS the `__Host-` prefix makes the browser refuse
 * one set by a sibling subdomain or over plain HTTP (it must be Secure, Path=/, without Domain).
 */
export function csrfCookieName(https: boolean): string {
  return https ? '__Host-_csrf' : '_csrf';
}

// One line per request (Fastify writes two: "incoming request" and "request completed"), carrying
// the request through the same redacting serializers; logging was ~4% of a page hit. Fastify's other
// lines (stream errors, not found) stay as they are.
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export async function buildShopApp(opts: BuildShopAppOptions): Promise<FastifyInstance> {
  const { shop } = opts;
  const { config } = shop;
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : opts.logger,
    logger: opts.logger === false ? false : undefined,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // Long random ids are not needed; sequential ones reveal nothing here.
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
  } as never) as unknown as FastifyInstance;

  const cookieOptions = (extra: CookieSerializeOptions = {}): CookieSerializeOptions => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.https,
    ...extra,
  });
  app.decorate('shop', shop);
  app.decorate('web', {
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits },
    cookieOptions,
  } satisfies ShopWebSettings);
  app.decorate('pageWatchWalker', opts.pageWatchWalker ?? (() => undefined));
  app.decorate('startJob', opts.startJob ?? (() => {}));
  app.decorateRequest('locale', 'ja');

  if (opts.onRawRequest) {
    const record = opts.onRawRequest;
    app.addHook('preParsing', async (request, _reply, payload) => {
      const chunks: Buffer[] = [];
      for await (const c of payload) chunks.push(Buffer.from(c as Buffer));
      const body = Buffer.concat(chunks);
      record({ method: request.method, url: request.url, headers: { ...request.headers }, body: body.toString('utf8') });
      return Readable.from([body]);
    });
  }

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  const gatewayOrigin = shop.payments?.checkoutOrigin;
  // Helmet's headers, built once (src/http/security-headers.ts): the same set helmet sends, per
  // request only the CSP nonces are new.
  installSecurityHeaders(app, await buildSecurityHeaderTemplate({
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        // The checkout form posts to the shop, which redirects to the gateway's hosted page.
        formAction: ["'self'", ...(gatewayOrigin ? [gatewayOrigin] : [])],
        ...(config.https ? { upgradeInsecureRequests: [] } : {}),
        // Violations are reported to src/csp-reports/. report-to only over HTTPS: Chromium sends
        // Reporting API reports only to secure origins and, once report-to is named, ignores
        // report-uri, so on plain HTTP naming it would silence every report.
        reportUri: [CSP_REPORT_PATH],
        ...(config.https ? { reportTo: [CSP_REPORT_GROUP] } : {}),
      },
    },
    // HSTS only makes sense, and is only honoured, over HTTPS.
    strictTransportSecurity: config.https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  }, {
    'permissions-policy': SHOP_PERMISSIONS_POLICY,
    ...(config.https ? { 'reporting-endpoints': `${CSP_REPORT_GROUP}="${config.publicUrl}${CSP_REPORT_PATH}"` } : {}),
  }));
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: csrfCookieName(config.https),
    // Path=/ and no Domain, as __Host- requires; Secure follows config.https.
    cookieOpts: cookieOptions({ signed: false, path: '/', domain: undefined }),
  });
  // Counters shared by every instance on PostgreSQL; in this process on SQLite (src/http/rate-limit-store.ts).
  await app.register(rateLimit, { global: false, ...(shop.db.kind === 'postgres' ? { store: postgresRateLimitStore(shop.db.db) } : {}) });

  app.addHook('onRequest', async (request, reply) => {
    const q = request.query as Record<string, unknown> | undefined;
    request.locale = resolveLocale(q?.lang, request.cookies[LOCALE_COOKIE], request.headers['accept-language']);
  });

  // Issue 16: no shared cache may keep a response that sets a cookie, whatever its route said
  // (catalog pages and API reads are otherwise `public` for a CDN; src/catalog/page-cache.ts).
  // Runs after @fastify/cookie's onSend hook, which writes the Set-Cookie header.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.hasHeader('set-cookie') && !/\b(private|no-store)\b/.test(String(reply.getHeader('cache-control') ?? ''))) {
      reply.header('cache-control', 'private, no-store');
      reply.removeHeader('etag');
    }
    return payload;
  });

  // The storefront stop: after the locale hook (the maintenance page's language), before every
  // route (its route list must see them all; the exempt list is in src/shop-pause/storefront-stop.ts).
  installStorefrontStop(app);
  installErrorHandling(app);
  if (opts.outgoingCardFieldGuard !== false) installOutgoingCardFieldGuard(app);

  await app.register(fastifyStatic, { root: publicDir, prefix: '/static/', index: false, list: false, dotfiles: 'deny', maxAge: '1h' });
  installMediaCors(app, config.storeApi.corsOrigins);
  await app.register(fastifyStatic, { root: config.mediaDir, prefix: '/media/', decorateReply: false, index: false, list: false, dotfiles: 'deny', maxAge: '1d' });

  app.get('/healthz', async (_request, reply) => {
    try {
      await shop.db.engineVersion();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  await app.register(seoRoutes);
  await app.register(storeApiRoutes, { prefix: '/api', customerAccounts: opts.customerAccounts });
  await app.register(postalCodeRoutes, { prefix: '/api' });
  await app.register(cspReportRoutes, { prefix: '/api', requestPageWatchPass: opts.requestPageWatchPass });
  await app.register(paymentRoutes);
  await app.register(adminRoutes, { ...opts.admin, prefix: '/admin' });
  // HTML forms: CSRF-checked at preValidation, after formbody has parsed the body.
  await app.register(async (html) => {
    html.addHook('preValidation', (request, reply, done) => {
      if (request.method === 'POST') return app.csrfProtection(request, reply, done);
      done();
    });
    await html.register(catalogRoutes);
    await html.register(cartRoutes);
    await html.register(checkoutRoutes);
    await html.register(orderRoutes);
    // Incident response: the public notice and the inquiry desk (issue 13).
    await html.register(publicNoticeRoutes);
    await html.register(contactRoutes);
    // Customer accounts (issue 18).
    await html.register(customerAccountRoutes, opts.customerAccounts ?? {});
    // Legal pages (issue 17): 特定商取引法に基づく表記, privacy policy, terms.
    await html.register(legalPageRoutes);
  });

  return app;
}
