import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { appendAuditEntry, appendSecurityEventToAudit, type AuditEntryInput } from './audit-log.ts';
import { computeAuditEntryHash, GENESIS_HASH } from './audit-entry-hash.ts';
import { writeAuditAnchor } from './audit-anchors.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { openAuditTestDatabase, tamperWithAuditLog, type AuditTestDatabase } from '../../test/support/audit-test-database.ts';
import type { AuditLogRow } from './audit-log-table.ts';

const SIX_ENTRIES: AuditEntryInput[] = [
  { actor: 'system', action: 'account.created', target: 'account:1', after: { email: 'owner@example.jp', role: 'owner' } },
  { actor: null, action: 'auth.login_failed', target: 'email:owner@example.jp', ip: '203.0.113.9', after: { reason: 'bad_password' } },
  { actor: 'admin:1', action: 'auth.login_succeeded', target: 'account:1', ip: '203.0.113.10' },
  { actor: 'admin:1', action: 'product.updated', target: 'product:12', before: { price: 1200, name: '抹茶' }, after: { name: '抹茶', price: 1100 } },
  { actor: 'admin:1', action: 'order.refunded', target: 'order:6f1c', after: { amount: 500 } },
  { actor: 'system', action: 'security.payment.amount_mismatch', target: 'order:6f1c', after: { expected: 3000, got: 1 } },
];

