// `npm run bench -- shop`: the shop on SQLite with the demo catalog, driven by autocannon at
// 50 connections, next to a bare node:http server answering the same bytes as the product
// page, measured in the same run. Prints req/s, p99 and the ratio to the bare server.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { loggerOptions } from '../src/http/logger.ts';
import { startShop } from '../src/start-shop.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

interface Row { name: string; rps: number; p99: number; errors: number; non2xx: number }

async function run(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { name, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  // Production-like: request logging on (JSON, redacted), written to /dev/null.
  const logger = pino(loggerOptions('info'), pino.destination('/dev/null'));
  // Rate limits raised so the limiter runs (its cost is measured) but does not refuse the load.
  const shop = await startShop({ config: loaded.config, logger, rateLimits: { cart: 1e9, checkout: 1e9, lookup: 1e9, notifications: 1e9 } });
  const base = shop.url;

  const productPath = '/products/uji-matcha-latte';
  const productPage = await (await fetch(base + productPath)).text();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(productPage);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

  // Many carts, so add-to-cart measures adding, not the per-line quantity cap.
  const variantId = 1;
  await shop.db.db.updateTable('variants').set({ stock: 10_000_000 }).where('id', '=', variantId).execute();
  const carts: string[] = [];
  for (let i = 0; i < 3000; i++) {
    carts.push(((await (await fetch(`${base}/api/store/carts`, { method: 'POST' })).json()) as { id: string }).id);
  }
  let next = 0;

  process.stdout.write(`warming up…\n`);
  await autocannon({ url: base + productPath, connections: 10, duration: 2 });

  const rows: Row[] = [];
  rows.push(await run('bare node:http (product bytes)', { url: bareUrl }));
  rows.push(await run('catalog page  GET /', { url: `${base}/` }));
  rows.push(await run(`product page  GET ${productPath}`, { url: base + productPath }));
  rows.push(await run('API           GET /api/store/products', { url: `${base}/api/store/products` }));
  rows.push(await run('add to cart   POST /api/store/carts/:id/items', {
    url: base,
    requests: [{
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: `/api/store/carts/${carts[next++ % carts.length]}/items`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variantId, quantity: 1 }) }),
    }],
  }));

  const baseline = rows[0]!.rps;
  process.stdout.write(`\n${CONNECTIONS} connections, ${DURATION}s each, Node ${process.version}, SQLite\n\n`);
  process.stdout.write(`${'endpoint'.padEnd(48)} ${'req/s'.padStart(9)} ${'p99 ms'.padStart(7)} ${'vs bare'.padStart(8)} ${'non-2xx'.padStart(8)}\n`);
  for (const r of rows) {
    process.stdout.write(`${r.name.padEnd(48)} ${r.rps.toFixed(0).padStart(9)} ${String(r.p99).padStart(7)} ${((r.rps / baseline) * 100).toFixed(1).padStart(7)}% ${String(r.non2xx + r.errors).padStart(8)}\n`);
  }
  const product = rows[2]!;
  process.stdout.write(`\nproduct page goal: ≥ 50% of bare req/s and p99 < 50 ms → ${(product.rps / baseline * 100).toFixed(1)}%, p99 ${product.p99} ms: ${product.rps / baseline >= 0.5 && product.p99 < 50 ? 'met' : 'NOT met'}\n`);

  bare.close();
  await shop.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
