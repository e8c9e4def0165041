// `npm run bench -- catalog-import`: a 10,000-row product CSV in Shift_JIS (5,000 products with two
// variants each, in 10 new categories) through the dry run, the import that creates them, and a
// second import of the same file with every price and stock changed (updates). Always on SQLite;
// then on a fresh PostgreSQL database too when BENCH_POSTGRES_URL=postgres://… is set (as
// bench/scale.ts takes it; BENCH_DATABASE_URL is read as well).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { adminDb } from '../src/admin/admin-tables.ts';
import { createAccount } from '../src/admin/admin-accounts.ts';
import { applyCatalogImport, planCatalogImport } from '../src/catalog-import/catalog-import.ts';
import { catalogHeader } from '../src/catalog-import/catalog-csv-format.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const PG_BASE = process.env.BENCH_POSTGRES_URL ?? process.env.BENCH_DATABASE_URL;

function file(priceBump: number): Buffer {
  const lines = [catalogHeader('ja').join(',')];
  for (let i = 0; i < ROWS; i++) {
    const p = Math.floor(i / 2);
    const first = i % 2 === 0;
    const cat = `bench-cat-${p % 10}`;
    lines.push([
      `bench-product-${p}`, cat, first ? `ベンチ分類${p % 10}` : '', first ? `Bench category ${p % 10}` : '',
      first ? `試験用の商品 ${p}号` : '', first ? `Bench product ${p}` : '', first ? '静岡県産の茶葉を使った、試験用の説明文です。' : '', first ? 'A description for the benchmark.' : '',
      first ? `しけんようのしょうひん${p}` : '', first ? (p % 2 ? '8' : '10') : '', '', `BENCH-${p}-${i % 2 ? 'L' : 'S'}`,
      i % 2 ? '大' : '小', i % 2 ? 'Large' : 'Small', String(1000 + (i % 50) * 10 + priceBump), String(10 + (i % 7) + priceBump),
    ].join(','));
  }
  return iconv.encode(lines.join('\r\n') + '\r\n', 'CP932');
}

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await f();
  console.log(`${label.padEnd(44)} ${((performance.now() - t) / 1000).toFixed(2)} s`);
  return r;
}

async function benchOn(pgBase: string | undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-import-'));
  let url = path.join(dir, 'shop.sqlite');
  let dropPg: (() => Promise<void>) | undefined;
  if (pgBase) {
    const name = `mamori_bench_import_${Date.now()}`;
    const c = new pg.Client({ connectionString: pgBase }); await c.connect(); await c.query(`create database ${name}`); await c.end();
    const u = new URL(pgBase); u.pathname = `/${name}`; url = u.toString();
    dropPg = async () => { const d = new pg.Client({ connectionString: pgBase }); await d.connect(); await d.query(`drop database if exists ${name} with (force)`); await d.end(); };
  }
  const handle = openDatabase(url);
  try {
    await migrateToLatest(handle.db);
    const created = await createAccount(adminDb(handle.db), { email: 'bench@example.jp', password: 'Kumo-no-ue-no-niwa-42', role: 'owner', refundLimit: null }, new Date());
    if (!created.ok) throw new Error(created.error);
    const by = { account: created.account, ip: '127.0.0.1', now: new Date() };
    const first = file(0);
    console.log(`${ROWS} rows, ${(first.length / 1024 / 1024).toFixed(1)} MB Shift_JIS, on ${pgBase ? 'PostgreSQL' : 'SQLite'}`);
    const dry = await timed('dry run (decode, parse, check every row)', () => planCatalogImport(handle.db, first, 'auto'));
    if (!dry.ok) throw new Error(`unexpected errors: ${JSON.stringify(dry.errors.slice(0, 3))}`);
    await timed('import, creating everything (check + write)', async () => {
      const plan = await planCatalogImport(handle.db, first, 'auto');
      if (!plan.ok) throw new Error('plan');
      const r = await applyCatalogImport(handle.db, plan.plan, by);
      if (!r.ok) throw new Error('apply');
    });
    await timed('import again, every price and stock changed', async () => {
      const plan = await planCatalogImport(handle.db, file(5), 'auto');
      if (!plan.ok) throw new Error('plan');
      const r = await applyCatalogImport(handle.db, plan.plan, by);
      if (!r.ok) throw new Error('apply');
    });
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (goal: 10,000 rows in under 10 s)`);
  } finally {
    await handle.close();
    await dropPg?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

await benchOn(undefined);
if (PG_BASE) await benchOn(PG_BASE);
else console.log('PostgreSQL: skipped (set BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres)');
