// The policy file, mamori.policy.json: what the merchant accepts running. Documented in
// src/policy/README.md; a JSON Schema generated from this definition is in
// src/policy/policy.schema.json (editors pick it up through "$schema").
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const severity = z.enum(['none', 'low', 'medium', 'high', 'critical']);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** A component selector: a purl without version ("pkg:generic/openssl", "pkg:npm/fastify", "pkg:deb/debian/libssl3"). */
const selector = z.string().regex(/^pkg:[a-z0-9.+-]+\/[^@?#]+$/i, 'a package URL without version, e.g. pkg:generic/openssl');
const kind = z.enum(['runtime', 'runtime-library', 'npm', 'os', 'system', 'database']);

export const advisorySourceSchema = z.object({
  name: z.string(),
  url: z.string().url(),
  /** osv-zip: an osv.dev ecosystem dump; osv / cve5: one JSON document; node-core: the Node.js security WG list; node-schedule: the Node.js release schedule. */
  format: z.enum(['osv-zip', 'osv', 'cve5', 'node-core', 'node-schedule']),
});

export const policySchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    /** The highest advisory severity tolerated: a finding above it fails the check. */
    maxSeverity: severity.default('low'),
    /** How to rank findings whose advisory gives no severity (fail closed by default). */
    unknownSeverityAs: severity.default('high'),
    /** npm devDependencies are not deployed (npm ci --omit=dev): their findings are reported but tolerated unless this is true. */
    includeDevDependencies: z.boolean().default(false),
    advisories: z
      .object({
        /** Refuse to pass when the advisory data is older than this (hours). */
        maxAgeHours: z.number().positive().default(48),
        /** Also use the Node.js core advisories shipped in the is-my-node-vulnerable package. */
        includeNodeCoreList: z.boolean().default(true),
        /** What `mamori advisories update` downloads when the machine is online. */
        sources: z.array(advisorySourceSchema).default([]),
      })
      .default({ maxAgeHours: 48, includeNodeCoreList: true, sources: [] }),
    runtime: z
      .object({
        /** forbid: an end-of-life Node.js line fails the check; allow: it is reported only. */
        endOfLife: z.enum(['forbid', 'allow']).default('forbid'),
        /** With endOfLife "forbid": tolerate an end-of-life line until this date (a migration window). */
        allowEndOfLifeUntil: date.optional(),
      })
      .default({ endOfLife: 'forbid' }),
    minimumVersions: z
      .array(
        z.object({
          component: selector,
          /** Only components of this kind (e.g. runtime-library for Node's bundled OpenSSL, system for `openssl version`). */
          kind: kind.optional(),
          minimum: z.string().min(1),
          reason: z.string().optional(),
        }),
      )
      .default([]),
    /** The versions the vendor says it deployed: any difference from what is loaded fails the check. */
    declared: z
      .array(
        z.object({
          component: selector,
          kind: kind.optional(),
          version: z.string().min(1),
        }),
      )
      .default([]),
    /** Days from first detection by which an advisory finding must be fixed (the monthly report's overdue list). */
    remediationDays: z
      .object({
        critical: z.number().int().positive().default(7),
        high: z.number().int().positive().default(30),
        medium: z.number().int().positive().default(90),
        low: z.number().int().positive().default(180),
      })
      .default({ critical: 7, high: 30, medium: 90, low: 180 }),
    exceptions: z
      .array(
        z.object({
          /** Advisory id or alias (CVE-…, GHSA-…, DSA-…). */
          advisory: z.string().min(1),
          /** Limit the exception to one component (purl without version); all components when omitted. */
          component: selector.optional(),
          reason: z.string().min(10, 'say why (at least 10 characters)'),
          /** The exception stops applying after this day. */
          expires: date,
        }),
      )
      .default([]),
    // `mamori scan` (src/scanner/): the settings of the external scan that are the merchant's choice.
    scanner: z
      .object({
        /**
         * Warn when the certificate expires within this many days. Default 30, not testssl's 60: ACME
         * clients renew 90-day certificates with 30 days left, so 60 would warn for two thirds of every
         * healthy certificate's life; 30 still leaves a month when renewal automation broke.
         */
        certificateExpiryWarningDays: z.number().int().min(1).max(397).default(30),
        /** DNS server for the CAA check ("192.0.2.53" or "192.0.2.53:5353"); without one CAA is reported as not checked. */
        caaResolver: z.string().min(1).optional(),
      })
      .strict()
      .default({ certificateExpiryWarningDays: 30 }),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export class PolicyError extends Error {}

export function parsePolicy(raw: unknown, file = 'policy'): Policy {
  const r = policySchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PolicyError(`${file}: invalid policy: ${issues}`);
  }
  return r.data;
}

export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PolicyError(`${file}: cannot read the policy file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PolicyError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parsePolicy(raw, file);
}

export function policyJsonSchema(): unknown {
  return z.toJSONSchema(policySchema, { io: 'input' });
}
