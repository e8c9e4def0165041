// `npm run bench -- shop`: the shop as `npm start` runs it (its own process, request logging on,
// the sandbox gateway beside it), driven by wrk (C, so the load generator does not cap itself),
// next to a bare node:http server answering the product page's bytes, measured in the same run.
// 3 s warm-up, then 8 s at 2 threads × 50 connections per endpoint (BENCH_SECONDS, BENCH_WARMUP).
// Checkout runs through the sandbox gateway and counts orders the gateway's notification paid.
// Prints ratio to bare, req/s and p99 per endpoint, the shop's resident memory at the end and
// its start-up time to first answer. Exits non-zero only on request errors, never on timing.
// DATABASE_URL=postgres://… runs the same against PostgreSQL. BENCH_GUARD_ROUNDS=0 skips the
// card-field guard on/off comparison at the end. Without wrk it falls back to autocannon and says so.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { loggerOptions } from '../src/http/logger.ts';
import { startShop } from '../src/start-shop.ts';
import { openDatabase } from '../src/db/database.ts';
import { TEST_CARDS } from '../paygate/test-cards.ts';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;
const THREADS = 2;
const PRODUCT = 'uji-matcha-latte';
const LUA = path.join(here, 'wrk', 'mamori.lua');

interface Result { rps: number; p99ms: number; errors: number; requests: number; cpuUsPerRequest?: number }

/** CPU time (user + system, µs) a process has used: on a shared machine a steadier cost figure than req/s. */
function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 1e6 / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let haveWrk = true;
async function detectWrk(): Promise<void> {
  try {
    await execFileAsync('wrk', ['--version']).catch((err: { stdout?: string }) => { if (!err.stdout?.includes('wrk')) throw err; });
  } catch {
    haveWrk = false;
    process.stdout.write('!! wrk not found: FALLING BACK TO AUTOCANNON (JavaScript on the same cores; it caps itself near 17k req/s, so ratios are understated)\n');
  }
}

