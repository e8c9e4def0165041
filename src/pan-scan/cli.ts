// `mamori pan-scan [--format table|json|sarif] [--data-dir DIR] [--database URL] [--path P]… [--exclude P]…`
// Exit codes (external checks rely on them): 0 no card number found, 1 card numbers found (listed,
// masked), 2 could not check (usage, database unreachable, a file unreadable).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runPanScan } from './pan-scan.ts';
import { exitCodeOf, renderJson, renderSarif, renderTable, type PanScanReport } from './pan-scan-report.ts';
import { INSTALL_ROOT } from '../install-root.ts';

export const PAN_SCAN_HELP = `usage: mamori pan-scan [--format table|json|sarif] [--data-dir <dir>] [--database <url>]
                      [--path <file|dir>]… [--exclude <path>]… [--batch-size <n>] [--no-database]

Searches the shop for stored card numbers (PANs): every text-like column of every table of the
database (read in batches, never whole), and every file under the data directory — logs, the
e-mail outbox (mail bodies decoded), uploads (images skipped; SQLite files are read through SQL).
A card number is 13–19 digits, with or without spaces, hyphens or dots, Luhn-valid, in a
card brand's IIN range and of that brand's length. Findings are shown masked (first six, last four).
The sandbox payment gateway's own files (<data-dir>/paygate/) are never read: the gateway is
meant to see card numbers.

  --format <f>       table (default), json or sarif (SARIF 2.1.0)
  --data-dir <dir>   the data directory (default DATA_DIR)
  --database <url>   the database (default DATABASE_URL); --no-database: files only
  --path <p>         also search this file or folder, e.g. the file the shop's log is written to
  --exclude <p>      leave this path out (besides the gateway's files)
  --batch-size <n>   rows per database query (default 500)
  -h, --help         this text

Exit codes: 0 none found, 1 card numbers found, 2 could not check.
`;

const ArgsSchema = z.object({
  format: z.enum(['table', 'json', 'sarif']).default('table'),
  dataDir: z.string().min(1).optional(),
  database: z.string().min(1).optional(),
  noDatabase: z.boolean().default(false),
  paths: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  batchSize: z.coerce.number().int().min(1).max(100_000).default(500),
});

export interface PanScanCliDeps {
  openDatabase(url: string): Promise<DatabaseHandle>;
  defaults(): { dataDir: string; databaseUrl: string };
  out(text: string): void;
  err(text: string): void;
}

function defaultDeps(): PanScanCliDeps {
  return {
    openDatabase: async (url) => (await import('../db/database.ts')).openDatabase(url),
    defaults: () => {
      const loaded = loadConfig();
      if (!loaded.ok) throw new Error(`invalid configuration: ${loaded.errors.join('; ')}`);
      return { dataDir: loaded.config.dataDir, databaseUrl: loaded.config.databaseUrl };
    },
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  };
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);
const sqliteFile = (url: string) => (url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url);

function version(): string {
  return (JSON.parse(readFileSync(`${INSTALL_ROOT}/package.json`, 'utf8')) as { version: string }).version;
}

export async function run(args: string[], overrides: Partial<PanScanCliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides };
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: false,
      options: {
        format: { type: 'string' }, 'data-dir': { type: 'string' }, database: { type: 'string' }, 'no-database': { type: 'boolean' },
        path: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true }, 'batch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    deps.err(`mamori pan-scan: ${err instanceof Error ? err.message : String(err)}\n\n${PAN_SCAN_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    deps.out(PAN_SCAN_HELP);
    return 0;
  }
  const v = parsed.values;
  const checked = ArgsSchema.safeParse({ format: v.format, dataDir: v['data-dir'], database: v.database, noDatabase: v['no-database'], paths: v.path, exclude: v.exclude, batchSize: v['batch-size'] });
  if (!checked.success) {
    deps.err(`mamori pan-scan: ${checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}\n\n${PAN_SCAN_HELP}`);
    return 2;
  }
  const a = checked.data;
  let report: PanScanReport;
  let handle: DatabaseHandle | undefined;
  try {
    const defaults = a.dataDir && a.database ? { dataDir: a.dataDir, databaseUrl: a.database } : deps.defaults();
    const dataDir = a.dataDir ?? defaults.dataDir;
    const databaseUrl = a.database ?? defaults.databaseUrl;
    if (!a.noDatabase) {
      // Opening a SQLite path that does not exist would create an empty database and report it clean.
      if (!isPostgres(databaseUrl) && !existsSync(sqliteFile(databaseUrl))) throw new Error(`no database at ${sqliteFile(databaseUrl)}`);
      handle = await deps.openDatabase(databaseUrl);
    }
    report = await runPanScan({
      database: handle && { db: handle.db, kind: handle.kind },
      databaseFile: handle?.kind === 'sqlite' ? sqliteFile(databaseUrl) : undefined,
      dataDirs: [dataDir],
      paths: a.paths.map((p) => ({ path: p, area: 'other' as const })),
      exclude: a.exclude,
      batchSize: a.batchSize,
    });
  } catch (err) {
    deps.err(`mamori pan-scan: could not check: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  } finally {
    await handle?.close();
  }
  deps.out(a.format === 'json' ? renderJson(report) : a.format === 'sarif' ? renderSarif(report, version()) : renderTable(report));
  return exitCodeOf(report);
}
