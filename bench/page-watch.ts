// `npm run bench -- page-watch`: one page-monitor pass (walk to the checkout page, compare with
// the baseline, record the run) at both levels, against a shop on SQLite in this process. Prints
// the median wall time and memory of a few passes: this process's RSS and heap growth over the
// pass, and at the browser level the peak memory (PSS) of the Chromium processes (all descendants
// of this process, sampled every 25 ms), which is most of that level's cost.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { startShop } from '../src/start-shop.ts';
import { checkPaymentPages, type PaymentPageWalk } from '../src/page-watch/check-payment-pages.ts';
import { walkInBrowser } from '../src/page-watch/walk-in-browser.ts';

const PASSES = Number(process.env.BENCH_PASSES ?? 5);
const BROWSER_PASSES = Number(process.env.BENCH_BROWSER_PASSES ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Memory (bytes) of every live descendant of `root`, from /proc (Linux): PSS where the kernel
 * offers smaps_rollup (shared pages counted once across Chromium's processes), else RSS.
 */
function descendantRss(root: number): number {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    let p: number | undefined = parent.get(pid);
    while (p !== undefined && p !== 0 && p !== root) p = parent.get(p);
    if (p !== root) continue;
    try {
      const pss = existsSync(`/proc/${pid}/smaps_rollup`) ? /\nPss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] : undefined;
      const kb = pss ?? /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch { /* gone meanwhile */ }
  }
  return total;
}

interface Pass { ms: number; rssDelta: number; heapDelta: number; childPeak: number; outcome: string }

async function onePass(db: Parameters<typeof checkPaymentPages>[0], walk: PaymentPageWalk): Promise<Pass> {
  global.gc?.();
  const before = process.memoryUsage();
  let childPeak = 0;
  const sampler = setInterval(() => { childPeak = Math.max(childPeak, descendantRss(process.pid)); }, 25);
  const t0 = performance.now();
  const outcome = await checkPaymentPages(db, walk);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const after = process.memoryUsage();
  return { ms, rssDelta: after.rss - before.rss, heapDelta: after.heapUsed - before.heapUsed, childPeak, outcome: outcome.outcome };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-pw-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const shop = await startShop({ config: loaded.config, logger: false, rateLimits: { cart: 1e9, checkout: 1e9, lookup: 1e9, notifications: 1e9 } });
  const baseUrl = shop.url.replace(/\/$/, '');
  const db = shop.db.db;
  const rows: { level: string; passes: Pass[] }[] = [];
  try {
    const levels: { level: string; walk: PaymentPageWalk; n: number }[] = [{ level: 'http', walk: { baseUrl, fetch: (u, init) => fetch(u, init) }, n: PASSES }];
    if (existsSync(CHROMIUM)) levels.push({ level: 'browser', walk: { level: 'browser', run: () => walkInBrowser({ baseUrl, executablePath: CHROMIUM }) }, n: BROWSER_PASSES });
    else process.stdout.write(`browser level skipped: ${CHROMIUM} not found\n`);
    for (const { level, walk, n } of levels) {
      // A baseline is compared only with walks of its level: start each level from none.
      await db.deleteFrom('page_watch_baselines' as never).execute();
      const first = await onePass(db, walk); // records the trust-on-first-use baseline; a warm-up
      if (first.outcome !== 'baseline-recorded') throw new Error(`${level}: first pass ${first.outcome}`);
      const passes: Pass[] = [];
      for (let i = 0; i < n; i++) {
        const p = await onePass(db, walk);
        if (p.outcome !== 'match') throw new Error(`${level}: pass ${i} ${p.outcome}`);
        passes.push(p);
      }
      rows.push({ level, passes });
    }
  } finally {
    await shop.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`\none page-watch pass (walk catalog → product → cart → checkout, compare, record), Node ${process.version}, SQLite, medians\n\n`);
  process.stdout.write(`${'level'.padEnd(8)} ${'passes'.padStart(6)} ${'wall ms'.padStart(9)} ${'RSS Δ MB'.padStart(9)} ${'heap Δ MB'.padStart(10)} ${'Chromium peak PSS MB'.padStart(21)}   wall ms per pass\n`);
  for (const r of rows) {
    const chromium = r.level === 'browser' ? mb(median(r.passes.map((p) => p.childPeak))) : '—';
    process.stdout.write(`${r.level.padEnd(8)} ${String(r.passes.length).padStart(6)} ${median(r.passes.map((p) => p.ms)).toFixed(0).padStart(9)} ${mb(median(r.passes.map((p) => p.rssDelta))).padStart(9)} ${mb(median(r.passes.map((p) => p.heapDelta))).padStart(10)} ${chromium.padStart(21)}   ${r.passes.map((p) => p.ms.toFixed(0)).join(', ')}\n`);
  }
  if (rows.length === 2) process.stdout.write(`\nbrowser / http wall time: ${(median(rows[1]!.passes.map((p) => p.ms)) / median(rows[0]!.passes.map((p) => p.ms))).toFixed(1)}×\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
