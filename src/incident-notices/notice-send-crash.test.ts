// "Resumable after a crash without sending anyone twice": a child process runs the send loop and
// is killed with SIGKILL mid-send, then a second one finishes the job; every recipient must have
// exactly one mail in the outbox and one 'sent' record.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { insertIncidentOrder, insertTestIncident } from '../../test/support/incident-orders.ts';
import { saveIncidentScope } from '../incident-scope/incident-scope.ts';
import { startNoticeSend } from './send-notices.ts';
import { noticeDb } from './notice-tables.ts';

const RECIPIENTS = 30;
const KILL_AFTER = 10;
const child = path.resolve('test/support/notice-send-child.ts');

function keyedMails(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('keyed-') && f.endsWith('.eml'));
}

function run(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => p.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves once the outbox holds n mails (watching the folder, no polling); kills the child then. */
function killWhenOutboxHolds(p: ChildProcess, dir: string, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, () => check());
    const done = exited(p).then(() => { watcher.close(); reject(new Error('the sender finished before it could be killed')); });
    void done;
    function check() {
      if (keyedMails(dir).length >= n) {
        watcher.close();
        p.kill('SIGKILL');
        resolve();
      }
    }
    check();
  });
}

describeEachDatabase('incident notice send killed mid-send', (database) => {
  let t: MigratedTestDatabase;
  let outbox: string;
  beforeEach(async () => {
    t = await openMigratedDatabase(database);
    outbox = path.join(t.dataDir, 'outbox');
    mkdirSync(outbox, { recursive: true, mode: 0o700 });
    const incidentId = await insertTestIncident(t.db);
    for (let i = 0; i < RECIPIENTS; i++) {
      await insertIncidentOrder(t.db, { orderNumber: `MA-${String(i).padStart(4, '0')}`, email: `c${i}@example.jp`, createdAt: '2026-11-02T00:00:00.000Z', paidAt: '2026-11-02T01:00:00.000Z' });
    }
    await saveIncidentScope(t.db, incidentId, { criterion: 'card_paid', from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' }, 'admin:1', new Date());
    expect(await startNoticeSend(t.db, incidentId, 'admin:1', new Date())).toMatchObject({ ok: true, recipients: RECIPIENTS });
  });
  afterEach(async () => t?.dispose());

  async function expectEveryRecipientExactlyOnce() {
    const files = keyedMails(outbox);
    const to = files.map((f) => /^To: (.+)$/m.exec(readFileSync(path.join(outbox, f), 'utf8'))?.[1]?.trim());
    expect(to.sort()).toEqual(Array.from({ length: RECIPIENTS }, (_, i) => `c${i}@example.jp`).sort());
    const rows = await noticeDb(t.db).selectFrom('incident_notice_recipients').select(['email', 'status']).execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(RECIPIENTS);
    const recorded = await t.db.selectFrom('customer_mails').select('recipient').where('kind', '=', 'incident_notice').execute();
    expect(recorded).toHaveLength(RECIPIENTS);
    expect(new Set(recorded.map((r) => r.recipient)).size).toBe(RECIPIENTS);
  }

  it('killed after a mail went out but before it was recorded: the restart sends the rest, nobody twice', async () => {
    const first = run({ NOTICE_DB_URL: t.url, NOTICE_OUTBOX: outbox, NOTICE_HANG_AFTER: String(KILL_AFTER) });
    const gone = exited(first);
    await killWhenOutboxHolds(first, outbox, KILL_AFTER);
    expect((await gone).signal).toBe('SIGKILL');
    const rows = await noticeDb(t.db).selectFrom('incident_notice_recipients').select(['status']).execute();
    // The crash window was hit: the tenth mail is in the outbox while its row still says 'sending'.
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(KILL_AFTER - 1);
    expect(rows.filter((r) => r.status === 'sending')).toHaveLength(1);
    expect(keyedMails(outbox)).toHaveLength(KILL_AFTER);

    const second = run({ NOTICE_DB_URL: t.url, NOTICE_OUTBOX: outbox, NOTICE_STALE_MS: '0' });
    expect(await exited(second)).toEqual({ code: 0, signal: null });
    await expectEveryRecipientExactlyOnce();
  });

  it('killed wherever it happens to be after N mails: still exactly once each after the restart', async () => {
    const first = run({ NOTICE_DB_URL: t.url, NOTICE_OUTBOX: outbox });
    const gone = exited(first);
    await killWhenOutboxHolds(first, outbox, KILL_AFTER);
    await gone;
    const second = run({ NOTICE_DB_URL: t.url, NOTICE_OUTBOX: outbox, NOTICE_STALE_MS: '0' });
    expect(await exited(second)).toEqual({ code: 0, signal: null });
    await expectEveryRecipientExactlyOnce();
  });
});
