// `mamori page-watch check [--url URL] [--format table|json]` and `mamori page-watch approve [--url URL]`
// Exit codes (external checks rely on them): 0 the way to payment matches the baseline (or this walk
// became the first, trust-on-first-use baseline), 1 differences listed, 2 could not check (usage,
// unreachable shop, database).
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadConfig } from '../config/config.ts';
import { approveBaseline, currentBaseline } from './baseline.ts';
import { checkPaymentPages, type CheckOutcome } from './check-payment-pages.ts';
import { compareToBaseline, describeDifference, type Difference } from './compare.ts';
import type { PaymentPageWalk } from './check-payment-pages.ts';
import { walkToPayment, type PageFetch } from './walk-to-payment.ts';

export const PAGE_WATCH_HELP = `usage: mamori page-watch check [--url <url>] [--format table|json] [--level http|browser]
       mamori page-watch approve [--url <url>] [--level http|browser]

Walks the shop's way to payment over HTTP (catalog → product → add to cart → cart → checkout page;
a dry run: no order is placed and the cart line is removed again) and compares every page's
scripts, stylesheets, forms, card-looking fields, payment origin and security headers with the
approved baseline (PCI DSS v4.0.1 6.4.3 / 11.6.1).

  check           compare with the baseline; with none yet, this walk becomes the trust-on-first-use baseline
  approve         store the current walk as the approved baseline (audit log actor: cli)
  --url <url>     the shop's public URL (default PUBLIC_URL)
  --format <f>    table (default) or json
  --level <l>     http (default) or browser: headless Chromium, which also sees what scripts do at run
                  time; a baseline is compared only with walks of its own level
  --chromium <p>  the Chromium binary for --level browser (default /usr/bin/chromium)
  -h, --help      this text

Exit codes: 0 matches the baseline, 1 differences listed, 2 could not check.
`;

const ArgsSchema = z.object({
  command: z.enum(['check', 'approve']),
  url: z.url({ protocol: /^https?$/ }).optional(),
  format: z.enum(['table', 'json']).default('table'),
  level: z.enum(['http', 'browser']).default('http'),
  chromium: z.string().min(1).default('/usr/bin/chromium'),
});

export interface PageWatchCliDeps {
  fetch: PageFetch;
  /** The database and how to close it; default the shop's DATABASE_URL. */
  openDb: () => Promise<{ db: Kysely<any>; close(): Promise<void> }>;
  defaultUrl: () => string;
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => Date;
}

function defaultDeps(): PageWatchCliDeps {
  const config = () => {
    const loaded = loadConfig();
    if (!loaded.ok) throw new Error(`invalid configuration: ${loaded.errors.join('; ')}`);
    return loaded.config;
  };
  return {
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(15_000) }),
    openDb: async () => {
      const { openDatabase } = await import('../db/database.ts');
      return openDatabase(config().databaseUrl);
    },
    defaultUrl: () => config().publicUrl,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    clock: () => new Date(),
  };
}

function table(differences: Difference[]): string {
  const width = Math.max(4, ...differences.map((d) => d.page.length));
  return differences.map((d) => `${d.page.padEnd(width)}  ${d.type.padEnd(22)}  ${describeDifference(d)}`).join('\n') + '\n';
}

function jsonOf(result: CheckOutcome): string {
  const base = { outcome: result.outcome, level: result.level, runId: result.runId };
  if (result.outcome === 'failed') return JSON.stringify({ ...base, error: result.error, step: result.step, detail: result.detail }, null, 2) + '\n';
  return JSON.stringify({
    ...base,
    baseline: { id: result.baseline.id, status: result.baseline.status, approvedBy: result.baseline.approvedBy, approvedAt: result.baseline.approvedAt },
    differences: result.outcome === 'differences' ? result.differences : [],
  }, null, 2) + '\n';
}

