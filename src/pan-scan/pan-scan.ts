// One pan-scan: the shop's database (every text-like column of every table) and its files (logs,
// outbox, uploads, everything under DATA_DIR), searched for card numbers. The payment gateway's
// own files are left out by name: the gateway is the one system meant to see card numbers, and
// the sandbox keeps its database under DATA_DIR/paygate/ (src/main.ts starts it there).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.ts';
import { MAX_FINDINGS_KEPT, type PanFinding, type PanScanReport } from './pan-scan-report.ts';
import { scanDatabase } from './scan-database.ts';
import { newFileScanStats, scanFiles, type FileSource } from './scan-files.ts';

/** Where the bundled sandbox gateway keeps its database inside a shop's DATA_DIR. */
export const SANDBOX_GATEWAY_SUBDIR = 'paygate';

/** The gateway's files inside a data directory: never scanned. */
export function gatewayFilesIn(dataDir: string): string[] {
  return [path.join(path.resolve(dataDir), SANDBOX_GATEWAY_SUBDIR)];
}

export interface PanScanOptions {
  database?: { db: Kysely<any>; kind: DatabaseKind } | undefined;
  /** The SQLite file behind `database`, when it lies among the files (scanned raw too: deleted rows linger). */
  databaseFile?: string | undefined;
  /** Data directories: scanned whole except the gateway's files. */
  dataDirs: string[];
  /** More files or folders (a log file the shop's output is written to). */
  paths?: FileSource[];
  /** More paths to leave out. */
  exclude?: string[];
  /** Rows per database query (default 500). */
  batchSize?: number;
  signal?: AbortSignal | undefined;
  clock?: () => Date;
}

export async function runPanScan(opts: PanScanOptions): Promise<PanScanReport> {
  const started = performance.now();
  const findings: PanFinding[] = [];
  let findingCount = 0;
  const onFinding = (f: PanFinding) => {
    findingCount++;
    if (findings.length < MAX_FINDINGS_KEPT) findings.push(f);
  };
  const errors: string[] = [];
  const excluded = [...opts.dataDirs.flatMap(gatewayFilesIn), ...(opts.exclude ?? []).map((p) => path.resolve(p))];
  let database: PanScanReport['stats']['database'];
  if (opts.database) {
    try {
      database = await scanDatabase(opts.database.db, opts.database.kind, { batchSize: opts.batchSize ?? 500, signal: opts.signal, onFinding });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      errors.push(`database: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const dir of opts.dataDirs) if (!existsSync(dir)) errors.push(`${dir}: no such data directory`);
  const files = newFileScanStats();
  const sources: FileSource[] = [...opts.dataDirs.map((d) => ({ path: d, area: 'data' as const })), ...(opts.paths ?? [])];
  await scanFiles(sources, {
    exclude: excluded, databaseFile: opts.databaseFile && path.resolve(opts.databaseFile), signal: opts.signal,
    onFinding, onError: (m) => errors.push(m), stats: files,
  });
  return {
    generatedAt: (opts.clock ?? (() => new Date()))().toISOString(),
    outcome: findingCount > 0 ? 'findings' : errors.length > 0 ? 'error' : 'clean',
    findings, findingCount, errors, excluded,
    stats: { database, files, seconds: Math.round(performance.now() - started) / 1000 },
  };
}
