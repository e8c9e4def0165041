// SARIF 2.1.0 output of a check, so findings show up in code-scanning tools. Each advisory
// (and each kind of policy violation) is a rule; each finding or violation is a result.
// npm findings point at package-lock.json, everything else at the policy file.
import type { CheckResult, CheckedFinding, Violation } from './check.ts';

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  properties: Record<string, unknown>;
}

const LEVEL: Record<CheckedFinding['status'], 'error' | 'warning' | 'note' | 'none'> = { violation: 'error', tolerated: 'warning', excepted: 'note', suppressed: 'none' };

export function toSarif(result: CheckResult, opts: { toolVersion?: string; policyUri?: string } = {}): object {
  const rules = new Map<string, SarifRule>();
  const results: object[] = [];
  const policyUri = opts.policyUri ?? 'mamori.policy.json';

  for (const f of result.findings) {
    if (!rules.has(f.advisory.id)) {
      rules.set(f.advisory.id, {
        id: f.advisory.id,
        name: f.advisory.id.replace(/[^A-Za-z0-9]/g, ''),
        shortDescription: { text: f.advisory.summary || f.advisory.id },
        ...(f.advisory.references[0] ? { helpUri: f.advisory.references[0] } : {}),
        properties: {
          tags: ['security', 'dependency', ...f.advisory.aliases],
          ...(f.score !== undefined ? { 'security-severity': String(f.score) } : {}),
          severity: f.severity,
        },
      });
    }
    const uri = f.component.ecosystem === 'npm' ? 'package-lock.json' : policyUri;
    results.push({
      ruleId: f.advisory.id,
      level: LEVEL[f.status],
      message: { text: `${f.component.name} ${f.component.version} is affected by ${[f.advisory.id, ...f.advisory.aliases].join(' / ')} (${f.severity}${f.score !== undefined ? ` ${f.score}` : ''}). ${f.hint}${f.note ? ` [${f.status}: ${f.note}]` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: { uri } }, logicalLocations: [{ name: f.component.purl, kind: 'package' }] }],
      partialFingerprints: { 'mamori/v1': `${f.advisory.id}|${f.component.purl}` },
      ...(f.status === 'excepted' || f.status === 'suppressed' ? { suppressions: [{ kind: 'external', justification: f.note ?? f.status }] } : {}),
      properties: { status: f.status, fixed: f.fixed, purl: f.component.purl },
    });
  }
  for (const v of result.violations.filter((x: Violation) => x.kind !== 'finding')) {
    const id = `mamori/${v.kind}`;
    if (!rules.has(id)) rules.set(id, { id, name: v.kind.replace(/-(.)/g, (_m, ch: string) => ch.toUpperCase()), shortDescription: { text: `policy: ${v.kind}` }, properties: { tags: ['security', 'policy'] } });
    results.push({
      ruleId: id,
      level: 'error',
      message: { text: v.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: policyUri } }, ...(v.component ? { logicalLocations: [{ name: v.component.purl, kind: 'package' }] } : {}) }],
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mamori', informationUri: 'https://github.com/mamori', version: opts.toolVersion ?? '0.1.0', rules: [...rules.values()] } },
        results,
        invocations: [{ executionSuccessful: true, endTimeUtc: result.checkedAt, exitCode: result.exitCode }],
        properties: { status: result.status, summary: result.summary, advisoryData: result.advisoryData },
      },
    ],
  };
}
