// `npm run bench -- incident-scope`: the incident scope on a shop with a million orders (SQLite).
// Generates BENCH_SCOPE_ORDERS orders (default 1,000,000), each with one payment attempt and 90%
// paid, spread over a year; then times, for a three-month period, the count (one aggregate on the
// covering index) and the full gateway export (keyset pages streamed to CSV), with the process's
// peak memory after each. Baseline, in the same run and last (it is the one that needs memory):
// loading the whole period's rows at once and building the CSV in memory, as a naive export would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { countScope, scopeRows, type ScopeQuery } from '../src/incident-scope/incident-scope.ts';
import { scopeExportCsv, scopeExportRecord, SCOPE_EXPORT_COLUMNS } from '../src/incident-scope/scope-export.ts';
import { csvCell } from '../src/admin/orders-admin.ts';

const ORDERS = Number(process.env.BENCH_SCOPE_ORDERS ?? 1_000_000);
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const STEP_MS = Math.floor((365 * 24 * 3600 * 1000) / ORDERS);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-scope-'));
  const file = path.join(dir, 'shop.sqlite');
  try {
    const handle = openDatabase(file);
    await migrateToLatest(handle.db);
    await handle.close();

    // Generated in SQL (a recursive CTE) rather than through Kysely: a million inserts from JS would dominate the run.
    process.stdout.write(`generating ${ORDERS.toLocaleString('en')} orders…\n`);
    let t0 = performance.now();
    const raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = OFF');
    raw.exec(`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ORDERS})
      insert into orders (id, order_number, access_token_hash, cart_id, locale, email, name, phone, country, postal_code, prefecture, city, line1, line2,
                          items_total, shipping_fee, total, status, payment_provider, payment_transaction_id, payment_status, expires_at, created_at, updated_at, paid_at)
      select printf('00000000-0000-4000-8000-%012d', i), printf('MA-%08d', i), 'x', null, case when i % 7 = 0 then 'en' else 'ja' end,
             printf('customer%d@example.jp', i % ${Math.ceil(ORDERS / 3)}), '山田 花子', '090-1234-5678', 'JP', '100-0001', '東京都', '千代田区', '千代田1-1', '',
             2200 + (i % 50) * 100, 800, 3000 + (i % 50) * 100, case when i % 10 = 0 then 'expired' else 'paid' end, 'sandbox', printf('tx_%d', i),
             case when i % 10 = 0 then 'declined' else 'captured' end, t, t, t, case when i % 10 = 0 then null else t end
      from (select i, strftime('%Y-%m-%dT%H:%M:%fZ', (${YEAR_START} + i * ${STEP_MS}) / 1000.0, 'unixepoch') as t from n);
      insert into payment_attempts (order_id, provider, transaction_id, email, client_ip, status, created_at, updated_at)
        select id, 'sandbox', payment_transaction_id, email, '127.0.0.1', 'captured', created_at, created_at from orders;
      analyze;
    `);
    raw.close();
    process.stdout.write(`  ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const db = openDatabase(file);
    const q: ScopeQuery = { criterion: 'card_paid', from: '2026-04-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' };
    const baseRss = peakRss();
    process.stdout.write(`period ${q.from} – ${q.to}, criterion ${q.criterion}; peak RSS before: ${mb(baseRss)}\n\n`);

    t0 = performance.now();
    const counts = await countScope(db.db, q);
    const countMs = performance.now() - t0;
    process.stdout.write(`count:            ${countMs.toFixed(0).padStart(6)} ms  ${counts.orders.toLocaleString('en')} orders, ${counts.persons.toLocaleString('en')} persons; peak RSS ${mb(peakRss())}\n`);

    const started: ScopeQuery = { ...q, criterion: 'payment_started' };
    t0 = performance.now();
    const startedCounts = await countScope(db.db, started);
    process.stdout.write(`count (hand-off): ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${startedCounts.orders.toLocaleString('en')} orders, ${startedCounts.persons.toLocaleString('en')} persons; peak RSS ${mb(peakRss())}\n`);

    t0 = performance.now();
    let bytes = 0;
    let rows = 0;
    for await (const chunk of scopeExportCsv(scopeRows(db.db, q))) {
      bytes += Buffer.byteLength(chunk);
      rows++;
    }
    const streamMs = performance.now() - t0;
    const streamPeak = peakRss();
    process.stdout.write(`streamed export:  ${streamMs.toFixed(0).padStart(6)} ms  ${(rows - 1).toLocaleString('en')} rows, ${mb(bytes)} CSV; peak RSS ${mb(streamPeak)}\n`);

    // The whole year: every paid order of the shop in scope.
    const year: ScopeQuery = { criterion: 'card_paid', from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
    t0 = performance.now();
    const yearCounts = await countScope(db.db, year);
    const yearCountMs = performance.now() - t0;
    t0 = performance.now();
    let yearRows = 0;
    for await (const chunk of scopeExportCsv(scopeRows(db.db, year))) yearRows += chunk.length > 0 ? 1 : 0;
    process.stdout.write(`whole year:       count ${yearCountMs.toFixed(0)} ms (${yearCounts.orders.toLocaleString('en')} orders), streamed export ${(performance.now() - t0).toFixed(0)} ms (${(yearRows - 1).toLocaleString('en')} rows); peak RSS ${mb(peakRss())}\n`);
    const yearPeak = peakRss();

    // Baseline: everything at once.
    t0 = performance.now();
    const all = await db.db.selectFrom('orders').selectAll().where('paid_at', '>=', q.from).where('paid_at', '<', q.to).orderBy('paid_at').execute();
    const csv = [SCOPE_EXPORT_COLUMNS.map(csvCell).join(',')];
    for (const r of all) {
      const rec = scopeExportRecord({ orderNumber: r.order_number, provider: r.payment_provider, transactionId: r.payment_transaction_id, amount: r.total, at: r.paid_at!, email: r.email, name: r.name, locale: r.locale });
      csv.push(SCOPE_EXPORT_COLUMNS.map((c) => csvCell(rec[c])).join(','));
    }
    const text = csv.join('\r\n');
    const naiveMs = performance.now() - t0;
    const naivePeak = peakRss();
    process.stdout.write(`baseline (all in memory): ${naiveMs.toFixed(0).padStart(6)} ms  ${all.length.toLocaleString('en')} rows, ${mb(Buffer.byteLength(text))} CSV; peak RSS ${mb(naivePeak)}\n\n`);
    process.stdout.write(`memory above start: streamed ${mb(streamPeak - baseRss)} (whole year ${mb(yearPeak - baseRss)}), baseline ${mb(naivePeak - baseRss)} (ratio ${((naivePeak - baseRss) / Math.max(1, streamPeak - baseRss)).toFixed(1)}×)\n`);
    process.stdout.write(`time: streamed / baseline = ${(streamMs / naiveMs).toFixed(2)}\n`);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