/** One measured run: wrk with the Lua script (GET, or add-to-cart POSTs); autocannon without wrk. */
async function load(url: string, seconds: number, args: string[] = ['get']): Promise<Result> {
  if (haveWrk) {
    const { stdout } = await execFileAsync('wrk', [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', LUA, url, '--', ...args], { maxBuffer: 1 << 20 });
    const line = /WRK_JSON (\{.*\})/.exec(stdout)?.[1];
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const j = JSON.parse(line) as Record<string, number>;
    const errors = j.connect! + j.read! + j.write! + j.status! + j.timeout!;
    // Which kind: a non-2xx answer is the shop's doing, a timeout (wrk's 2 s) is slowness.
    if (errors) process.stdout.write(`  ${url} ${args.join(' ').slice(0, 20)}: errors connect ${j.connect} read ${j.read} write ${j.write} non-2xx/3xx ${j.status} timeout ${j.timeout}\n`);
    return { rps: j.requests! / (j.durationUs! / 1e6), p99ms: j.p99! / 1000, errors, requests: j.requests! };
  }
  const opts: autocannon.Options = { url, connections: CONNECTIONS, duration: seconds };
  if (args[0] === 'add') {
    const carts = readFileSync(args[1]!, 'utf8').trim().split('\n');
    const variants = args[2]!.split(',');
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    opts.requests = [{
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: `/api/store/carts/${pick(carts)}/items`, headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}` }, body: JSON.stringify({ variantId: Number(pick(variants)), quantity: 1 }) }),
    }];
  }
  const r = await autocannon(opts);
  return { rps: r.requests.average, p99ms: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, requests: r.requests.total };
}

async function measure(url: string, pid: number, args?: string[]): Promise<Result> {
  await load(url, WARMUP, args);
  const before = cpuUs(pid);
  const r = await load(url, DURATION, args);
  return { ...r, cpuUsPerRequest: (cpuUs(pid) - before) / r.requests };
}

// ---------- the shop as `npm start` runs it ----------

interface ShopProcess { child: ChildProcess; url: string; startupMs: number; logFile: string; logStart: number; stop(): Promise<void> }

function shopEnv(dataDir: string, port: number, paygatePort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), PAYGATE_PORT: String(paygatePort), LOG_LEVEL: 'info',
    // As behind a reverse proxy: per-client limits (cart 120/min, checkout 20/min) apply to each of
    // the many client addresses the load sends in X-Forwarded-For, so they run but do not refuse it.
    TRUST_PROXY: '127.0.0.1',
    // The sandbox gateway's card-testing limit (30 card submissions a minute per address; the bench
    // is one address to it) is the only limit switched off: it is the gateway's, not the shop's.
    PAYGATE_CARD_SUBMITS_PER_MINUTE: '0',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  };
}

/**
 * The ports are the shop's settings (publicUrl, payment.paygatePort): the restart must keep the
 * first start's, or the integrity watch rightly sees where customers pay changed and pauses
 * checkout, and the page watch sees a different way to payment.
 */
interface ShopPorts { port: number; paygatePort: number }

async function startShopProcess(dataDir: string, ports: ShopPorts): Promise<ShopProcess> {
  const { port, paygatePort } = ports;
  const logFile = path.join(dataDir, `shop-${port}.log`);
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const out = openSync(logFile, 'a');
  const started = performance.now();
  // Its own process group, so stopping it stops npm, the shop and the gateway it started.
  const child = spawn('npm', ['start', '--silent'], { cwd: repoRoot, env: shopEnv(dataDir, port, paygatePort), stdio: ['ignore', out, out], detached: true });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let startupMs = NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the shop exited while starting:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const r = await fetch(`${url}/`);
      await r.arrayBuffer();
      if (r.ok) { startupMs = performance.now() - started; break; }
    } catch { /* not listening yet */ }
    if (performance.now() - started > 120_000) throw new Error('the shop did not answer within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child, url, startupMs, logFile, logStart,
    async stop() {
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The shop's own node process under npm (the deepest one running src/main.ts or dist/main.js), its RSS in MB. */
function shopProcesses(rootPid: number): { shop: { pid: number; rss: number }[]; gateway: { pid: number; rss: number }[] } {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      return { pid: Number(pid), ppid, cmd, rss };
    } catch { return undefined; }
  }).filter((p) => p !== undefined);
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (tree.has(p.ppid) && !tree.has(p.pid)) { tree.add(p.pid); grew = true; }
  }
  const mine = procs.filter((p) => tree.has(p.pid));
  const isShop = (c: string) => /(src\/main\.ts|dist\/src\/main\.js|bin\/mamori-shop\.js)/.test(c) && !c.includes('paygate');
  const shops = mine.filter((p) => isShop(p.cmd) && !mine.some((q) => q.ppid === p.pid && isShop(q.cmd)));
  const gateways = mine.filter((p) => p.cmd.includes('paygate') && !mine.some((q) => q.ppid === p.pid && q.cmd.includes('paygate')));
  return { shop: shops, gateway: gateways };
}

function shopRssMb(rootPid: number): { shop: number; gateway: number } {
  const { shop, gateway } = shopProcesses(rootPid);
  return { shop: shop.reduce((a, p) => a + p.rss, 0), gateway: gateway.reduce((a, p) => a + p.rss, 0) };
}

/**
 * Resolves when the shop's log has its integrity job's "integrity: check done" line (the start-up
 * hash of the installation is over), watching the file rather than sleeping.
 */
async function untilIntegrityDone(logFile: string, fromByte: number): Promise<void> {
  const seen = () => readFileSync(logFile, 'utf8').slice(fromByte).includes('integrity: check done');
  if (seen()) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { watcher.close(); reject(new Error('the integrity check did not finish within 240 s')); }, 240_000);
    const check = () => { if (seen()) { clearTimeout(timer); watcher.close(); resolve(); } };
    const watcher = watch(logFile, check);
    check(); // the line may have landed before the watch began
  });
}

/**
 * Waits until the shop's start-up jobs (security check, external scan, page watch, integrity
 * manifest) are done: its process uses under 8% of a core for a whole second. Measuring while
 * they run measures them; stopping before they finish leaves e.g. an integrity key without its
 * manifest, which the next start rightly reports as tampering.
 */
async function untilQuiet(rootPid: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < 240; i++) {
    const pid = shopProcesses(rootPid).shop[0]?.pid;
    if (pid) {
      const a = cpuUs(pid);
      await new Promise((r) => setTimeout(r, 1000));
      if (cpuUs(pid) - a < 80_000) break;
    } else await new Promise((r) => setTimeout(r, 1000));
  }
  return (performance.now() - started) / 1000;
}

/** Stock raised (while the shop is stopped) so checkout measures ordering, not selling out. */
async function raiseStock(dataDir: string): Promise<number[]> {
  const loaded = loadConfig({ DATA_DIR: dataDir, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const db = openDatabase(loaded.config.databaseUrl);
  try {
    await db.db.updateTable('variants').set({ stock: 10_000_000 }).execute();
    const rows = await db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('p.status', '=', 'active').select('v.id').execute();
    return rows.map((r) => r.id);
  } finally {
    await db.close();
  }
}

// ---------- bare node:http, its own process ----------

async function startBare(bodyFile: string): Promise<{ url: string; pid: number; stop(): void }> {
  const port = await freePort();
  const code = `const b=require('fs').readFileSync(process.argv[1]);require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/html; charset=utf-8'});s.end(b)}).listen(${port},'127.0.0.1',()=>process.send('up'))`;
  const child = spawn(process.execPath, ['-e', code, bodyFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}

// ---------- checkout through the sandbox gateway ----------

const randomIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

async function json(res: Response): Promise<unknown> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${res.url}: ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

/** A customer's whole checkout: cart, line, order, the gateway's card page and form post (a published test card). */
async function placeAndPay(base: string, variantId: number, n: number): Promise<{ orderId: string; token: string; ip: string; checkoutMs: number }> {
  const ip = randomIp();
  const h = { 'content-type': 'application/json', 'x-forwarded-for': ip };
  const cart = await json(await fetch(`${base}/api/store/carts`, { method: 'POST', headers: { 'x-forwarded-for': ip } })) as { id: string };
  await json(await fetch(`${base}/api/store/carts/${cart.id}/items`, { method: 'POST', headers: h, body: JSON.stringify({ variantId, quantity: 1 }) }));
  const t0 = performance.now();
  const placed = await json(await fetch(`${base}/api/store/carts/${cart.id}/checkout`, {
    method: 'POST', headers: h,
    body: JSON.stringify({ email: `bench-${n}-${process.pid}@example.jp`, name: '山田 花子', phone: '090-1234-5678', shippingAddress: { country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' } }),
  })) as { orderId: string; accessToken: string; paymentUrl: string };
  const checkoutMs = performance.now() - t0;
  const page = await fetch(placed.paymentUrl);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!page.ok || !csrf) throw new Error(`payment page ${page.status}`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const card = [...TEST_CARDS].find(([, c]) => c.outcome === 'approve')![0];
  const paid = await fetch(placed.paymentUrl.split('?')[0]!, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, cardNumber: card, expiry: `12/${(new Date().getUTCFullYear() + 3) % 100}`, securityCode: '123', cardholderName: 'HANAKO YAMADA' }).toString(),
  });
  await paid.arrayBuffer();
  if (paid.status !== 303) throw new Error(`card post answered ${paid.status}`);
  return { orderId: placed.orderId, token: placed.accessToken, ip, checkoutMs };
}

async function benchCheckout(base: string, variantIds: number[]): Promise<{ ordersPerSecond: number; paid: number; placed: number; p99CheckoutMs: number; p99OrderMs: number; errors: number }> {
  const concurrency = 10;
  const placed: { orderId: string; token: string; ip: string }[] = [];
  const checkoutMs: number[] = [];
  const orderMs: number[] = [];
  let errors = 0;
  let n = 0;
  let firstError: unknown;
  const started = performance.now();
  const until = started + DURATION * 1000;
  // The card-testing guard allows 1000 payment attempts an hour in all: stay below it.
  const worker = async () => {
    while (performance.now() < until && n < 900) {
      const t = performance.now();
      try {
        const r = await placeAndPay(base, variantIds[n % variantIds.length]!, n++);
        placed.push(r); checkoutMs.push(r.checkoutMs); orderMs.push(performance.now() - t);
      } catch (err) { errors++; firstError ??= err; }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  if (firstError) process.stdout.write(`checkout: first error: ${String(firstError)}\n`);
  // Paid by the gateway's signed notification (not by the return URL, which the bench never follows).
  let paid = 0;
  const deadline = performance.now() + 30_000;
  const pending = new Set(placed);
  while (pending.size && performance.now() < deadline) {
    for (const o of [...pending]) {
      const res = await fetch(`${base}/api/store/orders/${o.orderId}?token=${o.token}`, { headers: { 'x-forwarded-for': o.ip } });
      // The order lookup is rate-limited per address (it guards the access token): a 429 is "ask again later".
      if (res.status === 429) { await res.body?.cancel(); continue; }
      const s = await json(res) as { status: string };
      if (s.status === 'paid') { paid++; pending.delete(o); }
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 1000));
  }
  const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? NaN;
  return { ordersPerSecond: paid / elapsed, paid, placed: placed.length, p99CheckoutMs: p99(checkoutMs), p99OrderMs: p99(orderMs), errors: errors + pending.size };
}

// ---------- the run ----------

async function main() {
  await detectWrk();
  const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-'));
  let failed = 0;
  try {
    // First start on an empty data directory: migrations and the demo catalog are part of it.
    const ports: ShopPorts = { port: await freePort(), paygatePort: await freePort() };
    const first = await startShopProcess(dataDir, ports);
    await untilIntegrityDone(first.logFile, first.logStart);
    const firstQuiet = await untilQuiet(first.child.pid!);
    await first.stop();
    const variantIds = await raiseStock(dataDir);
    const shop = await startShopProcess(dataDir, ports);
    try {
      await untilIntegrityDone(shop.logFile, shop.logStart);
      const quiet = await untilQuiet(shop.child.pid!);
      process.stdout.write(`start-up jobs done ${firstQuiet.toFixed(0)} s after the first start's first answer, ${quiet.toFixed(0)} s after the restart's\n`);
      const productPage = await (await fetch(`${shop.url}/products/${PRODUCT}`)).text();
      const bodyFile = path.join(dataDir, 'product.html');
      writeFileSync(bodyFile, productPage);
      const bare = await startBare(bodyFile);

      const carts: string[] = [];
      for (let i = 0; i < 4000; i++) {
        carts.push(((await json(await fetch(`${shop.url}/api/store/carts`, { method: 'POST', headers: { 'x-forwarded-for': randomIp() } }))) as { id: string }).id);
      }
      const cartsFile = path.join(dataDir, 'carts.txt');
      writeFileSync(cartsFile, carts.join('\n') + '\n');

      const shopPid = shopProcesses(shop.child.pid!).shop[0]?.pid;
      if (!shopPid) throw new Error('could not find the shop process under npm start');
      const bareBefore = await measure(bare.url, bare.pid);
      const rows: { name: string; r: Result }[] = [];
      rows.push({ name: `product page   GET /products/${PRODUCT}`, r: await measure(`${shop.url}/products/${PRODUCT}`, shopPid) });
      rows.push({ name: 'catalog page   GET /', r: await measure(`${shop.url}/`, shopPid) });
      rows.push({ name: 'API            GET /api/store/products', r: await measure(`${shop.url}/api/store/products`, shopPid) });
      rows.push({ name: `API            GET /api/store/products/${PRODUCT}`, r: await measure(`${shop.url}/api/store/products/${PRODUCT}`, shopPid) });
      rows.push({ name: 'add to cart    POST /api/store/carts/:id/items', r: await measure(shop.url, shopPid, ['add', cartsFile, variantIds.join(',')]) });
      const bareAfter = await measure(bare.url, bare.pid);
      bare.stop();
      const checkout = await benchCheckout(shop.url, variantIds);
      // Refused checkouts are almost always a pause the shop rightly raised: say which watch and why
      // (the integrity watch pauses when the installation changed between the two starts, e.g. a
      // file edited or a test run writing into the shared tree while the bench ran).
      if (checkout.errors) {
        const loaded = loadConfig({ DATA_DIR: dataDir, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
        if (loaded.ok) {
          const db = openDatabase(loaded.config.databaseUrl);
          try {
            const pauses = await db.db.selectFrom('shop_pauses' as never).selectAll().execute() as { scope: string; reason: string }[];
            for (const p of pauses) process.stdout.write(`checkout: paused (${p.scope}): ${p.reason}\n`);
            const found = await db.db.selectFrom('watch_results' as never).selectAll().where('outcome' as never, '=', 'findings' as never).orderBy('id' as never, 'desc').limit(3).execute() as { watcher: string; summary: string }[];
            for (const w of found) process.stdout.write(`checkout: ${w.watcher} watch: ${w.summary.slice(0, 600)}\n`);
          } catch (err) {
            process.stdout.write(`checkout: could not read the pauses: ${String(err)}\n`);
          } finally {
            await db.close();
          }
        }
      }
      const rss = shopRssMb(shop.child.pid!);
      const log = readFileSync(shop.logFile, 'utf8').split('\n');
      const logLines = log.filter((l) => l.includes('"request completed"')).length;
      // Anything the shop logged as an error or worse (a pause raised during the run explains 503s).
      for (const l of log.filter((l) => /"level":(50|60)/.test(l)).slice(0, 3)) process.stdout.write(`shop log: ${l.slice(0, 400)}\n`);

      const bareRps = (bareBefore.rps + bareAfter.rps) / 2;
      const goals: Record<number, { ratio: number; p99: number }> = { 0: { ratio: 0.5, p99: 20 }, 1: { ratio: 0.5, p99: 20 }, 2: { ratio: 0.4, p99: 25 }, 3: { ratio: 0.5, p99: 20 }, 4: { ratio: 0.25, p99: 20 } };
      const out = process.stdout;
      out.write(`\n${haveWrk ? 'wrk' : 'AUTOCANNON (fallback, wrk missing)'} -t${THREADS} -c${CONNECTIONS}, ${WARMUP}s warm-up + ${DURATION}s each; Node ${process.version}; ${engine}; shop via \`npm start\` (${statSync(path.join(repoRoot, 'dist', 'build.json'), { throwIfNoEntry: false }) ? 'dist/ if current' : 'tsx'}), request log on (${logLines} lines)\n`);
      out.write(`bare node:http, same bytes (${productPage.length} B): ${bareBefore.rps.toFixed(0)} req/s before, ${bareAfter.rps.toFixed(0)} after, p99 ${bareBefore.p99ms.toFixed(1)}/${bareAfter.p99ms.toFixed(1)} ms; ratios use the mean ${bareRps.toFixed(0)}\n\n`);
      const bareCpu = ((bareBefore.cpuUsPerRequest ?? NaN) + (bareAfter.cpuUsPerRequest ?? NaN)) / 2;
      out.write(`bare CPU per request ${bareCpu.toFixed(1)} µs. "cpu ratio" = bare's CPU µs/request ÷ the endpoint's: what the ratio would be on an idle machine, steadier than req/s on a shared one\n\n`);
      out.write(`${'endpoint'.padEnd(54)} ${'ratio'.padStart(6)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)} ${'µs CPU'.padStart(7)} ${'cpu ratio'.padStart(9)} ${'errors'.padStart(7)}  goal (ratio, p99)\n`);
      rows.forEach((row, i) => {
        const ratio = row.r.rps / bareRps;
        const g = goals[i]!;
        const cpu = row.r.cpuUsPerRequest ?? NaN;
        out.write(`${row.name.padEnd(54)} ${ratio.toFixed(3).padStart(6)} ${row.r.rps.toFixed(0).padStart(8)} ${row.r.p99ms.toFixed(1).padStart(7)} ${cpu.toFixed(0).padStart(7)} ${(bareCpu / cpu).toFixed(3).padStart(9)} ${String(row.r.errors).padStart(7)}  ≥ ${g.ratio}, < ${g.p99} ms: ${ratio >= g.ratio && row.r.p99ms < g.p99 ? 'met' : 'NOT met'}\n`);
        failed += row.r.errors;
      });
      out.write(`${'checkout (sandbox gateway, paid by notification)'.padEnd(54)} ${''.padStart(6)} ${checkout.ordersPerSecond.toFixed(1).padStart(8)} ${checkout.p99CheckoutMs.toFixed(1).padStart(7)} ${''.padStart(7)} ${''.padStart(9)} ${String(checkout.errors).padStart(7)}  orders/s; p99 of the checkout call; whole order p99 ${checkout.p99OrderMs.toFixed(0)} ms (${checkout.paid}/${checkout.placed} paid, 10 customers at once)\n`);
      failed += checkout.errors;
      out.write(`\nresident memory at the end: shop ${rss.shop.toFixed(0)} MB (goal < 200: ${rss.shop < 200 ? 'met' : 'NOT met'}), sandbox gateway ${rss.gateway.toFixed(0)} MB\n`);
      out.write(`start-up to first answer (GET /): first start ${first.startupMs.toFixed(0)} ms (migrations + demo catalog), restart ${shop.startupMs.toFixed(0)} ms (goal < 1500: ${shop.startupMs < 1500 && first.startupMs < 1500 ? 'met' : 'NOT met'})\n`);
    } finally {
      await shop.stop();
    }
    if (Number(process.env.BENCH_GUARD_ROUNDS ?? 6) > 0) await compareCardFieldGuard(`/products/${PRODUCT}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) {
    process.stderr.write(`bench: ${failed} request errors\n`);
    process.exitCode = 1;
  }
}

const GUARD_ROUNDS = Number(process.env.BENCH_GUARD_ROUNDS ?? 6);
const GUARD_SECONDS = Number(process.env.BENCH_GUARD_SECONDS ?? 4);

/** One wrk run (async: the shops answer in this process, so the event loop must stay free). */
async function wrk(url: string, seconds: number): Promise<{ rps: number; p99ms: number; non2xx: number; cpuUsPerRequest: number }> {
  const cpuBefore = process.cpuUsage();
  const { stdout } = await execFileAsync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url]);
  const cpu = process.cpuUsage(cpuBefore);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(stdout);
  const p99ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  // CPU this process (the shop answering) spent per request: far less disturbed by other load on
  // a shared machine than req/s is.
  return { rps, p99ms, non2xx, cpuUsPerRequest: (cpu.user + cpu.system) / requests };
}

/**
 * The card-field guard's budget: at most 5% of the product page's req/s. Two in-process shops
 * alike in everything but the guard (a startShop option only benchmarks pass, never a setting),
 * measured alternately so drift on a shared machine hits both alike.
 */
async function compareCardFieldGuard(productPath: string): Promise<void> {
  if (!haveWrk) {
    process.stdout.write('\ncard-field guard on/off: skipped (wrk not installed)\n');
    return;
  }
  const logger = pino(loggerOptions('info'), pino.destination('/dev/null'));
  const start = async (guard: boolean) => {
    const dir = mkdtempSync(path.join(tmpdir(), `mamori-bench-guard-${guard ? 'on' : 'off'}-`));
    const loaded = loadConfig({ DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' });
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const running = await startShop({ config: loaded.config, logger, rateLimits: { cart: 1e9, checkout: 1e9, lookup: 1e9, notifications: 1e9 }, ...(guard ? {} : { outgoingCardFieldGuard: false }) });
    return { running, dir };
  };
  const guarded = await start(true);
  const unguarded = await start(false);
  const guardedUrl = guarded.running.url + productPath;
  const unguardedUrl = unguarded.running.url + productPath;
  try {
    await wrk(unguardedUrl, 2);
    await wrk(guardedUrl, 2);
    const on: number[] = [];
    const off: number[] = [];
    const p99: { on: number[]; off: number[] } = { on: [], off: [] };
    const cpu: { on: number[]; off: number[] } = { on: [], off: [] };
    let non2xx = 0;
    for (let i = 0; i < GUARD_ROUNDS; i++) {
      // Alternating which goes first, so neither always runs in the other's wake.
      const [a, b] = i % 2 === 0
        ? [await wrk(guardedUrl, GUARD_SECONDS), await wrk(unguardedUrl, GUARD_SECONDS)]
        : await wrk(unguardedUrl, GUARD_SECONDS).then(async (off) => [await wrk(guardedUrl, GUARD_SECONDS), off] as const);
      on.push(a.rps); off.push(b.rps); p99.on.push(a.p99ms); p99.off.push(b.p99ms); cpu.on.push(a.cpuUsPerRequest); cpu.off.push(b.cpuUsPerRequest);
      non2xx += a.non2xx + b.non2xx;
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratio = median(on) / median(off);
    process.stdout.write(`\nproduct page, outgoing-HTML card-field guard on vs off (in-process shops, wrk -t2 -c${CONNECTIONS}, ${GUARD_ROUNDS} alternating rounds of ${GUARD_SECONDS}s each, medians)\n`);
    process.stdout.write(`  guard on   ${median(on).toFixed(0).padStart(8)} req/s  p99 ${median(p99.on).toFixed(1)} ms  ${median(cpu.on).toFixed(0)} µs CPU/request   req/s rounds: ${on.map((x) => x.toFixed(0)).join(', ')}\n`);
    process.stdout.write(`  guard off  ${median(off).toFixed(0).padStart(8)} req/s  p99 ${median(p99.off).toFixed(1)} ms  ${median(cpu.off).toFixed(0)} µs CPU/request   req/s rounds: ${off.map((x) => x.toFixed(0)).join(', ')}\n`);
    const cpuRatio = median(cpu.off) / median(cpu.on);
    process.stdout.write(`  on/off req/s ${(ratio * 100).toFixed(1)}%; by CPU per request (off/on) ${(cpuRatio * 100).toFixed(1)}% (goal ≥ 95%: ${cpuRatio >= 0.95 ? 'met' : 'NOT met'} by CPU, ${ratio >= 0.95 ? 'met' : 'NOT met'} by req/s)${non2xx ? `; ${non2xx} non-2xx answers` : ''}\n`);
  } finally {
    for (const shop of [guarded, unguarded]) {
      await shop.running.close();
      rmSync(shop.dir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
