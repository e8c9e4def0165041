// The JSON contract of `mamori scan --format json`: { targets: [{ url, verdict, tls: { protocols,
// ciphers, certificate, … }, findings: [{ id, title, severity, cvss, cve, evidence, fix, … }] }] }.
import type { ScanReport } from './scan-report.ts';

export function renderJson(report: ScanReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
