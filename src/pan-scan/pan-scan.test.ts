// pan-scan on a real shop, both databases: a clean demo shop passes; a card number hidden in a
// text column (written by SQL, past the shop's own guards), a log line, a mail body or a file
// is found with its location and shown masked; the gateway's own files are not read; the
// database is read in pages. Fixtures hold card numbers on purpose, so they are created as
// card fixtures, named apart from what CI's leftover scan searches, and removed afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { checkoutThroughStoreApi } from '../../test/support/store-api-checkout.ts';
import { latestWatchResult } from '../watch-results/watch-results.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';
import { run } from './cli.ts';
import { runPanScan } from './pan-scan.ts';
import { listTablesToScan, scanTable } from './scan-database.ts';
import { describeLocation, type PanFinding } from './pan-scan-report.ts';
import { runShopPanScan } from './pan-scan-job.ts';

const cardFixture = (database: TestDatabase): TestDatabase => ({ name: database.name, create: () => database.create({ cardFixture: true }) });

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const argsFor = (shop: TestShop) => ['--data-dir', shop.dataDir, '--database', shop.config.databaseUrl];

describeEachDatabase('pan-scan', (database) => {
  let shop: TestShop | undefined;
  afterEach(async () => { await shop?.dispose(); shop = undefined; });

  it('passes a clean demo shop with an order (exit 0), having read its tables and files', async () => {
    shop = await startTestShop(cardFixture(database));
    await checkoutThroughStoreApi(shop);
    const { code, out } = await cli([...argsFor(shop), '--format', 'json']);
    const report = JSON.parse(out);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
    // The scan looked: the orders table and its address columns were read.
    expect(report.stats.database.tables).toBeGreaterThan(10);
    expect(report.stats.database.rows).toBeGreaterThan(14);
    expect(report.stats.files.files).toBeGreaterThan(0);
  });

  it('finds a card number hidden in an order note, an address line, a log line and a mail, masked and located (exit 1)', async () => {
    shop = await startTestShop(cardFixture(database));
    const placed = await checkoutThroughStoreApi(shop);
    // Written past the shop's validation, as an intruder or a buggy plug-in would.
    await sql`update orders set line2 = ${'部屋 4242-4242-4242-4242 の前'} where id = ${placed.orderId}`.execute(shop.db.db);
    await sql`insert into order_events (order_id, from_status, to_status, cause, created_at) values (${placed.orderId}, ${null}, 'pending_payment', ${'note: customer said card 3530 1113 3330 0000'}, ${new Date().toISOString()})`.execute(shop.db.db);
    writeFileSync(path.join(shop.dataDir, 'shop.log'), '{"level":30,"msg":"ok"}\n{"level":40,"msg":"payload 5555.5555.5555.4444"}\n');
    mkdirSync(path.join(shop.dataDir, 'outbox'), { recursive: true });
    const body = Buffer.from('ご注文ありがとうございます。カード 3782 822463 10005 で承りました。').toString('base64').replace(/.{76}/g, '$&\n');
    writeFileSync(path.join(shop.dataDir, 'outbox', 'order.eml'), `Subject: =?UTF-8?B?${Buffer.from('ご注文').toString('base64')}?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${body}\n`);

    const { code, out } = await cli([...argsFor(shop), '--format', 'json']);
    const report = JSON.parse(out) as { findings: PanFinding[] };
    expect(code).toBe(1);
    const dataDir = shop.dataDir;
    const where = report.findings.map((f) => `${f.masked} ${describeLocation(f.location)}`);
    expect(where.some((w) => w.startsWith('424242******4242 orders.line2 row '))).toBe(true);
    expect(where.some((w) => /^353011\*{6}0000 order_events\.cause row \d+$/.test(w))).toBe(true);
    expect(where).toContain(`555555******4444 ${path.join(shop.dataDir, 'shop.log')}:2:28`);
    expect(where.some((w) => w.startsWith(`378282*****0005 ${path.join(dataDir, 'outbox', 'order.eml')}:`))).toBe(true);
    // Masked everywhere: the report never holds a whole number.
    expect(out.replace(/\D/g, '')).not.toContain('4242424242424242');
    expect(out).not.toMatch(/5555.5555.5555.4444|3782 822463 10005/);

    // The row id names the row: on SQLite the rowid, on PostgreSQL the primary key (the order id).
    const line2 = report.findings.find((f) => f.location.kind === 'database' && f.location.column === 'line2')!;
    const id = database.name === 'postgres' ? placed.orderId : String((await sql<{ rowid: number }>`select rowid from orders where id = ${placed.orderId}`.execute(shop.db.db)).rows[0]!.rowid);
    expect(line2.location).toEqual({ kind: 'database', table: 'orders', column: 'line2', rowId: id });

    // SARIF 2.1.0 with a result per finding, physical locations for files.
    const sarif = JSON.parse((await cli([...argsFor(shop), '--format', 'sarif'])).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(report.findings.length);
    expect(sarif.runs[0].results.some((r: { locations: { physicalLocation?: { region?: { startLine?: number } } }[] }) => r.locations[0]!.physicalLocation?.region?.startLine === 2)).toBe(true);
    // The table for people says how many and where.
    const table = await cli(argsFor(shop));
    expect(table.code).toBe(1);
    expect(table.out).toContain('orders.line2');
  });

  it("leaves the payment gateway's own files out, by name", async () => {
    shop = await startTestShop(cardFixture(database));
    mkdirSync(path.join(shop.dataDir, 'paygate'), { recursive: true });
    writeFileSync(path.join(shop.dataDir, 'paygate', 'paygate.log'), 'card 4242424242424242\n');
    const { code, out } = await cli([...argsFor(shop), '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).excluded).toContain(path.join(shop.dataDir, 'paygate'));
    // The same file one folder up is found: the exclusion is the gateway's folder, not the name.
    writeFileSync(path.join(shop.dataDir, 'paygate.log'), 'card 4242424242424242\n');
    expect((await cli(argsFor(shop))).code).toBe(1);
  });

  it('reads the database in pages of --batch-size rows, never a table at once', async () => {
    shop = await startTestShop(cardFixture(database));
    const db = shop.db.db;
    await sql`create table pan_scan_paging (id integer primary key, body text not null)`.execute(db);
    for (let i = 1; i <= 100; i++) await sql`insert into pan_scan_paging (id, body) values (${i}, ${i === 97 ? 'late row 6011 1111 1111 1117' : `row ${i}`})`.execute(db);
    const tables = await listTablesToScan(db, shop.db.kind);
    const t = tables.find((x) => x.table === 'pan_scan_paging')!;
    const stats = { tables: 0, columns: 0, rows: 0, batches: 0, bytes: 0 };
    const found: PanFinding[] = [];
    await scanTable(db, shop.db.kind, t, { batchSize: 7, stats, onFinding: (f) => found.push(f) });
    expect(stats.rows).toBe(100);
    expect(stats.batches).toBe(Math.ceil(100 / 7) + (100 % 7 === 0 ? 1 : 0));
    expect(found.map((f) => [f.masked, f.location])).toEqual([['601111******1117', { kind: 'database', table: 'pan_scan_paging', column: 'body', rowId: '97' }]]);
    // A table without a primary key is paged too (rowid on SQLite, ctid on PostgreSQL).
    await sql`create table pan_scan_no_key (body text)`.execute(db);
    for (let i = 1; i <= 20; i++) await sql`insert into pan_scan_no_key (body) values (${i === 20 ? '6200000000000005' : 'x'})`.execute(db);
    const noKey = (await listTablesToScan(db, shop.db.kind)).find((x) => x.table === 'pan_scan_no_key')!;
    const stats2 = { tables: 0, columns: 0, rows: 0, batches: 0, bytes: 0 };
    const found2: PanFinding[] = [];
    await scanTable(db, shop.db.kind, noKey, { batchSize: 3, stats: stats2, onFinding: (f) => found2.push(f) });
    expect([stats2.rows, stats2.batches, found2.map((f) => f.masked)]).toEqual([20, 7, ['620000******0005']]);
  });

  it('the weekly job records its result for the status page and raises an alert on a finding', async () => {
    let now = new Date('2026-12-03T00:00:00.000Z');
    shop = await startTestShop(cardFixture(database), { clock: () => now, jobPollMs: 0, panScan: true });
    await shop.jobs.runNow('pan-scan');
    expect((await latestWatchResult(shop.db.db, 'pan-scan'))?.outcome).toBe('clean');
    expect((await listOpenAlerts(shop.db.db)).filter((a) => a.kind.startsWith('pan_scan'))).toEqual([]);

    const placed = await checkoutThroughStoreApi(shop);
    await sql`update orders set line2 = ${'4111 1111 1111 1111'} where id = ${placed.orderId}`.execute(shop.db.db);
    now = new Date('2026-12-10T00:00:00.000Z');
    expect(await shop.jobs.runDue()).toContain('pan-scan');
    const result = await latestWatchResult(shop.db.db, 'pan-scan');
    expect(result?.outcome).toBe('findings');
    expect(JSON.stringify(result?.details)).toContain('411111******1111');
    const alerts = (await listOpenAlerts(shop.db.db)).filter((a) => a.kind === 'pan_scan.card_number_found');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('critical');
    expect(alerts[0]!.summary).toContain('orders.line2');
    // Nothing the job wrote (watch result, alert, audit entry) holds the number itself.
    const again = await runShopPanScan(shop.context, shop.context.logger);
    expect(again.findings.map((f) => describeLocation(f.location))).toEqual([expect.stringMatching(/^orders\.line2 row /)]);
  });
});

describe('pan-scan files', () => {
  it('reads a binary file as its printable runs, skips images, and says when it could not check', async () => {
    const created = await (await import('../../test/support/databases.ts')).DATABASES[0]!.create({ cardFixture: true });
    try {
      const dir = created.dataDir;
      writeFileSync(path.join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from('xx 4242424242424242 yy'), Buffer.from([0, 0])]));
      writeFileSync(path.join(dir, 'photo.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('4242424242424242')]));
      // A SQLite file is read through SQL, not as bytes (its records glue fields together).
      writeFileSync(path.join(dir, 'other.sqlite'), Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.from('4242424242424242')]));
      const report = await runPanScan({ dataDirs: [dir] });
      expect(report.findings.map((f) => describeLocation(f.location))).toEqual([`${path.join(dir, 'blob.bin')} @ byte 7`]);
      expect(report.stats.files.imagesSkipped).toBe(1);
      expect(report.stats.files.sqliteFilesSkipped).toBe(1);
      const missing = await runPanScan({ dataDirs: [path.join(dir, 'nope')] });
      expect(missing.outcome).toBe('error');
      expect((await cli(['--data-dir', path.join(dir, 'nope'), '--database', path.join(dir, 'nope.sqlite')])).code).toBe(2);
    } finally {
      await created.drop();
    }
  });

  it('finds a card in a line longer than the search window, across the window edge', async () => {
    const created = await (await import('../../test/support/databases.ts')).DATABASES[0]!.create({ cardFixture: true });
    try {
      const filler = 'x'.repeat((1 << 20) - 30);
      writeFileSync(path.join(created.dataDir, 'long.json'), `${filler} 4242 4242 4242 4242 ${filler}\n`);
      const report = await runPanScan({ dataDirs: [created.dataDir] });
      expect(report.findings.map((f) => [f.masked, f.location])).toEqual([['424242******4242', { kind: 'file', path: path.join(created.dataDir, 'long.json'), line: 1, column: filler.length + 2, area: 'data' }]]);
    } finally {
      await created.drop();
    }
  });
});
