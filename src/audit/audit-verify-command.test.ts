// scripts/audit-verify.ts (npm run audit:verify) as an operator runs it: configured by
// DATABASE_URL / DATA_DIR, exit 0 intact, 1 broken, 2 could not check.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { appendAuditEntry } from './audit-log.ts';
import { defaultAuditAnchorsFile, writeAuditAnchor } from './audit-anchors.ts';
import { openAuditTestDatabase, tamperWithAuditLog, type AuditTestDatabase } from '../../test/support/audit-test-database.ts';

function runAuditVerify(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/audit-verify.ts'), ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachDatabase('npm run audit:verify', (database) => {
  let t: AuditTestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await openAuditTestDatabase(database);
    env = { DATABASE_URL: t.url, DATA_DIR: t.dataDir };
    for (let i = 1; i <= 5; i++) await appendAuditEntry(t.db, { actor: 'admin:1', action: 'product.updated', target: `product:${i}`, after: { i } });
    await writeAuditAnchor(t.db, defaultAuditAnchorsFile(t.dataDir));
  });
  afterAll(async () => { await t?.dispose(); });

  it('exits 0 for an intact log, checking the anchors in DATA_DIR', async () => {
    const r = await runAuditVerify(env);
    expect(r.stdout).toContain('audit log intact: 5 entries');
    expect(r.stdout).toContain('anchors: 1 matched');
    expect(r.code).toBe(0);
  });

  it('exits 1 and names the first bad entry after a row was edited in the database', async () => {
    await tamperWithAuditLog(t.handle, async (db) => { await db.updateTable('audit_log').set({ target: 'product:99' }).where('id', '=', 3).execute(); });
    const r = await runAuditVerify(env, ['--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, firstBadId: 3, reason: 'HASH_MISMATCH' });
    const human = await runAuditVerify(env);
    expect(human.stdout).toContain('audit log BROKEN at entry #3: HASH_MISMATCH');
    expect(human.code).toBe(1);
  });

  it('exits 2 when it cannot check at all, without a stack trace', async () => {
    const unreachable = database.name === 'postgres'
      ? { DATABASE_URL: new URL('/mamori_no_such_database', t.url).toString() }
      : { DATABASE_URL: path.join(t.dataDir, 'no-such.sqlite') };
    const r = await runAuditVerify({ ...env, ...unreachable });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^audit:verify: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runAuditVerify({ ...env, PORT: 'not-a-port' })).code).toBe(2);
  });
});
