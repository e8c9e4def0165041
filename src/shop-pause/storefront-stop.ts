// The one place a storefront stop is enforced: an onRequest hook on the whole app, so every
// storefront and Store API route — including any added later — answers 503 while stopped, except
// the routes in STOP_EXEMPT_ROUTES. HTML gets the maintenance page in the request's language with
// the merchant's message; /api gets problem+json (MAMORI_ERR_SHOP_STOPPED). Both carry Retry-After.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, wantsHtml } from '../http/error-handler.tsx';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { directPauseState, listeningPauseState, markedPauseState, type PauseState } from './pause-state.ts';
import { stopMessageFor, type ResumeGate } from './shop-pause.ts';
import { incidentBlockingResume } from '../incidents/resumption-gate.ts';
import { renderMaintenancePage } from './maintenance-page.tsx';
import { activeNoticeLink } from '../incident-notices/public-notice.ts';

/**
 * What keeps answering while the storefront is stopped, matched against the route the router
 * chose (`/orders/:orderId/payment-return`), or the path when no route matched: an entry covers
 * itself and everything under it (`/admin` covers `/admin/security/pause`). Each one says why.
 */
export const STOP_EXEMPT_ROUTES: readonly { route: string; why: string }[] = [
  { route: '/healthz', why: 'load balancers and monitoring must see a stopped shop as alive, not restart or fail it over' },
  { route: '/admin', why: 'the back office runs the incident and lifts the stop' },
  { route: '/payments', why: 'gateway notifications: payments already in flight must still settle' },
  { route: '/orders/:orderId/payment-return', why: 'the gateway sends the customer back here; the shop settles from its own status query (the order page it redirects to is stopped)' },
  { route: '/static', why: 'the maintenance page\'s own stylesheet and icon' },
  { route: '/problems', why: 'the `type` URL of the 503 problem+json must resolve to its explanation' },
  { route: '/notice', why: 'the public incident notice (お詫びとお知らせ) is what customers of a stopped shop need to read' },
  { route: '/contact', why: 'the inquiry desk for affected customers stays open while the shop is closed' },
  { route: '/legal', why: 'the legal notice says who the seller is and how to reach them, which customers of a stopped shop need' },
  { route: '/api/csp-reports', why: 'browsers still holding the shop\'s pages report CSP violations: evidence during an incident; it serves nothing to customers' },
];

/** Clients are asked to come back in a few minutes (a person lifts a stop), as for the checkout pause. */
export const STOP_RETRY_AFTER_SECONDS = 300;

export function isExemptFromStop(route: string): boolean {
  return STOP_EXEMPT_ROUTES.some((e) => route === e.route || route.startsWith(`${e.route}/`));
}

export interface RegisteredRoute { method: string; url: string }

export interface StorefrontStopRuntime {
  state: PauseState;
  /** Every route registered after the hook was installed (the exempt-list test walks them). */
  routes: RegisteredRoute[];
  /** What the back office asks before a resume (an open incident refuses it); tests put a double here. */
  resumeGate: ResumeGate;
}

declare module 'fastify' {
  interface FastifyInstance { storefrontStop: StorefrontStopRuntime }
}

function pathOf(url: string): string {
  const path = url.split('?')[0] ?? '/';
  let decoded = path;
  try { decoded = decodeURIComponent(path); } catch { /* keep it raw */ }
  // The language link repeats the path: a card number typed into a URL is not repeated.
  return containsCardNumber(decoded) ? '/' : path;
}

/**
 * Installs the pause state (its listener starts at onReady and stops at onClose), the route
 * collector and the hook. Call it before the route plugins are registered, after the hook that
 * resolves `request.locale`.
 */
export function installStorefrontStop(app: FastifyInstance): void {
  const { db, config, logger, notifications } = app.shop;
  const state = db.kind === 'postgres'
    ? listeningPauseState({ db: db.db, ...(notifications ? { notifications } : { connectionString: config.databaseUrl }), pollMs: config.shopPause.pollMs, logger })
    : db.changeMarker ? markedPauseState(db.db, db.changeMarker) : directPauseState(db.db);
  const runtime: StorefrontStopRuntime = { state, routes: [], resumeGate: incidentBlockingResume };
  app.decorate('storefrontStop', runtime);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) runtime.routes.push({ method, url: route.url });
  });
  app.addHook('onReady', async () => { await state.start(); });
  app.addHook('onClose', async () => { await state.stop(); });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isExemptFromStop(request.routeOptions.url ?? pathOf(request.url))) return;
    const stop = (await state.current()).storefront;
    if (!stop) return;
    reply.header('retry-after', String(STOP_RETRY_AFTER_SECONDS)).header('cache-control', 'no-store');
    const message = stopMessageFor(stop, request.locale);
    if (!wantsHtml(request)) return sendProblem(request, reply, 'MAMORI_ERR_SHOP_STOPPED', message ?? undefined);
    const active = await activeNoticeLink(db.db);
    const notice = active ? { slug: active.slug, title: request.locale === 'ja' ? active.title_ja : active.title_en } : undefined;
    return reply.code(503).type('text/html; charset=utf-8')
      .send(renderMaintenancePage({ locale: request.locale, shopName: config.shopName, message, path: pathOf(request.url), notice }));
  });
}