describeEachDatabase('audit log hash chain', (database) => {
  let t: AuditTestDatabase;
  let anchorsFile: string;
  const rows = () => t.db.selectFrom('audit_log').selectAll().orderBy('id').execute() as Promise<AuditLogRow[]>;

  beforeAll(async () => { t = await openAuditTestDatabase(database); });
  afterAll(async () => { await t?.dispose(); });
  beforeEach(async () => {
    await tamperWithAuditLog(t.handle, (db) => db.deleteFrom('audit_log').execute().then(() => {}));
    anchorsFile = path.join(mkdtempSync(path.join(tmpdir(), 'mamori-anchors-')), 'audit-anchors.log');
    for (const [i, entry] of SIX_ENTRIES.entries()) {
      await appendAuditEntry(t.db, { ...entry, at: new Date(Date.UTC(2026, 10, 25, 9, 0, i)) });
    }
  });

  it('chains each entry to the previous one from a fixed genesis, and verifies', async () => {
    const stored = await rows();
    expect(stored.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stored[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prev_hash).toBe(stored[i - 1]!.hash);
    expect(stored[3]).toMatchObject({ created_at: '2026-11-25T09:00:03.000Z', actor: 'admin:1', ip: null, before_json: '{"name":"抹茶","price":1200}', after_json: '{"name":"抹茶","price":1100}' });
    const result = await verifyAuditChain(t.db, { batchSize: 4 }); // batches of 4: the walk crosses a batch boundary
    expect(result).toEqual({ ok: true, entries: 6, head: { id: 6, hash: stored[5]!.hash }, anchors: null });
  });

  it('returns the id and hash it stored, hashes snapshots in a stable key order, and accepts a caller transaction', async () => {
    const a = await appendAuditEntry(t.db, { actor: 'admin:1', action: 'settings.changed', after: { b: { y: 1, x: 2 }, a: [3, { d: 1, c: 2 }] } });
    expect(a.id).toBe(7);
    const stored = (await rows())[6]!;
    expect(stored.hash).toBe(a.hash);
    expect(stored.after_json).toBe('{"a":[3,{"c":2,"d":1}],"b":{"x":2,"y":1}}');

    await expect(t.db.transaction().execute(async (trx) => {
      await appendAuditEntry(trx, { actor: 'admin:1', action: 'product.updated', target: 'product:1' });
      throw new Error('the change being audited failed');
    })).rejects.toThrow('the change being audited failed');
    const inside = await t.db.transaction().execute((trx) => appendAuditEntry(trx, { actor: 'admin:1', action: 'product.archived', target: 'product:1' }));
    expect(inside.id).toBe(8); // the rolled-back entry left no gap
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 8 });
  });

  it('refuses malformed input as a programming error', async () => {
    await expect(appendAuditEntry(t.db, { actor: 'system', action: 'Not An Action' })).rejects.toThrow();
    await expect(appendAuditEntry(t.db, { actor: 'system', action: 'x.y', at: new Date(Number.NaN) })).rejects.toThrow();
  });

  it('routes security events from the rest of the system into the chain', async () => {
    await appendSecurityEventToAudit(t.db, { type: 'payment.amount_mismatch', detail: { orderId: 'o-1', expected: 3000, got: 1 }, at: new Date('2026-11-25T10:00:00Z'), clientIp: '198.51.100.7' });
    expect((await rows())[6]).toMatchObject({ actor: 'system', action: 'security.payment.amount_mismatch', target: 'order:o-1', ip: '198.51.100.7', after_json: '{"expected":3000,"got":1,"orderId":"o-1"}' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('detects an edited field at that entry', async () => {
    await tamperWithAuditLog(t.handle, async (db) => { await db.updateTable('audit_log').set({ actor: 'admin:2' }).where('id', '=', 3).execute(); });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'HASH_MISMATCH' });
  });

  it('detects an edit whose hash was recomputed, at the next entry', async () => {
    await tamperWithAuditLog(t.handle, async (db) => {
      const row = (await db.selectFrom('audit_log').selectAll().where('id', '=', 4).executeTakeFirstOrThrow()) as AuditLogRow;
      const forged = { ...row, after_json: '{"name":"抹茶","price":1}' };
      const { hash: _old, ...content } = forged;
      await db.updateTable('audit_log').set({ after_json: forged.after_json, hash: computeAuditEntryHash(content) }).where('id', '=', 4).execute();
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBadId: 5, reason: 'BROKEN_LINK' });
  });

  it('detects a deleted middle entry at the next entry', async () => {
    await tamperWithAuditLog(t.handle, async (db) => { await db.deleteFrom('audit_log').where('id', '=', 3).execute(); });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBadId: 4, reason: 'MISSING_ENTRIES', detail: 'entry 3 is missing before entry 4' });
  });

  it('detects reordered entries (two rows\' contents swapped) at the first swapped entry', async () => {
    const before = await rows();
    await tamperWithAuditLog(t.handle, async (db) => {
      const swap = async (id: number, from: AuditLogRow) => {
        const { id: _id, ...content } = from;
        await db.updateTable('audit_log').set(content).where('id', '=', id).execute();
      };
      await swap(2, before[4]!);
      await swap(5, before[1]!);
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, firstBadId: 2, reason: 'HASH_MISMATCH' });
  });

  it('detects a cut-off tail only with an anchor, at the first missing entry', async () => {
    await writeAuditAnchor(t.db, anchorsFile);
    expect(await verifyAuditChain(t.db, { anchorsFile })).toMatchObject({ ok: true, entries: 6, anchors: { found: true, checked: 1 } });
    await tamperWithAuditLog(t.handle, async (db) => { await db.deleteFrom('audit_log').where('id', '>=', 5).execute(); });
    // The shorter chain is internally valid: this is exactly what anchors are for.
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 4 });
    expect(await verifyAuditChain(t.db, { anchorsFile })).toMatchObject({ ok: false, firstBadId: 5, reason: 'MISSING_ENTRIES' });
  });

  it('detects a whole chain rewritten and re-hashed from an entry on, via the anchor', async () => {
    await writeAuditAnchor(t.db, anchorsFile);
    await tamperWithAuditLog(t.handle, async (db) => {
      let prev = ((await db.selectFrom('audit_log').select('hash').where('id', '=', 1).executeTakeFirstOrThrow()) as { hash: string }).hash;
      for (const row of (await db.selectFrom('audit_log').selectAll().where('id', '>=', 2).orderBy('id').execute()) as AuditLogRow[]) {
        const content = { ...row, prev_hash: prev, ip: row.id === 2 ? '192.0.2.1' : row.ip };
        const { hash: _old, ...unhashed } = content;
        prev = computeAuditEntryHash(unhashed);
        await db.updateTable('audit_log').set({ ip: content.ip, prev_hash: content.prev_hash, hash: prev }).where('id', '=', row.id).execute();
      }
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true }); // consistent on its own…
    expect(await verifyAuditChain(t.db, { anchorsFile })).toMatchObject({ ok: false, firstBadId: 6, reason: 'ANCHOR_MISMATCH' }); // …but not with the anchor
  });

  it('refuses plain UPDATE and DELETE at the database (the triggers)', async () => {
    await expect(t.db.updateTable('audit_log').set({ actor: 'admin:2' }).where('id', '=', 3).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').where('id', '=', 6).execute()).rejects.toThrow(/append-only/);
    if (t.handle.kind === 'postgres') await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 6 });
  });

  it('keeps one unforked chain under 50 parallel appends', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      appendAuditEntry(t.db, { actor: `admin:${i}`, action: 'product.updated', target: `product:${i}`, after: { i } })));
    expect(results.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 7));
    expect(await verifyAuditChain(t.db, { batchSize: 16 })).toMatchObject({ ok: true, entries: 56 });
  });

  it('keeps one unforked chain while another process appends at the same time', async () => {
    // A second process, as the CLI or a second shop instance would be: its own connection(s).
    // (Two SQLite connections in one thread would deadlock each other's busy wait, so a process.)
    const url = (f: string) => JSON.stringify(pathToFileURL(path.resolve(f)).href);
    const code = `
      const { openDatabase } = await import(${url('src/db/database.ts')});
      const { appendAuditEntry } = await import(${url('src/audit/audit-log.ts')});
      const h = openDatabase(process.env.AUDIT_TEST_DB);
      process.stdout.write('ready\\n');
      await Promise.all(Array.from({ length: 25 }, (_, i) => appendAuditEntry(h.db, { actor: 'system', action: 'test.other_process', after: { i } })));
      await h.close();`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, AUDIT_TEST_DB: t.url }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    await Promise.all(Array.from({ length: 25 }, (_, i) => appendAuditEntry(t.db, { actor: 'system', action: 'test.this_process', after: { i } })));
    expect(await exited).toBe(0);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, entries: 56 });
  });
});
