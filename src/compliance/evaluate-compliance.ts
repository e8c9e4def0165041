// Evaluates the whole map as of an instant: automated items by their check, manual items by their
// newest attestation. The monthly report reads it through the ComplianceSource seam
// (src/monthly-report/report-contract.ts); the back office and the JSON export read the richer form.
import type { ComplianceItemState, ComplianceSource, ComplianceSummary } from '../monthly-report/report-contract.ts';
import { COMPLIANCE_CHECKS, type ComplianceContext, type Localized } from './compliance-checks.ts';
import { COMPLIANCE_MAP, type ComplianceMapItem } from './compliance-map.ts';
import { attestationsAsOf, type Attestation } from './compliance-attestations.ts';

export interface EvaluatedAttestation {
  id: number;
  attestedBy: string;
  attestedAt: string;
  expiresAt: string;
  note: string;
  evidence?: { fileName: string; sizeBytes: number; sha256: string; href: string } | undefined;
}

export interface EvaluatedItem extends ComplianceItemState {
  source: ComplianceMapItem['source'];
  check: ComplianceMapItem['check'];
  attestationValidDays?: number | undefined;
  automatable?: string | undefined;
  attestation?: EvaluatedAttestation | undefined;
}

export interface ComplianceEvaluation {
  evaluatedAt: string;
  items: EvaluatedItem[];
  counts: ComplianceSummary['counts'] & { attestationMissing: number; attestationExpired: number };
}

const manualHref = (id: string) => `/admin/compliance#item-${id}`;

function attestationView(a: Attestation): EvaluatedAttestation {
  return {
    id: a.id, attestedBy: a.attested_by, attestedAt: a.attested_at, expiresAt: a.expires_at, note: a.note,
    evidence: a.evidence_stored_name && a.evidence_sha256
      ? { fileName: a.evidence_file_name ?? 'evidence', sizeBytes: a.evidence_size_bytes ?? 0, sha256: a.evidence_sha256, href: `/admin/compliance/attestations/${a.id}/evidence` }
      : undefined,
  };
}

function manualState(item: ComplianceMapItem, a: Attestation | undefined, at: Date): Pick<EvaluatedItem, 'status' | 'detail' | 'evidenceHref' | 'attestation'> {
  if (!a) return { status: 'attestation-missing', evidenceHref: manualHref(item.id), detail: { en: 'Nobody has attested this yet.', ja: 'まだ誰も確認（表明）していません。' } };
  const view = attestationView(a);
  const href = view.evidence?.href ?? manualHref(item.id);
  if (Date.parse(a.expires_at) <= at.getTime()) {
    return { status: 'attestation-expired', evidenceHref: href, attestation: view, detail: { en: `The attestation of ${a.attested_at.slice(0, 10)} expired on ${a.expires_at.slice(0, 10)}.`, ja: `${a.attested_at.slice(0, 10)} の表明は ${a.expires_at.slice(0, 10)} に期限切れになりました。` } };
  }
  return { status: 'attested', evidenceHref: href, attestation: view, detail: { en: `Attested on ${a.attested_at.slice(0, 10)}, valid until ${a.expires_at.slice(0, 10)}.`, ja: `${a.attested_at.slice(0, 10)} に表明、${a.expires_at.slice(0, 10)} まで有効。` } };
}

export async function evaluateCompliance(ctx: ComplianceContext, at: Date, opts: { onCheckError?: (checkId: string, err: unknown) => void } = {}): Promise<ComplianceEvaluation> {
  const attestations = await attestationsAsOf(ctx.db, at);
  // Each check once, however many items share it.
  const outcomes = new Map<string, Promise<{ status: 'pass' | 'fail' | 'not-collected'; detail: Localized; evidenceHref: string }>>();
  const run = (id: keyof typeof COMPLIANCE_CHECKS) => {
    let p = outcomes.get(id);
    if (!p) {
      // One check that cannot read its source must not blank the whole map: it shows as not
      // collected (never as passing), and the fault is logged by the caller.
      p = COMPLIANCE_CHECKS[id](ctx, at).catch((err: unknown) => {
        opts.onCheckError?.(id, err);
        return { status: 'not-collected' as const, evidenceHref: '/admin/status', detail: { en: `The check could not be evaluated: ${err instanceof Error ? err.message : String(err)}`, ja: 'この確認は実行できませんでした。' } };
      });
      outcomes.set(id, p);
    }
    return p;
  };
  const items: EvaluatedItem[] = [];
  for (const item of COMPLIANCE_MAP) {
    const base = { id: item.id, framework: item.framework, reference: item.reference, title: item.title, source: item.source, check: item.check, automatable: item.automatable, attestationValidDays: item.attestationValidDays };
    if (item.check === 'manual') items.push({ ...base, kind: 'manual', ...manualState(item, attestations.get(item.id), at) });
    else items.push({ ...base, kind: 'automated', ...(await run(item.check)) });
  }
  const count = (f: (i: EvaluatedItem) => boolean) => items.filter(f).length;
  return {
    evaluatedAt: at.toISOString(),
    items,
    counts: {
      automated: count((i) => i.kind === 'automated'),
      manual: count((i) => i.kind === 'manual'),
      passing: count((i) => i.status === 'pass' || i.status === 'attested'),
      // An expired attestation is a lapse, so it fails; a missing one is not collected yet.
      failing: count((i) => i.status === 'fail' || i.status === 'attestation-expired'),
      notCollected: count((i) => i.status === 'not-collected' || i.status === 'attestation-missing'),
      attestationMissing: count((i) => i.status === 'attestation-missing'),
      attestationExpired: count((i) => i.status === 'attestation-expired'),
    },
  };
}

/** The seam the monthly report uses: the summary fields only. */
export function complianceSource(ctx: ComplianceContext, opts: { onCheckError?: (checkId: string, err: unknown) => void } = {}): ComplianceSource {
  return {
    async evaluate(at: Date): Promise<ComplianceSummary> {
      const e = await evaluateCompliance(ctx, at, opts);
      const { attestationMissing: _m, attestationExpired: _x, ...counts } = e.counts;
      return {
        evaluatedAt: e.evaluatedAt,
        counts,
        items: e.items.map((i) => ({ id: i.id, framework: i.framework, reference: i.reference, title: i.title, kind: i.kind, status: i.status, ...(i.evidenceHref ? { evidenceHref: i.evidenceHref } : {}), ...(i.detail ? { detail: i.detail } : {}) })),
      };
    },
  };
}
