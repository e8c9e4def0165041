// What a pan-scan found and how it is shown: a table for people, JSON for scripts, SARIF 2.1.0
// for code-scanning dashboards. A finding never carries the number itself, only its first six
// and last four digits (PCI DSS 3.4.1), so the report, the alert and the watch result are safe to
// keep and to mail.
import type { Log, Result } from 'sarif';
import { findCardNumbers, maskCardNumber, type CardBrand } from '../../platform/card-number-detector.ts';

export type PanLocation =
  | { kind: 'database'; table: string; column: string; rowId: string }
  | { kind: 'file'; path: string; line: number; column: number; area: FileArea }
  /** A binary file read as its printable runs: where the run starts, in bytes. */
  | { kind: 'binary-file'; path: string; byteOffset: number; area: FileArea };

/** Which part of the shop a file belongs to, for the summary. */
export type FileArea = 'log' | 'outbox' | 'uploads' | 'database-file' | 'data' | 'other';

export interface PanFinding { masked: string; brand: CardBrand; location: PanLocation }

export interface PanScanStats {
  database: { tables: number; columns: number; rows: number; batches: number; bytes: number } | undefined;
  files: { files: number; lines: number; bytes: number; binaryFiles: number; imagesSkipped: number; sqliteFilesSkipped: number; byArea: Partial<Record<FileArea, number>> };
  seconds: number;
}

export interface PanScanReport {
  generatedAt: string;
  outcome: 'clean' | 'findings' | 'error';
  findings: PanFinding[];
  /** How many findings there were in all; `findings` keeps the first MAX_FINDINGS_KEPT. */
  findingCount: number;
  stats: PanScanStats;
  /** What could not be read (a database error, an unreadable file): any of these makes the outcome `error` unless there are findings. */
  errors: string[];
  /** Paths left out on purpose (the payment gateway's own files), for the record. */
  excluded: string[];
}

export const MAX_FINDINGS_KEPT = 1000;

/** Masked card numbers in `text`, each with its 1-based column. */
export function findingsIn(text: string): { masked: string; brand: CardBrand; column: number }[] {
  return findCardNumbers(text).map((m) => ({ masked: maskCardNumber(m.digits), brand: m.brand, column: m.start + 1 }));
}

/** Process exit code: 0 none found, 1 found, 2 could not check. */
export function exitCodeOf(report: PanScanReport): number {
  return report.outcome === 'findings' ? 1 : report.outcome === 'error' ? 2 : 0;
}

export function describeLocation(l: PanLocation): string {
  if (l.kind === 'database') return `${l.table}.${l.column} row ${l.rowId}`;
  if (l.kind === 'file') return `${l.path}:${l.line}:${l.column}`;
  return `${l.path} @ byte ${l.byteOffset}`;
}

export function summaryLine(report: PanScanReport): string {
  const db = report.stats.database;
  const scanned = `${db ? `${db.rows} rows in ${db.tables} tables, ` : ''}${report.stats.files.files} files`;
  if (report.outcome === 'findings') return `${report.findingCount} card number(s) found (${scanned})`;
  if (report.outcome === 'error') return `could not check everything: ${report.errors.slice(0, 2).join('; ')} (${scanned})`;
  return `no card numbers (${scanned})`;
}

export function renderTable(report: PanScanReport): string {
  const lines = report.findings.map((f) => `${f.masked.padEnd(20)}  ${f.brand.padEnd(10)}  ${describeLocation(f.location)}`);
  if (report.findingCount > report.findings.length) lines.push(`… and ${report.findingCount - report.findings.length} more`);
  for (const e of report.errors) lines.push(`could not check: ${e}`);
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

export function renderJson(report: PanScanReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

const RULE_ID = 'card-number';

export function renderSarif(report: PanScanReport, toolVersion: string): string {
  const results = report.findings.map((f): Result => {
    const l = f.location;
    const base: Result = {
      ruleId: RULE_ID,
      level: 'error',
      message: { text: `A ${f.brand} card number (${f.masked}) is stored in the shop: ${describeLocation(l)}` },
      properties: { masked: f.masked, brand: f.brand },
    };
    if (l.kind === 'database') return { ...base, locations: [{ logicalLocations: [{ fullyQualifiedName: `${l.table}.${l.column}[${l.rowId}]`, kind: 'member' }] }] };
    const artifactLocation = { uri: l.path.startsWith('/') ? `file://${encodeURI(l.path)}` : encodeURI(l.path) };
    const region = l.kind === 'file' ? { startLine: l.line, startColumn: l.column } : { byteOffset: l.byteOffset };
    return { ...base, locations: [{ physicalLocation: { artifactLocation, region } }] };
  });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'mamori pan-scan', version: toolVersion, semanticVersion: toolVersion,
          rules: [{
            id: RULE_ID, name: 'StoredCardNumber',
            shortDescription: { text: 'A card number (PAN) is stored where the shop keeps data' },
            help: { text: 'A card number never belongs in the shop (PCI DSS 3.2, 3.4). Find how it got there, remove it (database row, log line, mail), and treat it as an incident.' },
            properties: { 'security-severity': '9.0', tags: ['security', 'pci-dss', 'card-data'] },
          }],
        },
      },
      invocations: [{
        executionSuccessful: report.errors.length === 0,
        endTimeUtc: report.generatedAt,
        toolExecutionNotifications: report.errors.map((e) => ({ level: 'error' as const, message: { text: e } })),
      }],
      results,
      properties: { findingCount: report.findingCount, stats: report.stats, excluded: report.excluded },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
