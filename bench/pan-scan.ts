// `npm run bench -- pan-scan`: precision and recall of the card-number search on the labelled
// corpus (test/support/pan-scan-corpus.ts), and how fast a pan-scan reads files (MB/s) and
// database rows (rows/s), each next to a baseline measured in the same run: reading the same
// file line by line, and selecting the same rows, without searching.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../src/db/database.ts';
import { findingsIn } from '../src/pan-scan/pan-scan-report.ts';
import { runPanScan } from '../src/pan-scan/pan-scan.ts';
import { scanDatabase } from '../src/pan-scan/scan-database.ts';
import { cardCorpus, nonCardCorpus } from '../test/support/pan-scan-corpus.ts';

function precisionRecall() {
  const nonCards = nonCardCorpus();
  const cards = cardCorpus();
  const truePositives = cards.filter((c) => findingsIn(c.text).length > 0).length;
  const falsePositives = nonCards.filter((e) => findingsIn(e.text).length > 0).length;
  const precision = truePositives / (truePositives + falsePositives);
  const recall = truePositives / cards.length;
  console.log(`corpus: ${cards.length} card strings (${new Set(cards.map((c) => c.digits)).size} numbers), ${nonCards.length} non-card strings`);
  console.log(`precision ${(precision * 100).toFixed(2)}%  recall ${(recall * 100).toFixed(2)}%  false positives ${falsePositives} (${((falsePositives / nonCards.length) * 100).toFixed(3)}%)`);
}

/** Log-like lines from the non-card corpus, with one card line in 10,000. */
function logLines(n: number): string[] {
  const nonCards = nonCardCorpus().map((e) => e.text);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = nonCards[i % nonCards.length]!;
    const b = nonCards[(i * 7 + 3) % nonCards.length]!;
    lines.push(i % 10_000 === 0
      ? `{"level":40,"time":${1764600000000 + i},"msg":"odd input","note":"4242 4242 4242 4242"}`
      : `{"level":30,"time":${1764600000000 + i},"reqId":"req-${i}","msg":"request completed","a":"${a.replace(/"/g, '')}","b":"${b.replace(/"/g, '')}","statusCode":200}`);
  }
  return lines;
}

async function readLinesOnly(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) n += line.length > 0 ? 1 : 0;
  return n;
}

async function fileSpeed(dir: string) {
  const file = path.join(dir, 'shop.log');
  writeFileSync(file, logLines(200_000).join('\n') + '\n');
  const size = (await import('node:fs')).statSync(file).size;
  const mb = size / 1e6;
  await readLinesOnly(file); // warm the page cache
  let t = performance.now();
  await readLinesOnly(file);
  const baseline = (performance.now() - t) / 1000;
  t = performance.now();
  const report = await runPanScan({ dataDirs: [dir] });
  const scan = (performance.now() - t) / 1000;
  console.log(`files: ${mb.toFixed(1)} MB log, ${report.stats.files.lines} lines, ${report.findingCount} findings (20 planted)`);
  console.log(`  read lines only ${(mb / baseline).toFixed(1)} MB/s; pan-scan ${(mb / scan).toFixed(1)} MB/s (${(scan / baseline).toFixed(1)}× the read)`);
}

async function databaseSpeed(dir: string) {
  const handle = openDatabase(path.join(dir, 'bench.sqlite'));
  const { sql } = await import('kysely');
  const db = handle.db;
  await sql`create table bench_orders (id integer primary key, name text, line1 text, note text, total integer)`.execute(db);
  const rows = 100_000;
  const nonCards = nonCardCorpus().map((e) => e.text);
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows; i += 1000) {
      const values = Array.from({ length: 1000 }, (_, j) => ({ id: i + j + 1, name: `山田 花子 ${i + j}`, line1: `千代田${(i + j) % 9}-1-1 ${nonCards[(i + j) % nonCards.length]}`, note: i + j === 77_777 ? 'card 5555 5555 5555 4444' : nonCards[(i + j * 3) % nonCards.length]!, total: (i + j) * 10 }));
      await (trx as typeof db).withTables<{ bench_orders: { id: number; name: string; line1: string; note: string; total: number } }>().insertInto('bench_orders').values(values).execute();
    }
  });
  let t = performance.now();
  let seen = 0;
  for (let last = 0; ;) {
    const r = await sql<{ id: number }>`select id, name, line1, note, total from bench_orders where id > ${last} order by id limit 500`.execute(db);
    seen += r.rows.length;
    if (r.rows.length < 500) break;
    last = r.rows[r.rows.length - 1]!.id;
  }
  const baseline = (performance.now() - t) / 1000;
  t = performance.now();
  let findings = 0;
  const stats = await scanDatabase(db, 'sqlite', { batchSize: 500, onFinding: () => { findings++; } });
  const scan = (performance.now() - t) / 1000;
  await handle.close();
  console.log(`database (SQLite): ${rows} rows × 4 columns in the benchmark table (+ kysely's), ${findings} finding(s) (1 planted), ${stats.batches} batches of 500`);
  console.log(`  keyset select only ${Math.round(seen / baseline)} rows/s; pan-scan ${Math.round(stats.rows / scan)} rows/s (${(scan / baseline).toFixed(1)}× the select)`);
}

async function main() {
  precisionRecall();
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-pan-'));
  try {
    await fileSpeed(dir);
    rmSync(path.join(dir, 'shop.log'));
    await databaseSpeed(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
