import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { appendAuditEntry } from './audit-log.ts';
import { computeAuditEntryHash, GENESIS_HASH } from './audit-entry-hash.ts';
import { canonicalJson } from './canonical-json.ts';
import { exportAuditLogJsonl } from './export-audit-log.ts';
import { parseAuditLogSearch, searchAuditLog } from './search-audit-log.ts';
import { openAuditTestDatabase, type AuditTestDatabase } from '../../test/support/audit-test-database.ts';
import type { AuditEntry } from './audit-log-table.ts';

describeEachDatabase('audit log search and export', (database) => {
  let t: AuditTestDatabase;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));
  beforeAll(async () => {
    t = await openAuditTestDatabase(database);
    await appendAuditEntry(t.db, { actor: null, action: 'auth.login_failed', target: 'email:owner@example.jp', ip: '203.0.113.9', after: { reason: 'bad_password' }, at: at(0) });
    await appendAuditEntry(t.db, { actor: 'admin:1', action: 'auth.login_succeeded', target: 'account:1', ip: '203.0.113.10', at: at(1) });
    await appendAuditEntry(t.db, { actor: 'admin:1', action: 'product.updated', target: 'product:12', before: { name: '抹茶ラテ', price: 1200 }, after: { name: '抹茶ラテ', price: 1100 }, at: at(2) });
    await appendAuditEntry(t.db, { actor: 'admin:2', action: 'order.refunded', target: 'order:6f1c', after: { amount: 500, note: '100% refund_x' }, at: at(3) });
    await appendAuditEntry(t.db, { actor: 'system', action: 'security.payment.amount_mismatch', target: 'order:6f1c', after: { expected: 3000 }, at: at(4) });
    await appendAuditEntry(t.db, { actor: 'admin:1', action: 'auth.logout', target: 'account:1', at: at(5) });
  });
  afterAll(async () => { await t?.dispose(); });
  const ids = (entries: AuditEntry[]) => entries.map((e) => e.id);

  it('filters by actor, exact action, action prefix, target and time range, newest first', async () => {
    expect(ids((await searchAuditLog(t.db, { actor: 'admin:1', limit: 50 })).entries)).toEqual([6, 3, 2]);
    expect(ids((await searchAuditLog(t.db, { action: 'auth.logout', limit: 50 })).entries)).toEqual([6]);
    expect(ids((await searchAuditLog(t.db, { action: 'auth.*', limit: 50 })).entries)).toEqual([6, 2, 1]);
    expect(ids((await searchAuditLog(t.db, { target: 'order:6f1c', limit: 50 })).entries)).toEqual([5, 4]);
    expect(ids((await searchAuditLog(t.db, { from: at(1), to: at(3), limit: 50 })).entries)).toEqual([3, 2]);
    expect(ids((await searchAuditLog(t.db, { actor: 'admin:1', action: 'auth.*', from: at(2), limit: 50 })).entries)).toEqual([6]);
  });

  it('searches free text in every column and the snapshots, case-insensitively, LIKE wildcards taken literally', async () => {
    expect(ids((await searchAuditLog(t.db, { text: '抹茶', limit: 50 })).entries)).toEqual([3]);
    expect(ids((await searchAuditLog(t.db, { text: 'BAD_PASSWORD', limit: 50 })).entries)).toEqual([1]);
    expect(ids((await searchAuditLog(t.db, { text: '203.0.113.1', limit: 50 })).entries)).toEqual([2]);
    expect(ids((await searchAuditLog(t.db, { text: '100%', limit: 50 })).entries)).toEqual([4]);
    expect(ids((await searchAuditLog(t.db, { text: '0% ', limit: 50 })).entries)).toEqual([4]);
    expect(ids((await searchAuditLog(t.db, { text: 'd_x', limit: 50 })).entries)).toEqual([4]);
    expect(ids((await searchAuditLog(t.db, { text: 'amount_mismatch', limit: 50 })).entries)).toEqual([5]);
    // As wildcards these would match "100% refund_x"; taken literally they match nothing.
    expect(ids((await searchAuditLog(t.db, { text: '1%0', limit: 50 })).entries)).toEqual([]);
    expect(ids((await searchAuditLog(t.db, { text: 'refun_', limit: 50 })).entries)).toEqual([]);
  });

  it('pages backwards by id and returns entries with parsed snapshots', async () => {
    const first = await searchAuditLog(t.db, { limit: 4 });
    expect(ids(first.entries)).toEqual([6, 5, 4, 3]);
    expect(first.nextBeforeId).toBe(3);
    const second = await searchAuditLog(t.db, { limit: 4, beforeId: first.nextBeforeId! });
    expect(ids(second.entries)).toEqual([2, 1]);
    expect(second.nextBeforeId).toBeNull();
    expect(first.entries[3]).toMatchObject({ actor: 'admin:1', action: 'product.updated', target: 'product:12', ip: null, createdAt: '2026-11-25T09:02:00.000Z', before: { name: '抹茶ラテ', price: 1200 }, after: { name: '抹茶ラテ', price: 1100 } });
  });

  it('validates untrusted query input: empty fields mean any, nonsense is refused', () => {
    expect(parseAuditLogSearch({ actor: '', action: 'auth.*', from: '2026-11-25', limit: '20', beforeId: '' })).toMatchObject({ ok: true, search: { action: 'auth.*', limit: 20 } });
    expect(parseAuditLogSearch({ from: 'yesterday' })).toMatchObject({ ok: false, error: 'INVALID_AUDIT_FILTER' });
    expect(parseAuditLogSearch({ limit: '100000' })).toMatchObject({ ok: false, error: 'INVALID_AUDIT_FILTER' });
    expect(parseAuditLogSearch({ beforeId: '-1' })).toMatchObject({ ok: false, error: 'INVALID_AUDIT_FILTER' });
  });

  it('exports matching entries as JSON lines, oldest first, in batches', async () => {
    const chunks: string[] = [];
    expect(await exportAuditLogJsonl(t.db, { target: 'order:6f1c' }, (line) => { chunks.push(line); })).toEqual({ count: 2 });
    expect(chunks.every((c) => c.endsWith('\n') && !c.slice(0, -1).includes('\n'))).toBe(true);
    expect(chunks.map((c) => JSON.parse(c).id)).toEqual([4, 5]);
  });

  it('exports the whole log in a form that can be re-verified without the database', async () => {
    const chunks: string[] = [];
    expect(await exportAuditLogJsonl(t.db, {}, async (line) => { chunks.push(line); }, { batchSize: 4 })).toEqual({ count: 6 });
    let prev = GENESIS_HASH;
    for (const e of chunks.map((c) => JSON.parse(c) as AuditEntry)) {
      const json = (v: unknown) => (v === null ? null : canonicalJson(v));
      expect(e.prevHash).toBe(prev);
      expect(computeAuditEntryHash({ id: e.id, created_at: e.createdAt, actor: e.actor, action: e.action, target: e.target, ip: e.ip, before_json: json(e.before), after_json: json(e.after), prev_hash: e.prevHash })).toBe(e.hash);
      prev = e.hash;
    }
  });
});
