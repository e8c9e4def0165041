// The two shapes browsers send CSP violations in, validated with Zod and reduced to what the shop
// keeps. `report-uri` (older browsers, and Chromium over plain HTTP): one `application/csp-report`
// body `{"csp-report": {...}}` per violation. `report-to` (the Reporting API, over HTTPS): an
// `application/reports+json` array of reports, of which `type: "csp-violation"` ones are ours.
// Everything here is untrusted: any client can post anything.
import { z } from 'zod';
import { redactLongDigitRuns } from '../../platform/card-number-detector.ts';
import type { CspReportFormat } from './csp-report-tables.ts';

/** One violation as the shop stores it: URLs without query or fragment, no script sample. */
export interface CspViolation {
  format: CspReportFormat;
  effectiveDirective: string;
  blockedUrl: string;
  documentUrl: string;
  disposition: 'enforce' | 'report';
  sourceFile: string | null;
  lineNumber: number | null;
}

const url = z.string().max(4096);
const line = z.number().int().min(0).max(100_000_000);

// Unknown keys are stripped: `original-policy` and `script-sample` are not kept (a sample is the
// first 40 characters of whatever ran, which could be anything a visitor typed).
const LegacyBody = z.object({
  'csp-report': z.object({
    'document-uri': url,
    'effective-directive': z.string().max(200).optional(),
    'violated-directive': z.string().max(4096).optional(),
    'blocked-uri': url.optional(),
    disposition: z.enum(['enforce', 'report']).optional(),
    'source-file': url.optional(),
    'line-number': line.optional(),
  }).refine((r) => r['effective-directive'] || r['violated-directive'], { error: 'effective-directive or violated-directive is required' }),
});

const ReportingApiViolation = z.object({
  documentURL: url,
  effectiveDirective: z.string().max(200),
  blockedURL: url.nullish(),
  disposition: z.enum(['enforce', 'report']).nullish(),
  sourceFile: url.nullish(),
  lineNumber: line.nullish(),
});

const ReportingApiBody = z.array(z.object({
  type: z.string().max(100),
  body: z.unknown(),
})).min(1).max(100);

export type ParsedReports = { ok: true; violations: CspViolation[] } | { ok: false; issues: { field: string; message: string }[] };

const issuesOf = (error: z.ZodError, prefix = '') => error.issues.slice(0, 10).map((i) => ({ field: prefix + i.path.join('.'), message: i.message }));

/** The body of a report request, by its media type (the route has already parsed the JSON). */
export function parseCspReports(mediaType: string, body: unknown): ParsedReports {
  if (mediaType === 'application/reports+json') {
    const list = ReportingApiBody.safeParse(body);
    if (!list.success) return { ok: false, issues: issuesOf(list.error) };
    const violations: CspViolation[] = [];
    for (const [i, report] of list.data.entries()) {
      // Other report types (deprecation, intervention) can share the endpoint; they are not ours.
      if (report.type !== 'csp-violation') continue;
      const v = ReportingApiViolation.safeParse(report.body);
      if (!v.success) return { ok: false, issues: issuesOf(v.error, `${i}.body.`) };
      violations.push(normalise({
        format: 'report-to', directive: v.data.effectiveDirective, blocked: v.data.blockedURL ?? '', document: v.data.documentURL,
        disposition: v.data.disposition ?? 'enforce', sourceFile: v.data.sourceFile ?? null, lineNumber: v.data.lineNumber ?? null,
      }));
    }
    return { ok: true, violations };
  }
  const legacy = LegacyBody.safeParse(body);
  if (!legacy.success) return { ok: false, issues: issuesOf(legacy.error) };
  const r = legacy.data['csp-report'];
  return {
    ok: true,
    violations: [normalise({
      format: 'report-uri',
      // Old browsers send only the violated directive with its sources ("script-src 'self'").
      directive: r['effective-directive'] ?? r['violated-directive']!.trim().split(/\s+/)[0]!,
      blocked: r['blocked-uri'] ?? '', document: r['document-uri'], disposition: r.disposition ?? 'enforce',
      sourceFile: r['source-file'] ?? null, lineNumber: r['line-number'] ?? null,
    })],
  };
}

function normalise(r: { format: CspReportFormat; directive: string; blocked: string; document: string; disposition: 'enforce' | 'report'; sourceFile: string | null; lineNumber: number | null }): CspViolation {
  const directive = r.directive.toLowerCase();
  return {
    format: r.format,
    effectiveDirective: /^[a-z][a-z-]{0,59}$/.test(directive) ? directive : 'unknown',
    blockedUrl: urlWithoutSecrets(r.blocked),
    documentUrl: urlWithoutSecrets(r.document),
    disposition: r.disposition,
    sourceFile: r.sourceFile ? urlWithoutSecrets(r.sourceFile) : null,
    lineNumber: r.lineNumber,
  };
}

/**
 * Origin and path only: query strings and fragments may carry order tokens or session values,
 * user info may carry passwords. Keywords browsers use instead of a URL ('inline', 'eval',
 * 'data', 'blob', …) are kept as they are; anything else that is not a URL becomes 'invalid'.
 * Long digit runs are masked, so a forged report cannot make the shop store a card number.
 */
export function urlWithoutSecrets(raw: string): string {
  const value = raw.trim();
  if (value === '') return 'none';
  if (/^[a-z][a-z-]{0,29}$/i.test(value)) return value.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'invalid';
  }
  if (!/^(https?|wss?):$/.test(parsed.protocol)) return parsed.protocol.replace(/:$/, '').slice(0, 30);
  return redactLongDigitRuns(`${parsed.origin}${parsed.pathname}`).slice(0, 1000);
}

/** The origin a blocked URL is on, or the keyword ('inline', 'eval'): what alerts are folded by. */
export function blockedOrigin(blockedUrl: string): string {
  try {
    return new URL(blockedUrl).origin;
  } catch {
    return blockedUrl;
  }
}
