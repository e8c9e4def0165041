// `mamori inventory [--format table|json|cyclonedx] [--sbom file] [--database url] [--output file]`
import { configFromEnvironment } from '../config/config.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { collectInventory } from './collect.ts';
import { inventoryFromCycloneDX, inventoryToCycloneDX, SbomInputError } from './cyclonedx.ts';
import { formatInventoryTable } from './format.ts';
import type { EngineVersionSource } from './database.ts';
import type { Inventory } from './types.ts';

const HELP = `usage: mamori inventory [options]

List what this system really runs: the Node.js runtime and the libraries compiled into it
(with its end-of-life status), npm packages, OS packages, the system OpenSSL, the database engine.

options:
  --format table|json|cyclonedx   output format (default table); cyclonedx = CycloneDX 1.6 JSON
  --output <file>                 write to a file instead of stdout
  --sbom <file>                   read a CycloneDX JSON SBOM instead of inspecting this system
  --database <url>                include the database engine (sqlite:path or postgres://…);
                                  default: the shop's own (DATABASE_URL, or DATA_DIR/mamori.sqlite)
  --project <dir>                 project root with package.json and node_modules (default: cwd)
  --node-schedule <file>          Node.js release schedule (default: the shipped copy)
  -h, --help
exit codes: 0 done, 2 usage or input error`;

export async function openDatabaseHandle(url: string | undefined): Promise<(EngineVersionSource & { close(): Promise<void> }) | undefined> {
  if (!url) return undefined;
  // Opening a SQLite path that does not exist would create an empty database: leave it out instead.
  if (!/^postgres(ql)?:\/\//.test(url) && !existsSync(url.replace(/^sqlite:/, ''))) return undefined;
  const { openDatabase } = await import('../db/database.ts');
  return openDatabase(url);
}

export async function loadInventory(opts: { sbom?: string; database?: string; project?: string; schedule?: string }): Promise<Inventory> {
  if (opts.sbom) {
    let text: string;
    try {
      text = readFileSync(opts.sbom, 'utf8');
    } catch {
      throw new SbomInputError(`${opts.sbom}: cannot read the SBOM file`);
    }
    return inventoryFromCycloneDX(text, opts.sbom);
  }
  const db = await openDatabaseHandle(opts.database ?? configFromEnvironment().databaseUrl);
  try {
    return await collectInventory({ projectRoot: opts.project, database: db, schedulePath: opts.schedule });
  } finally {
    await db?.close();
  }
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        format: { type: 'string', default: 'table' },
        output: { type: 'string', short: 'o' },
        sbom: { type: 'string' },
        database: { type: 'string' },
        project: { type: 'string' },
        'node-schedule': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`mamori inventory: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'cyclonedx') {
    process.stderr.write(`mamori inventory: --format must be table, json or cyclonedx (got ${format})\n`);
    return 2;
  }
  let inv: Inventory;
  try {
    inv = await loadInventory({ sbom: values.sbom, database: values.database, project: values.project, schedule: values['node-schedule'] });
  } catch (err) {
    process.stderr.write(`mamori inventory: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const text = format === 'json' ? JSON.stringify(inv, null, 2) : format === 'cyclonedx' ? inventoryToCycloneDX(inv) : formatInventoryTable(inv, values.output ? ({ isTTY: false } as NodeJS.WriteStream) : process.stdout);
  if (values.output) {
    writeFileSync(values.output, text + '\n');
    process.stderr.write(`wrote ${inv.components.length} components to ${values.output}\n`);
  } else process.stdout.write(text + '\n');
  return 0;
}
