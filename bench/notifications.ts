// `npm run bench -- notifications`: how many signed payment notifications per second the shop
// verifies and records (SQLite). Three runs in one process tree: first-time settlements (each
// pays an order), replays of already-seen events (idempotency path), and a bare node:http
// server that only checks the same HMAC, as the baseline.
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
import { verifyEventSignature, SIGNED_EVENT_HEADERS } from '../platform/hmac-event-signing.ts';
import { ScriptedGateway } from '../test/support/scripted-gateway.ts';
import { checkoutThroughStoreApi, paymentTransactionOf } from '../test/support/store-api-checkout.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 3000);
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-n-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const gateway = new ScriptedGateway();
  const shop = await startShop({
    config: loaded.config, logger: pino(loggerOptions('info'), pino.destination('/dev/null')), payments: gateway, reconcileAtStart: false,
    rateLimits: { cart: 1e9, checkout: 1e9, lookup: 1e9, notifications: 1e9 }, velocityLimits: { perOrder: 1e9, perEmail: 1e9, perIp: 1e9, overall: 1e9 },
  });
  await shop.db.db.updateTable('variants').set({ stock: 10_000_000 }).execute();
  process.stdout.write(`placing ${ORDERS} orders…\n`);
  const customer = { email: 'bench@example.jp', name: 'Bench', phone: '090-1234-5678', shippingAddress: { country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '1-1' } };
  const notifications: { body: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const placed = await checkoutThroughStoreApi(shop, { customer });
    const tx = await paymentTransactionOf(shop.db.db, placed.orderId);
    notifications.push(gateway.notification(gateway.set(tx, 'captured')));
  }

  const url = `${shop.url}/payments/sandbox/notifications`;
  // 1. First-time settlements: every notification pays a different order.
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < notifications.length) {
      const n = notifications[next++]!;
      const r = await fetch(url, { method: 'POST', headers: n.headers, body: n.body });
      if (!r.ok) throw new Error(`notification refused: ${r.status}`);
      await r.arrayBuffer();
    }
  }));
  const settleSeconds = (performance.now() - started) / 1000;
  const paid = await shop.db.db.selectFrom('orders').where('status', '=', 'paid').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  // 2. Replays (already-processed event ids): the idempotency path, under autocannon.
  let k = 0;
  const replay = await autocannon({
    url, connections: CONNECTIONS, duration: DURATION,
    requests: [{ method: 'POST', setupRequest: (req) => { const n = notifications[k++ % notifications.length]!; return { ...req, headers: n.headers, body: n.body }; } }],
  });

  // 3. Baseline: a bare server that only checks the HMAC of the same requests.
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = (name: string) => String(req.headers[name] ?? '');
      const ok = verifyEventSignature({ secret: gateway.secret, timestamp: h(SIGNED_EVENT_HEADERS.timestamp), eventId: h(SIGNED_EVENT_HEADERS.eventId), signature: h(SIGNED_EVENT_HEADERS.signature), body: Buffer.concat(chunks), now: new Date() });
      res.writeHead(ok.ok ? 200 : 400, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  k = 0;
  const baseline = await autocannon({
    url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, connections: CONNECTIONS, duration: DURATION,
    requests: [{ method: 'POST', setupRequest: (req) => { const n = notifications[k++ % notifications.length]!; return { ...req, headers: n.headers, body: n.body }; } }],
  });

  const settleRate = ORDERS / settleSeconds;
  process.stdout.write(`\nSQLite, Node ${process.version}, ${CONNECTIONS} concurrent senders\n\n`);
  process.stdout.write(`bare HMAC check (node:http)          ${baseline.requests.average.toFixed(0).padStart(7)} req/s  p99 ${baseline.latency.p99} ms\n`);
  process.stdout.write(`first-time settlements (pay order)   ${settleRate.toFixed(0).padStart(7)} /s     ${(settleRate / baseline.requests.average * 100).toFixed(1)}% of bare; ${Number(paid.n)} of ${ORDERS} orders paid\n`);
  process.stdout.write(`replayed events (idempotent no-op)   ${replay.requests.average.toFixed(0).padStart(7)} req/s  p99 ${replay.latency.p99} ms  ${(replay.requests.average / baseline.requests.average * 100).toFixed(1)}% of bare; non-2xx ${replay.non2xx}\n`);

  bare.close();
  await shop.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
