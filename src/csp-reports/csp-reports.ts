// Storing CSP violation reports and acting on the ones from the way to payment.
//
// A report is a claim from anyone on the internet, not an observation of the shop's own: forging
// one takes a single POST. So a report never pauses checkout by itself — that would hand every
// attacker a switch to turn the shop's card payments off. A violation on a payment-way page
// instead raises an alert (folded per directive and blocked origin) and asks the page monitor for
// a pass now: the monitor re-walks the way to payment with the shop's own eyes, and if the page
// really is tampered, it pauses card payments as it always does. A forged report costs at most
// one extra monitor pass per minute.
import type { Kysely } from 'kysely';
import type { ShopContext } from '../shop-context.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { blockedOrigin, type CspViolation } from './csp-report-formats.ts';
import { cspReportDb } from './csp-report-tables.ts';

/** Cart, checkout and the order pages a payment starts, returns or is retried from. */
export function isPaymentWayPage(documentUrl: string): boolean {
  let path: string;
  try {
    path = new URL(documentUrl).pathname;
  } catch {
    return false;
  }
  return /^\/(cart|checkout)(\/|$)/.test(path) || /^\/orders\/(?!lookup(\/|$))[^/]+(\/(pay|payment-return))?\/?$/.test(path);
}

/** Stores the violations and drops the oldest past `maxStored`, in one transaction. */
export async function storeCspViolations(db: Kysely<any>, violations: CspViolation[], opts: { maxStored: number; now: Date }): Promise<void> {
  if (violations.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const cdb = cspReportDb(trx);
    const at = opts.now.toISOString();
    await cdb.insertInto('csp_reports').values(violations.map((v) => ({
      received_at: at, format: v.format, effective_directive: v.effectiveDirective, blocked_url: v.blockedUrl, document_url: v.documentUrl,
      disposition: v.disposition, source_file: v.sourceFile, line_number: v.lineNumber, payment_page: isPaymentWayPage(v.documentUrl) ? 1 : 0,
    }))).execute();
    const cutoff = await cdb.selectFrom('csp_reports').select('id').orderBy('id', 'desc').offset(opts.maxStored).limit(1).executeTakeFirst();
    if (cutoff) await cdb.deleteFrom('csp_reports').where('id', '<=', cutoff.id).execute();
  });
}

export interface CspReportGroup {
  effectiveDirective: string;
  blockedUrl: string;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  sampleDocumentUrl: string;
  onPaymentPage: boolean;
}

/** Stored reports grouped by effective directive and blocked URL, most recently seen first. */
export async function cspReportGroups(db: Kysely<any>, limit = 200): Promise<CspReportGroup[]> {
  const rows = await cspReportDb(db).selectFrom('csp_reports')
    .select((eb) => [
      'effective_directive', 'blocked_url',
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.min('received_at').as('first_seen_at'),
      eb.fn.max('received_at').as('last_seen_at'),
      eb.fn.max('document_url').as('sample_document_url'),
      eb.fn.max('payment_page').as('payment_page'),
    ])
    .groupBy(['effective_directive', 'blocked_url'])
    .orderBy('last_seen_at', 'desc').orderBy('effective_directive').orderBy('blocked_url')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    effectiveDirective: r.effective_directive, blockedUrl: r.blocked_url, count: Number(r.count),
    firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, sampleDocumentUrl: r.sample_document_url, onPaymentPage: Number(r.payment_page) === 1,
  }));
}

export async function storedCspReportCount(db: Kysely<any>): Promise<number> {
  const r = await cspReportDb(db).selectFrom('csp_reports').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface ReceiveOptions {
  maxStored: number;
  /** Asks the page monitor for a pass now (start-shop wires it to the page-watch job). */
  requestPageWatchPass: (() => void) | undefined;
  /** Whether a pass may be asked for now (at most one a minute: a flood of forged reports must not become a flood of walks). */
  mayRequestPass: (now: Date) => boolean;
}

export type ReceiveResult = { stored: number; paymentPageViolations: number; passRequested: boolean };

/** What the endpoint does with a valid body: store, and follow up on payment-way violations. */
export async function receiveCspViolations(shop: Pick<ShopContext, 'db' | 'clock' | 'mailer' | 'config' | 'logger'>, violations: CspViolation[], opts: ReceiveOptions): Promise<ReceiveResult> {
  const now = shop.clock();
  await storeCspViolations(shop.db.db, violations, { maxStored: opts.maxStored, now });
  const onPaymentWay = violations.filter((v) => v.disposition === 'enforce' && isPaymentWayPage(v.documentUrl));
  if (onPaymentWay.length === 0) return { stored: violations.length, paymentPageViolations: 0, passRequested: false };

  const seen = new Set<string>();
  for (const v of onPaymentWay) {
    const origin = blockedOrigin(v.blockedUrl);
    const key = `csp-report:${v.effectiveDirective}:${origin}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await raiseAlert(shop, {
      kind: 'csp_report.payment_page_violation',
      severity: 'high',
      dedupeKey: key,
      summary: `a browser reported that the CSP blocked ${v.blockedUrl} (${v.effectiveDirective}) on ${new URL(v.documentUrl).pathname}; the page watch re-checks the way to payment (a report alone pauses nothing: anyone can send one)`,
      evidence: { effectiveDirective: v.effectiveDirective, blockedUrl: v.blockedUrl, documentUrl: v.documentUrl, sourceFile: v.sourceFile, format: v.format },
    });
  }
  let passRequested = false;
  if (opts.requestPageWatchPass && opts.mayRequestPass(now)) {
    opts.requestPageWatchPass();
    passRequested = true;
  }
  await recordWatchResult(shop.db.db, {
    watcher: 'csp-reports', outcome: 'findings', at: now,
    summary: `${onPaymentWay.length} CSP violation(s) reported on the way to payment${passRequested ? '; page watch pass requested' : ''}`,
    details: { violations: onPaymentWay.slice(0, 10).map((v) => ({ directive: v.effectiveDirective, blockedUrl: v.blockedUrl, documentUrl: v.documentUrl })), passRequested },
  });
  return { stored: violations.length, paymentPageViolations: onPaymentWay.length, passRequested };
}

/** At most one requested pass per `intervalMs` (per shop instance). */
export function passThrottle(intervalMs: number): (now: Date) => boolean {
  let last = -Infinity;
  return (now) => {
    if (now.getTime() - last < intervalMs) return false;
    last = now.getTime();
    return true;
  };
}
