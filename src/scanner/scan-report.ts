// The document every output format is rendered from: the targets' results plus who produced them.
import type { TargetResult } from './scan-target.ts';

export const SCANNER_NAME = 'mamori-scan';
export const SCANNER_VERSION = '0.1.0';

export interface ScanReport {
  scanner: { name: string; version: string };
  generatedAt: string;
  targets: TargetResult[];
}

export function buildScanReport(targets: TargetResult[], now = new Date()): ScanReport {
  return { scanner: { name: SCANNER_NAME, version: SCANNER_VERSION }, generatedAt: now.toISOString(), targets };
}

/** CLI exit code: 2 when a target could not be scanned, else 1 when one fails, else 0. */
export function exitCodeOf(report: ScanReport): 0 | 1 | 2 {
  if (report.targets.some((t) => t.error)) return 2;
  return report.targets.some((t) => t.verdict === 'fail') ? 1 : 0;
}
