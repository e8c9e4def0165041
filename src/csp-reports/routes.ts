// POST /api/csp-reports: where the shop's Content-Security-Policy tells browsers to report
// (report-uri, and report-to via Reporting-Endpoints over HTTPS; app.ts). Anyone can post here,
// so the route is small-bodied, rate limited per client and answers 204 without echoing
// anything; what a report may cause is in csp-reports.ts.
import type { FastifyInstance } from 'fastify';
import { ShopError } from '../http/error-catalog.ts';
import { parseCspReports } from './csp-report-formats.ts';
import { passThrottle, receiveCspViolations } from './csp-reports.ts';

/** Enough for a batch of Reporting API reports; a real legacy report is under 2 KiB. */
export const CSP_REPORT_BODY_LIMIT_BYTES = 16 * 1024;
export const CSP_REPORT_PATH = '/api/csp-reports';
/** The Reporting-Endpoints name the CSP's report-to directive refers to. */
export const CSP_REPORT_GROUP = 'csp-endpoint';

const REPORT_TYPES = ['application/csp-report', 'application/reports+json'];

export interface CspReportRouteOptions {
  /** Asks the page monitor for a pass now; unset when the page watch is off. */
  requestPageWatchPass?: (() => void) | undefined;
}

export async function cspReportRoutes(app: FastifyInstance, opts: CspReportRouteOptions) {
  const shop = app.shop;
  const { perMinute, maxStored } = shop.config.cspReports;
  const mayRequestPass = passThrottle(60_000);

  app.addContentTypeParser(REPORT_TYPES, { parseAs: 'string', bodyLimit: CSP_REPORT_BODY_LIMIT_BYTES }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ShopError('MAMORI_ERR_MALFORMED_BODY', 'the report is not JSON'), undefined);
    }
  });

  app.post(CSP_REPORT_PATH.replace(/^\/api/, ''), {
    bodyLimit: CSP_REPORT_BODY_LIMIT_BYTES,
    config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const mediaType = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const parsed = parseCspReports(mediaType, request.body);
    if (!parsed.ok) throw new ShopError('MAMORI_ERR_VALIDATION', 'not a CSP violation report', parsed.issues);
    await receiveCspViolations(shop, parsed.violations, { maxStored, requestPageWatchPass: opts.requestPageWatchPass, mayRequestPass });
    return reply.code(204).send();
  });
}