export async function run(args: string[], overrides: Partial<PageWatchCliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' }, format: { type: 'string' }, level: { type: 'string' }, chromium: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    deps.err(`mamori page-watch: ${err instanceof Error ? err.message : String(err)}\n\n${PAGE_WATCH_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    deps.out(PAGE_WATCH_HELP);
    return 0;
  }
  const checked = ArgsSchema.safeParse({ command: parsed.positionals[0], url: parsed.values.url, format: parsed.values.format, level: parsed.values.level, chromium: parsed.values.chromium });
  if (!checked.success || parsed.positionals.length !== 1) {
    const why = checked.success ? 'one command: check or approve' : checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    deps.err(`mamori page-watch: ${why}\n\n${PAGE_WATCH_HELP}`);
    return 2;
  }
  const { command, format } = checked.data;

  let handle: Awaited<ReturnType<PageWatchCliDeps['openDb']>>;
  let baseUrl: string;
  try {
    baseUrl = checked.data.url ?? deps.defaultUrl();
    handle = await deps.openDb();
  } catch (err) {
    deps.err(`mamori page-watch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    // The tables come with the shop's migrations; a CLI does not migrate a database behind the shop's back.
    try {
      await currentBaseline(handle.db);
    } catch (err) {
      deps.err(`mamori page-watch: cannot read the page-watch tables (has the shop run its migrations?): ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const walk: PaymentPageWalk = checked.data.level === 'browser'
      ? { level: 'browser', run: async () => (await import('./walk-in-browser.ts')).walkInBrowser({ baseUrl, executablePath: checked.data.chromium }) }
      : { baseUrl, fetch: deps.fetch };
    if (command === 'approve') return await approve(handle.db, walk, deps);

    const result = await checkPaymentPages(handle.db, walk, deps.clock);
    if (format === 'json') deps.out(jsonOf(result));
    switch (result.outcome) {
      case 'failed':
        if (format === 'table') deps.err(`mamori page-watch: could not check (${result.level}): ${result.error} at ${result.step}: ${result.detail}\n`);
        return 2;
      case 'baseline-recorded':
        if (format === 'table') deps.out(`No baseline yet: this walk (${result.baseline.snapshots.map((s) => s.page).join(', ')}) is now the trust-on-first-use baseline #${result.baseline.id}.\nReview it and run \`mamori page-watch approve\` to approve it.\n`);
        return 0;
      case 'match':
        if (format === 'table') deps.out(`The way to payment matches baseline #${result.baseline.id} (${result.baseline.status}${result.baseline.approvedBy ? `, approved by ${result.baseline.approvedBy} at ${result.baseline.approvedAt}` : ''}); level ${result.level}.\n`);
        return 0;
      case 'differences':
        if (format === 'table') deps.out(`${result.differences.length} difference${result.differences.length === 1 ? '' : 's'} from baseline #${result.baseline.id} (${result.baseline.status}); level ${result.level}:\n${table(result.differences)}`);
        return 1;
    }
  } finally {
    await handle.close();
  }
}

async function approve(db: Kysely<any>, how: PaymentPageWalk, deps: PageWatchCliDeps): Promise<number> {
  const walk = 'run' in how ? await how.run() : await walkToPayment(how);
  if (!walk.ok) {
    deps.err(`mamori page-watch: could not walk the shop (${walk.level}): ${walk.error} at ${walk.step}: ${walk.detail}\n`);
    return 2;
  }
  const previous = await currentBaseline(db);
  const baseline = await approveBaseline(db, walk.snapshots, 'cli', { now: deps.clock(), level: walk.level });
  const changes = previous ? compareToBaseline(previous.snapshots, walk.snapshots) : [];
  deps.out(`Approved baseline #${baseline.id} (${walk.snapshots.map((s) => s.page).join(', ')}) as cli at ${baseline.approvedAt}.\n`);
  if (changes.length > 0) deps.out(`It differs from the baseline it replaces (#${previous!.id}):\n${table(changes)}`);
  return 0;
}
