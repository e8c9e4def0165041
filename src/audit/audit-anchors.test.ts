import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATABASES } from '../../test/support/databases.ts';
import { appendAuditEntry } from './audit-log.ts';
import { GENESIS_HASH } from './audit-entry-hash.ts';
import { readAuditAnchors, startAuditAnchoring, writeAuditAnchor, type AnchorLogger } from './audit-anchors.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { openAuditTestDatabase, tamperWithAuditLog, type AuditTestDatabase } from '../../test/support/audit-test-database.ts';

const waitUntil = async (check: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

for (const database of DATABASES) {
  describe(`audit log anchors on ${database.name}`, () => {
    let t: AuditTestDatabase;
    let file: string;
    beforeAll(async () => { t = await openAuditTestDatabase(database); });
    afterAll(async () => { await t?.dispose(); });
    beforeEach(async () => {
      await tamperWithAuditLog(t.handle, (db) => db.deleteFrom('audit_log').execute().then(() => {}));
      file = path.join(mkdtempSync(path.join(tmpdir(), 'mamori-anchors-')), 'nested', 'audit-anchors.log');
    });

    it('appends the head as a JSON line, the genesis position for an empty log', async () => {
      const empty = await writeAuditAnchor(t.db, file, new Date('2026-11-25T00:00:00Z'));
      expect(empty).toEqual({ at: '2026-11-25T00:00:00.000Z', id: 0, hash: GENESIS_HASH });
      const { hash } = await appendAuditEntry(t.db, { actor: 'system', action: 'settings.changed' });
      await writeAuditAnchor(t.db, file, new Date('2026-11-25T00:01:00Z'));
      expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([empty, { at: '2026-11-25T00:01:00.000Z', id: 1, hash }]);
      expect(await verifyAuditChain(t.db, { anchorsFile: file })).toMatchObject({ ok: true, entries: 1, anchors: { found: true, checked: 2, malformedLines: 0 } });
    });

    it('skips torn or foreign lines but counts them, and says when the file is missing', async () => {
      await appendAuditEntry(t.db, { actor: 'system', action: 'settings.changed' });
      await writeAuditAnchor(t.db, file);
      appendFileSync(file, '{"at":"2026-11-25T00:0\nnot json\n{"at":"x","id":-1,"hash":"zz"}\n');
      expect(await readAuditAnchors(file)).toMatchObject({ found: true, malformedLines: 3 });
      expect(await verifyAuditChain(t.db, { anchorsFile: file })).toMatchObject({ ok: true, anchors: { checked: 1, malformedLines: 3 } });
      expect(await verifyAuditChain(t.db, { anchorsFile: `${file}.missing` })).toMatchObject({ ok: true, anchors: { found: false, checked: 0 } });
    });

    it('anchors at start and whenever the head moves, logs each anchor, and stops cleanly', async () => {
      const logged: object[] = [];
      const log: AnchorLogger = { info: (obj) => logged.push(obj), error: (obj) => { throw new Error(`unexpected error log ${JSON.stringify(obj)}`); } };
      const anchoring = startAuditAnchoring({ db: t.db, file, intervalMs: 20, log });
      await waitUntil(() => logged.length === 1);
      await new Promise((r) => setTimeout(r, 80)); // unchanged head: nothing new
      expect(logged).toHaveLength(1);
      const { id, hash } = await appendAuditEntry(t.db, { actor: 'admin:1', action: 'product.updated', target: 'product:1' });
      await waitUntil(() => logged.length === 2);
      await anchoring.stop();
      expect(logged[1]).toEqual({ auditAnchor: expect.objectContaining({ id, hash }) });
      const read = await readAuditAnchors(file);
      expect(read.found && read.anchors.map((a) => a.id)).toEqual([0, 1]);
    });

    it('logs a failed anchor write instead of throwing, and keeps going', async () => {
      const errors: object[] = [];
      const log: AnchorLogger = { info: () => {}, error: (obj) => errors.push(obj) };
      const anchoring = startAuditAnchoring({ db: t.db, file: path.join(path.dirname(file), '..'), intervalMs: 20, log }); // a directory: cannot append
      await waitUntil(() => errors.length >= 2);
      await anchoring.stop();
      expect(errors[0]).toMatchObject({ file: expect.any(String) });
    });
  });
}
