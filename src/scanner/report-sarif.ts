// SARIF 2.1.0 (OASIS) so code-scanning dashboards can show the findings; the location is the URL scanned.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { FINDING_CATALOG, type FindingId } from './findings.ts';
import { SCANNER_NAME, type ScanReport } from './scan-report.ts';

function level(cvss: number, autoFail: boolean): Result.level {
  if (autoFail || cvss >= 7) return 'error';
  return cvss >= 4 ? 'warning' : 'note';
}

export function renderSarif(report: ScanReport): string {
  const used = new Set(report.targets.flatMap((t) => t.findings.map((f) => f.id)));
  const rules = [...used].sort().map((id): ReportingDescriptor => {
    const entry = FINDING_CATALOG[id as FindingId];
    return {
      id,
      name: id.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: entry?.title ?? id },
      help: { text: entry?.fix ?? '' },
      properties: { 'security-severity': String(entry?.cvss ?? 0), tags: ['security', 'external-scan'] },
    };
  });
  const results = report.targets.flatMap((t) => [
    ...t.findings.map((f): Result => ({
      ruleId: f.id,
      level: level(f.cvss, f.autoFail),
      message: { text: `${f.title}. Evidence: ${f.evidence}. Fix: ${f.fix}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: t.url } } }],
      properties: { cvss: f.cvss, severity: f.severity, cve: f.cve, autoFail: f.autoFail, verdict: t.verdict },
    })),
  ]);
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: SCANNER_NAME, version: report.scanner.version, semanticVersion: report.scanner.version, rules } },
      invocations: [{
        executionSuccessful: report.targets.every((t) => !t.error),
        endTimeUtc: report.generatedAt,
        toolExecutionNotifications: report.targets.filter((t) => t.error).map((t) => ({ level: 'error' as const, message: { text: `${t.url}: ${t.error!.code}: ${t.error!.detail}` } })),
      }],
      results,
      properties: { targets: report.targets.map((t) => ({ url: t.url, verdict: t.verdict, sslv2: t.tls.sslv2State ?? null, vulnerabilities: t.tls.vulnerabilities ?? null, keyExchangeGroups: Object.fromEntries(Object.entries(t.tls.ciphers).map(([p, c]) => [p, Object.fromEntries(c.accepted.filter((s) => s.keyExchangeGroup).map((s) => [s.name, s.keyExchangeGroup]))])) })) },
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
