import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATABASES } from '../../test/support/databases.ts';
import { appendAuditEntry } from './audit-log.ts';
import { GENESIS_HASH } from './audit-entry-hash.ts';
import { auditAnchorJob, readAuditAnchors, writeAuditAnchor, type AuditAnchorJobOptions } from './audit-anchors.ts';
import { createJobScheduler, type JobScheduler } from '../jobs/job-scheduler.ts';
import { listJobRuns } from '../jobs/job-runs.ts';
import type { ShopLogger } from '../shop-context.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { openAuditTestDatabase, tamperWithAuditLog, type AuditTestDatabase } from '../../test/support/audit-test-database.ts';

const MIN = 60_000;

function recordingLogger() {
  const lines: Array<{ level: string; obj: unknown; msg?: string }> = [];
  const at = (level: string) => (obj: unknown, msg?: string) => { lines.push({ level, obj, msg }); };
  const log: ShopLogger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { lines, log };
}

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

    let scheduler: JobScheduler | undefined;
    let now: Date;
    afterEach(async () => { await scheduler?.stop(); scheduler = undefined; });
    async function startAnchoring(opts: Omit<AuditAnchorJobOptions, 'db' | 'clock'>, log: ShopLogger): Promise<JobScheduler> {
      scheduler = createJobScheduler({
        db: t.handle, databaseUrl: t.url, clock: () => now, timeZone: 'Asia/Tokyo', log, pollMs: 0,
        jobs: [auditAnchorJob({ ...opts, db: t.db, clock: () => now })],
      });
      await scheduler.start();
      return scheduler;
    }

    it('anchors at start and at each 5-minute slot when the head has moved, logs each anchor', async () => {
      now = new Date('2026-12-01T00:00:10.000Z');
      const { lines, log } = recordingLogger();
      const s = await startAnchoring({ file, log }, log);
      await s.settled();
      const anchors = () => lines.filter((l) => l.msg === 'audit log anchor').map((l) => l.obj);
      expect(anchors()).toEqual([{ auditAnchor: { at: '2026-12-01T00:00:10.000Z', id: 0, hash: GENESIS_HASH } }]);
      expect(s.nextRunAt('audit-anchor')?.toISOString()).toBe('2026-12-01T00:05:00.000Z');

      now = new Date('2026-12-01T00:05:00.000Z');
      expect(await s.runDue()).toEqual(['audit-anchor']);
      expect(anchors()).toHaveLength(1); // unchanged head: nothing new

      const { id, hash } = await appendAuditEntry(t.db, { actor: 'admin:1', action: 'product.updated', target: 'product:1' });
      now = new Date('2026-12-01T00:10:00.000Z');
      expect(await s.runDue()).toEqual(['audit-anchor']);
      expect(anchors()[1]).toEqual({ auditAnchor: { at: '2026-12-01T00:10:00.000Z', id, hash } });
      const read = await readAuditAnchors(file);
      expect(read.found && read.anchors.map((a) => [a.id, a.at])).toEqual([[0, '2026-12-01T00:00:10.000Z'], [1, '2026-12-01T00:10:00.000Z']]);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('records a failed anchor write as a failed run instead of throwing, and tries again at the next slot', async () => {
      now = new Date('2026-12-02T00:00:10.000Z');
      const { lines, log } = recordingLogger();
      const dir = path.join(path.dirname(file), '..'); // a directory: cannot append
      const s = await startAnchoring({ file: dir, log }, log);
      await s.settled();
      now = new Date('2026-12-02T00:05:00.000Z');
      expect(await s.runDue()).toEqual(['audit-anchor']);
      const runs = await listJobRuns(t.db, 'audit-anchor');
      expect(runs.slice(0, 2).map((r) => [r.trigger, r.outcome])).toEqual([['schedule', 'failed'], ['startup', 'failed']]);
      expect(runs[0]!.error).toMatch(/EISDIR/);
      expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['job audit-anchor failed', 'job audit-anchor failed']);
    });
  });
}
