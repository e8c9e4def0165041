// `mamori report monthly [--month YYYY-MM] [--format html|pdf|json] [--locale ja|en] [--out FILE]`
// Builds the month's security report from the shop's database (default: last month in
// SHOP_TIME_ZONE). Exit codes: 0 written, 2 usage, configuration or database error.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig, type ShopConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Clock } from '../shop-context.ts';
import { createMonthlyReportRenderer, monthlyReportSourcesFromShop } from './monthly-report-renderer.ts';
import { lastMonth, ReportMonthSchema } from './report-month.ts';

export const REPORT_HELP = `usage: mamori report monthly [--month YYYY-MM] [--format html|pdf|json] [--locale ja|en] [--out FILE]

The monthly security report, every figure counted from what the shop recorded in the month
(SHOP_TIME_ZONE): what runs, known vulnerabilities, external scans, integrity and page watch,
back-office access, payments, the card-data check, the audit chain, incidents.

  --month YYYY-MM    the month (default: last month in the shop's time zone)
  --format <f>       html (default), pdf (printed by Chromium, CHROMIUM_PATH) or json
  --locale <l>       ja (default) or en
  --out <file>       write to this file (default: standard output; pdf needs --out)
  -h, --help         this text

Exit codes: 0 written, 2 usage or could not build.
`;

const ArgsSchema = z.object({
  month: ReportMonthSchema.optional(),
  format: z.enum(['html', 'pdf', 'json']).default('html'),
  locale: z.enum(['ja', 'en']).default('ja'),
  out: z.string().min(1).optional(),
});

export interface ReportCliDeps {
  config(): ShopConfig;
  openDatabase(url: string): Promise<DatabaseHandle>;
  clock: Clock;
  out(text: string): void;
  err(text: string): void;
  writeFile(file: string, data: string | Buffer): void;
  projectRoot?: string;
  /** Replaces the live inventory of this machine (tests). */
  collectInventory?: () => Promise<Inventory>;
}

function defaultDeps(): ReportCliDeps {
  return {
    config: () => {
      const loaded = loadConfig();
      if (!loaded.ok) throw new Error(`invalid configuration: ${loaded.errors.join('; ')}`);
      return loaded.config;
    },
    openDatabase: async (url) => (await import('../db/database.ts')).openDatabase(url),
    clock: () => new Date(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    writeFile: (f, d) => writeFileSync(f, d),
  };
}

export async function run(args: string[], overrides: Partial<ReportCliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides };
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { month: { type: 'string' }, format: { type: 'string' }, locale: { type: 'string' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    deps.err(`mamori report: ${(err as Error).message}\n\n${REPORT_HELP}`);
    return 2;
  }
  if (values.help) { deps.out(REPORT_HELP); return 0; }
  if (positionals[0] !== 'monthly' || positionals.length !== 1) { deps.err(`mamori report: say which report: monthly\n\n${REPORT_HELP}`); return 2; }
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    deps.err(`mamori report: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    return 2;
  }
  const a = parsed.data;
  if (a.format === 'pdf' && !a.out) { deps.err('mamori report: --format pdf needs --out FILE\n'); return 2; }
  const config = deps.config();
  const month = a.month ?? lastMonth(deps.clock(), config.timeZone);
  const db = await deps.openDatabase(config.databaseUrl);
  try {
    const sources = monthlyReportSourcesFromShop({ config, db, clock: deps.clock }, deps.projectRoot ? { projectRoot: deps.projectRoot } : {});
    const renderer = createMonthlyReportRenderer(deps.collectInventory ? { ...sources, collectInventory: deps.collectInventory } : sources);
    const report = await renderer.render(month, { locale: a.locale });
    const data = a.format === 'pdf' ? await report.pdf() : a.format === 'json' ? report.json : report.html;
    if (a.out) {
      deps.writeFile(a.out, data);
      deps.err(`mamori report: ${month} (${a.locale}, ${a.format}) written to ${a.out}\n`);
    } else deps.out(data as string);
    return 0;
  } catch (err) {
    deps.err(`mamori report: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await db.close();
  }
}
