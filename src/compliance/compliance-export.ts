// GET /admin/compliance.json: the evaluated map for anyone who processes it (a card brand, an
// auditor's tool). Its schema is published as compliance-export.schema.json, generated from the Zod
// schema below (compliance-export.test.ts keeps the two identical).
import { z } from 'zod';
import { CHECK_IDS, ComplianceSourceRefSchema, FRAMEWORKS } from './compliance-map.ts';
import type { ComplianceEvaluation } from './evaluate-compliance.ts';

export const COMPLIANCE_EXPORT_FORMAT = 'mamori-compliance/1';

const Localized = z.object({ ja: z.string(), en: z.string() });
const Status = z.enum(['pass', 'fail', 'not-collected', 'attested', 'attestation-expired', 'attestation-missing']);

export const ComplianceExportSchema = z.object({
  format: z.literal(COMPLIANCE_EXPORT_FORMAT),
  shop: z.string(),
  evaluatedAt: z.iso.datetime(),
  counts: z.object({
    automated: z.number().int().nonnegative(), manual: z.number().int().nonnegative(), passing: z.number().int().nonnegative(),
    failing: z.number().int().nonnegative(), notCollected: z.number().int().nonnegative(),
    attestationMissing: z.number().int().nonnegative(), attestationExpired: z.number().int().nonnegative(),
  }),
  items: z.array(z.object({
    id: z.string(),
    framework: z.enum(FRAMEWORKS),
    reference: z.string(),
    title: Localized,
    source: ComplianceSourceRefSchema,
    kind: z.enum(['automated', 'manual']),
    check: z.union([z.enum(CHECK_IDS), z.literal('manual')]),
    status: Status,
    detail: Localized.optional(),
    evidenceHref: z.string().optional(),
    automatable: z.string().optional(),
    attestation: z.object({
      attestedBy: z.string(),
      attestedAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      note: z.string(),
      evidence: z.object({ fileName: z.string(), sizeBytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), href: z.string() }).optional(),
    }).optional(),
  })),
});
export type ComplianceExport = z.infer<typeof ComplianceExportSchema>;

export function complianceExport(e: ComplianceEvaluation, shop: string, actorLabel: (actor: string) => string): ComplianceExport {
  return ComplianceExportSchema.parse({
    format: COMPLIANCE_EXPORT_FORMAT,
    shop,
    evaluatedAt: e.evaluatedAt,
    counts: e.counts,
    items: e.items.map((i) => ({
      id: i.id, framework: i.framework, reference: i.reference, title: i.title, source: i.source, kind: i.kind, check: i.check, status: i.status,
      ...(i.detail ? { detail: i.detail } : {}), ...(i.evidenceHref ? { evidenceHref: i.evidenceHref } : {}), ...(i.automatable ? { automatable: i.automatable } : {}),
      ...(i.attestation ? { attestation: { attestedBy: actorLabel(i.attestation.attestedBy), attestedAt: i.attestation.attestedAt, expiresAt: i.attestation.expiresAt, note: i.attestation.note, ...(i.attestation.evidence ? { evidence: i.attestation.evidence } : {}) } } : {}),
    })),
  });
}

export function complianceExportJsonSchema(): unknown {
  return z.toJSONSchema(ComplianceExportSchema);
}
