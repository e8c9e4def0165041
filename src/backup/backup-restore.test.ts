// Backups that restore: taken while orders are being placed, restored into a fresh database, and
// then every order committed before the snapshot is there, the audit chain verifies against the
// restored anchors, and the shop starts on it. A tampered archive and a non-empty target are refused.
import { existsSync, promises as fs, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, TEST_DIR_PREFIX, type TestDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { checkoutThroughStoreApi } from '../../test/support/store-api-checkout.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { defaultAuditAnchorsFile, writeAuditAnchor } from '../audit/audit-anchors.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { loadTotpKey } from '../admin/totp-secret-box.ts';
import { openDatabase } from '../db/database.ts';
import { loadConfig } from '../config/config.ts';
import { startShop } from '../start-shop.ts';
import { createBackup, QUEUE_SCHEMA } from './create-backup.ts';
import { PG_BOSS_SCHEMA } from '../jobs/pg-boss-scheduler.ts';
import { restoreBackup } from './restore-backup.ts';
import { runBackupCommand, runRestoreCommand } from './cli.ts';
import { listUstarEntries, ustarHeader } from './ustar.ts';
import { backupFileName, pruneBackups } from './backup-job.ts';

describeEachDatabase('backup and restore', (database: TestDatabase) => {
  let shop: TestShop;
  let archive: string;
  const committedBeforeSnapshot: string[] = [];
  const outDir = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));

  beforeAll(async () => {
    shop = await startTestShop(database, { auditAnchoring: false, backup: true, env: { BACKUP_DIR: path.join(outDir, 'scheduled'), BACKUP_KEEP: '2' } });
    await shop.db.db.updateTable('variants').set({ stock: 1_000_000 }).execute();
    loadTotpKey({}, shop.dataDir); // the key file an installation with admins has
    // Audit entries and an anchor, so the restored chain has something to verify against.
    for (let i = 0; i < 3; i++) await appendAuditEntry(shop.db.db, { actor: 'system', action: 'test.backup_seed', target: `seed:${i}` });
    await writeAuditAnchor(shop.db.db, defaultAuditAnchorsFile(shop.dataDir));
  });
  afterAll(async () => { await shop?.dispose(); });

  it('takes a consistent backup while orders are being placed', async () => {
    const done: { orderId: string; committedAt: number }[] = [];
    let stop = false;
    // Four customers keep checking out (each order with its audit entry) for as long as the backup runs.
    const customers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const placed = await checkoutThroughStoreApi(shop);
        await appendAuditEntry(shop.db.db, { actor: 'customer', action: 'test.order_placed', target: `order:${placed.orderId}` });
        done.push({ orderId: placed.orderId, committedAt: Date.now() });
      }
    });
    // Let some orders commit first, so "before the snapshot" is not an empty set.
    while (done.length < 8) await new Promise((r) => setImmediate(r));
    archive = path.join(outDir, 'shop.tar');
    const result = await createBackup({ dataDir: shop.dataDir, databaseUrl: shop.config.databaseUrl }, archive);
    // Keep ordering a little after the backup, so orders after the snapshot exist too.
    const after = done.length + 4;
    while (done.length < after) await new Promise((r) => setImmediate(r));
    stop = true;
    await Promise.all(customers);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const snapshotAt = Date.parse(result.manifest.snapshotAt);
    committedBeforeSnapshot.push(...done.filter((d) => d.committedAt < snapshotAt).map((d) => d.orderId));
    expect(committedBeforeSnapshot.length).toBeGreaterThanOrEqual(8);
    expect(result.manifest.engine).toBe(database.name);
    expect(result.manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['audit-anchors.log', 'admin-totp.key', database.name === 'postgres' ? 'database/mamori.pgdump' : 'database/mamori.sqlite']));
    expect(result.manifest.files.some((f) => f.path.startsWith('media/demo/'))).toBe(true);
    // Plain ustar: GNU tar lists it, and its SHA256SUMS checks with sha256sum.
    const listing = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(expect.arrayContaining(['MANIFEST.json', 'SHA256SUMS', 'audit-anchors.log']));
    const extracted = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));
    execFileSync('tar', ['-xf', archive, '-C', extracted]);
    expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: extracted, encoding: 'utf8' })).toBe('');
  });

  it('restores into a fresh database: every order committed before the snapshot, a verifying audit chain, a shop that starts', async () => {
    expect(archive).toBeDefined();
    const target = await database.create();
    try {
      const dataDir = path.join(target.dataDir, 'restored');
      const restored = await restoreBackup(archive, { dataDir, databaseUrl: target.url });
      expect(restored).toMatchObject({ ok: true });
      if (!restored.ok) return;
      const db = openDatabase(target.url);
      try {
        const ids = new Set((await db.db.selectFrom('orders').select('id').execute()).map((o) => o.id));
        for (const id of committedBeforeSnapshot) expect(ids.has(id), `order ${id} committed before the snapshot`).toBe(true);
        const chain = await verifyAuditChain(db.db, { anchorsFile: defaultAuditAnchorsFile(dataDir) });
        expect(chain).toMatchObject({ ok: true, head: restored.manifest.auditHead });
        if (chain.ok) expect(chain.anchors).toMatchObject({ found: true, checked: 1 });
        // Stock and orders agree with each other in the snapshot (one transaction, not a torn copy).
        const items = await db.db.selectFrom('order_items').select(['order_id']).execute();
        for (const item of items) expect(ids.has(item.order_id)).toBe(true);
      } finally {
        await db.close();
      }
      expect(readFileSync(path.join(dataDir, 'admin-totp.key'))).toEqual(readFileSync(path.join(shop.dataDir, 'admin-totp.key')));

      const loaded = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: target.url, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      const started = await startShop({ config: loaded.config, logger: false, listen: false, reconcileAtStart: false, jobPollMs: 0 });
      try {
        expect(started.seeded).toBe(false); // the restored catalog, not a new demo one
        expect((await started.app.inject({ url: '/healthz' })).statusCode).toBe(200);
        const product = await started.db.db.selectFrom('products').select('slug').executeTakeFirstOrThrow();
        expect((await started.app.inject({ url: `/products/${product.slug}` })).statusCode).toBe(200);
      } finally {
        await started.close();
      }
    } finally {
      await target.drop();
    }
  });

  it('refuses a non-empty target, naming why, and writes nothing', async () => {
    const target = await database.create();
    try {
      const dataDir = path.join(target.dataDir, 'occupied');
      await fs.mkdir(dataDir, { mode: 0o700 });
      writeFileSync(path.join(dataDir, 'something'), 'x');
      const refused = await restoreBackup(archive, { dataDir, databaseUrl: target.url });
      expect(refused).toMatchObject({ ok: false, error: 'TARGET_NOT_EMPTY' });
      // An empty data directory but a database that already holds the shop: refused too.
      const refusedDb = await restoreBackup(archive, { dataDir: path.join(target.dataDir, 'empty'), databaseUrl: shop.config.databaseUrl });
      expect(refusedDb).toMatchObject({ ok: false, error: 'TARGET_NOT_EMPTY' });
      expect(existsSync(path.join(target.dataDir, 'empty'))).toBe(false);
    } finally {
      await target.drop();
    }
  });

  it('refuses a tampered archive (manifest mismatch) before writing anything', async () => {
    const tampered = path.join(outDir, 'tampered.tar');
    const bytes = readFileSync(archive);
    const handle = await fs.open(archive, 'r');
    const entries = await listUstarEntries(handle).finally(() => handle.close());
    const media = entries.find((e) => e.name.startsWith('media/') && e.size > 0)!;
    bytes[media.offset] = bytes[media.offset]! ^ 0xff; // one byte of one image
    writeFileSync(tampered, bytes);
    const target = await database.create();
    try {
      const dataDir = path.join(target.dataDir, 'restored');
      const refused = await restoreBackup(tampered, { dataDir, databaseUrl: target.url });
      expect(refused).toMatchObject({ ok: false, error: 'MANIFEST_MISMATCH' });
      if (!refused.ok) expect(refused.detail).toContain(media.name);
      expect(existsSync(dataDir)).toBe(false);
      // A file smuggled in beside the manifest's is refused too (a web shell among the media, say).
      const original = readFileSync(archive);
      const extra = Buffer.from('<?php system($_GET["c"]);');
      const smuggled = Buffer.concat([original.subarray(0, original.length - 1024), ustarHeader('media/shell.php', extra.length, new Date()), extra, Buffer.alloc(512 - extra.length), Buffer.alloc(1024)]);
      writeFileSync(tampered, smuggled);
      expect(await restoreBackup(tampered, { dataDir, databaseUrl: target.url })).toMatchObject({ ok: false, error: 'MANIFEST_MISMATCH', detail: expect.stringContaining('media/shell.php') });
      // Not an archive at all.
      writeFileSync(tampered, Buffer.alloc(4096, 7));
      expect(await restoreBackup(tampered, { dataDir, databaseUrl: target.url })).toMatchObject({ ok: false, error: 'NOT_A_BACKUP' });
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await target.drop();
    }
  });

  it('runs as a scheduled job of the shop, into BACKUP_DIR', async () => {
    expect(shop.jobs.jobs.find((j) => j.name === 'backup')?.schedule).toEqual({ everyMs: 24 * 3_600_000 });
    await shop.jobs.runNow('backup');
    const written = (await fs.readdir(path.join(outDir, 'scheduled'))).filter((n) => n.endsWith('.tar'));
    expect(written).toHaveLength(1);
    const checked = await restoreBackup(path.join(outDir, 'scheduled', written[0]!), { dataDir: shop.dataDir, databaseUrl: shop.config.databaseUrl });
    expect(checked).toMatchObject({ ok: false, error: 'TARGET_NOT_EMPTY' }); // a valid archive, refused only for its target
  });

  it('mamori backup / restore: exit 0 written and restored (audit chain verified), 1 refused, 2 usage', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => { out.push(t); }, err: (t: string) => { out.push(t); } };
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
    const target = await database.create();
    try {
      Object.assign(process.env, { DATA_DIR: shop.dataDir, DATABASE_URL: shop.config.databaseUrl });
      const file = path.join(outDir, 'cli.tar');
      expect(await runBackupCommand(['--out', file], io)).toBe(0);
      expect(await runBackupCommand(['--out', file], io)).toBe(1); // never overwrites
      expect(await runBackupCommand([], io)).toBe(2);
      expect(await runRestoreCommand([file], io)).toBe(1); // the running shop's own, non-empty target
      Object.assign(process.env, { DATA_DIR: path.join(target.dataDir, 'cli-restored'), DATABASE_URL: target.url });
      expect(await runRestoreCommand([file], io), out.join('')).toBe(0);
      expect(out.join('')).toMatch(/audit chain verifies: \d+ entries/);
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      await target.drop();
    }
  });

  it('leaves out the job queue schema pg-boss really uses', () => {
    expect(QUEUE_SCHEMA).toBe(PG_BOSS_SCHEMA);
  });

  it('keeps the newest BACKUP_KEEP scheduled archives', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));
    const names = [0, 1, 2, 3].map((h) => backupFileName(new Date(Date.UTC(2026, 11, 1, h))));
    for (const n of names) writeFileSync(path.join(dir, n), '');
    writeFileSync(path.join(dir, 'keep-me.txt'), '');
    expect(await pruneBackups(dir, 2)).toEqual([names[1], names[0]]);
    expect((await fs.readdir(dir)).sort()).toEqual([names[2], names[3], 'keep-me.txt'].sort());
  });
});
