// `npm run pan-scan:test-leftovers [-- --drop]`: the end of CI (.ci/run). Runs pan-scan over
// everything the test suite left behind — every test data directory (each SQLite database's rows,
// shop logs, outboxes, uploads) and every PostgreSQL test database — and exits 1 on any card
// number found, 2 when something could not be checked. The browser purchases with test cards are
// among them; their gateway's files (<dir>/paygate/) are left out, as pan-scan always does.
//
// Where tests leave things (test/support/databases.ts): folders `mamori-test-*` under the temp
// directory (.ci/run points TMPDIR at a fresh one, so only this run's are searched) and databases
// `mamori_t_*` (kept until now when MAMORI_TEST_KEEP_DATABASES=1; `--drop` drops them once read).
// Tests that write card numbers on purpose create "card fixtures" named apart from both and remove
// them themselves; a finding anywhere else is a leak.
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { runPanScan } from '../src/pan-scan/pan-scan.ts';
import { describeLocation, type PanScanReport } from '../src/pan-scan/pan-scan-report.ts';

// The same names as test/support/databases.ts (shipped scripts may not import test support).
const TEST_DIR_PREFIX = 'mamori-test-';
const TEST_DATABASE_PREFIX = 'mamori_t_';

const { values } = parseArgs({ options: { drop: { type: 'boolean' }, 'tmp-dir': { type: 'string' }, 'postgres-url': { type: 'string' } } });
const root = values['tmp-dir'] ?? tmpdir();
const pgBase = values['postgres-url'] ?? process.env.MAMORI_TEST_POSTGRES_URL;

const totals = { dataDirs: 0, sqliteDatabases: 0, postgresDatabases: 0, files: 0, lines: 0, bytes: 0, rows: 0, tables: 0, imagesSkipped: 0 };
let findings = 0;
const errors: string[] = [];

function account(where: string, report: PanScanReport): void {
  totals.files += report.stats.files.files;
  totals.lines += report.stats.files.lines;
  totals.bytes += report.stats.files.bytes;
  totals.imagesSkipped += report.stats.files.imagesSkipped;
  totals.rows += report.stats.database?.rows ?? 0;
  totals.tables += report.stats.database?.tables ?? 0;
  findings += report.findingCount;
  for (const f of report.findings) console.log(`FOUND ${f.masked} (${f.brand}) ${where}: ${describeLocation(f.location)}`);
  for (const e of report.errors) errors.push(`${where}: ${e}`);
}

function sqliteFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    // The gateway's own database is not the shop's (and is left out of the file scan too).
    if (name === 'paygate') continue;
    const st = statSync(p);
    if (st.isDirectory()) out.push(...sqliteFilesIn(p));
    else if (name.endsWith('.sqlite')) out.push(p);
  }
  return out;
}

const dirs = readdirSync(root).filter((n) => n.startsWith(TEST_DIR_PREFIX)).map((n) => path.join(root, n)).filter((p) => statSync(p).isDirectory()).sort();
for (const dir of dirs) {
  totals.dataDirs++;
  const databases = sqliteFilesIn(dir);
  // Files first (once per folder), then each SQLite database's rows.
  account(dir, await runPanScan({ dataDirs: [dir], databaseFile: databases[0] }));
  for (const file of databases) {
    totals.sqliteDatabases++;
    const handle = openDatabase(file);
    try {
      const report = await runPanScan({ database: { db: handle.db, kind: 'sqlite' }, dataDirs: [] });
      account(file, report);
    } catch (err) {
      errors.push(`${file}: ${(err as Error).message}`);
    } finally {
      await handle.close();
    }
  }
}

if (pgBase) {
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  const names = (await admin.query<{ datname: string }>('select datname from pg_database where datname like $1 order by datname', [`${TEST_DATABASE_PREFIX}%`])).rows.map((r) => r.datname);
  for (const name of names) {
    totals.postgresDatabases++;
    const url = new URL(pgBase);
    url.pathname = `/${name}`;
    const handle = openDatabase(url.toString());
    try {
      account(`postgres ${name}`, await runPanScan({ database: { db: handle.db, kind: 'postgres' }, dataDirs: [] }));
    } catch (err) {
      errors.push(`postgres ${name}: ${(err as Error).message}`);
    } finally {
      await handle.close();
    }
    if (values.drop) await admin.query(`drop database if exists "${name}" with (force)`);
  }
  await admin.end();
}

console.log(`pan-scan of test leftovers in ${root}${pgBase ? ' and PostgreSQL' : ''}: ${totals.dataDirs} data directories, ${totals.sqliteDatabases} SQLite and ${totals.postgresDatabases} PostgreSQL databases (${totals.tables} tables, ${totals.rows} rows), ${totals.files} files (${totals.lines} lines, ${(totals.bytes / 1e6).toFixed(1)} MB, ${totals.imagesSkipped} images skipped): ${findings} card number(s) found, ${errors.length} could not be checked`);
for (const e of errors.slice(0, 50)) console.log(`COULD NOT CHECK ${e}`);
process.exitCode = findings > 0 ? 1 : errors.length > 0 ? 2 : 0;
