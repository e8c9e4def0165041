// `mamori shop stop|resume|status` on both databases: the rows and audit entries it writes (actor
// cli:<user>), its exit codes, usage errors, card numbers refused in the message, and a resume
// refused while an incident's checklist is open (a gate double standing in for the incident record).
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import type { ResumeBlocker } from '../incidents/resumption-gate.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { activePauses } from './shop-pause.ts';
import { run, type ShopCliDeps } from './shop-cli.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; before_json: string | null; after_json: string | null };

for (const database of DATABASES) {
  describe(`mamori shop on ${database.name}`, () => {
    let migrated: MigratedTestDatabase;
    let blocker: ResumeBlocker | null = null;
    beforeAll(async () => { migrated = await openMigratedDatabase(database); });
    afterAll(async () => { await migrated?.dispose(); });

    async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
      let out = '';
      let err = '';
      const deps: Partial<ShopCliDeps> = {
        // The shared handle stays open across calls: the test disposes of it.
        openDb: async () => ({ db: migrated.handle.db, close: async () => {} }),
        out: (t) => { out += t; }, err: (t) => { err += t; },
        clock: () => new Date('2026-12-01T10:00:00Z'),
        actor: () => 'cli:tanaka',
        resumeGate: async () => blocker,
      };
      const code = await run(args, deps);
      return { code, out, err };
    }
    const audit = async (action: string) => migrated.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
      .select(['id', 'action', 'actor', 'target', 'before_json', 'after_json']).where('action', '=', action).orderBy('id').execute();

    it('status with nothing stopped exits 0; stop (default: the storefront) is stored and audited as the CLI actor', async () => {
      const idle = await cli('status');
      expect(idle).toMatchObject({ code: 0 });
      expect(idle.out).toContain('storefront     running');

      const stopped = await cli('stop', '--message', '只今点検中です', '--message-en', 'Closed for a check', '--reason', 'suspicious script on /checkout');
      expect(stopped.code).toBe(0);
      expect(stopped.out).toContain('Stopped: storefront (as cli:tanaka)');
      const pause = (await activePauses(migrated.db)).storefront;
      expect(pause).toMatchObject({ paused_by: 'cli:tanaka', reason: 'suspicious script on /checkout', message: '只今点検中です', message_en: 'Closed for a check', paused_at: '2026-12-01T10:00:00.000Z' });
      expect((await activePauses(migrated.db)).card_payments).toBeUndefined();
      const entries = await audit('shop.paused');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: 'cli:tanaka', target: 'pause:storefront' });
      expect(JSON.parse(entries[0]!.after_json!)).toEqual({ reason: 'suspicious script on /checkout', alertId: null, message: '只今点検中です', messageEn: 'Closed for a check' });

      // A second stop keeps the first and its message.
      const again = await cli('stop', '--message', 'other');
      expect(again.code).toBe(0);
      expect(again.out).toContain('Already stopped: storefront since 2026-12-01T10:00:00.000Z by cli:tanaka');
      expect((await activePauses(migrated.db)).storefront?.message).toBe('只今点検中です');
      expect(await audit('shop.paused')).toHaveLength(1);
    });

    it('status shows what is stopped (table and json) and exits 1', async () => {
      const table = await cli('status');
      expect(table.code).toBe(1);
      expect(table.out).toMatch(/storefront {5}STOPPED since 2026-12-01T10:00:00.000Z by cli:tanaka; reason: suspicious script on \/checkout; message: 只今点検中です; message \(en\): Closed for a check/);
      expect(table.out).toContain('card payments  running');
      expect(table.out).toContain('(card payments are stopped with the storefront)');
      const json = await cli('status', '--format', 'json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.out)).toEqual({
        storefront: { stopped: true, since: '2026-12-01T10:00:00.000Z', by: 'cli:tanaka', reason: 'suspicious script on /checkout', message: '只今点検中です', messageEn: 'Closed for a check', alertId: null },
        cardPayments: { stopped: false, stoppedWithStorefront: true },
        resumeBlocker: null,
      });
    });

    it('refuses to resume while an incident is open, shows its reference and open items, exits 1 and audits the refusal', async () => {
      blocker = { incidentId: 7, reference: 'INC-2026-0007', openItems: ['External scan passing', 'Forensic report received'] };
      try {
        const status = await cli('status', '--format', 'json');
        expect(JSON.parse(status.out).resumeBlocker).toEqual(blocker);
        expect((await cli('status')).out).toContain('Resuming is blocked by incident INC-2026-0007: 2 open item(s): External scan passing; Forensic report received');
        const refused = await cli('resume', '--note', 'looks fine');
        expect(refused.code).toBe(1);
        expect(refused.err).toContain('Refused: incident INC-2026-0007 is open');
        expect(refused.err).toContain('  - External scan passing\n  - Forensic report received');
        expect((await activePauses(migrated.db)).storefront).toBeDefined();
        expect(await audit('shop.resumed')).toHaveLength(0);
        const entries = await audit('shop.resume_refused');
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ actor: 'cli:tanaka', target: 'pause:storefront' });
        expect(JSON.parse(entries[0]!.after_json!)).toMatchObject({ incident: 'INC-2026-0007', openItems: blocker.openItems });
      } finally {
        blocker = null;
      }
    });

    it('resumes the storefront (audited), then card payments with --payments-only, or both with --all', async () => {
      const resumed = await cli('resume', '--note', 'script removed, hashes verified');
      expect(resumed.code).toBe(0);
      expect(resumed.out).toContain('Resumed: storefront (as cli:tanaka)');
      expect(await activePauses(migrated.db)).toEqual({});
      const entries = await audit('shop.resumed');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: 'cli:tanaka', target: 'pause:storefront' });
      expect(JSON.parse(entries[0]!.after_json!)).toEqual({ note: 'script removed, hashes verified' });
      expect((await cli('resume')).out).toContain('Not stopped: storefront; nothing to resume.');

      expect((await cli('stop', '--payments-only')).out).toContain('Stopped: card payments');
      expect(Object.keys(await activePauses(migrated.db))).toEqual(['card_payments']);
      expect((await cli('resume')).out).toContain('Card payments stay stopped');
      expect((await cli('resume', '--payments-only')).out).toContain('Resumed: card payments');

      await cli('stop');
      await cli('stop', '--payments-only');
      const all = await cli('resume', '--all');
      expect(all.code).toBe(0);
      expect(all.out).toContain('Resumed: storefront');
      expect(all.out).toContain('Resumed: card payments');
      expect(await activePauses(migrated.db)).toEqual({});
      expect((await verifyAuditChain(migrated.db)).ok).toBe(true);
    });

    it('refuses bad usage with exit 2 and changes nothing; a card number is not accepted as a message', async () => {
      for (const args of [[], ['pause'], ['stop', 'now'], ['resume', '--payments-only', '--all'], ['status', '--format', 'xml'], ['stop', '--note', 'x'], ['stop', '--bogus'], ['stop', '--message', '   ']]) {
        const r = await cli(...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.err).toContain('usage: mamori shop');
      }
      const card = await cli('stop', '--message', 'call us, card 4242 4242 4242 4242');
      expect(card.code).toBe(2);
      expect(card.err).toContain('Do not enter card numbers here');
      expect(card.err).not.toContain('4242 4242');
      expect(await activePauses(migrated.db)).toEqual({});
      expect((await cli('--help')).code).toBe(0);
    });
  });
}

// The real command line against a running shop: `npm run mamori -- shop …` in its own process
// (what an operator types), the shop in this one, both on one database. The stop reaches the shop
// (SQLite: its next request reads it; PostgreSQL: the CLI's NOTIFY).
for (const database of DATABASES) {
  describe(`mamori shop as a process beside a running shop on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database); });
    afterAll(async () => { await shop?.dispose(); });

    const mamori = (...args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli/mamori.ts'), ...args], {
        env: { ...process.env, DATA_DIR: shop.dataDir, DATABASE_URL: shop.config.databaseUrl, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      child.on('exit', (code) => resolve({ code, out, err }));
    });

    it('stop, status and resume from the command line reach the running shop', async () => {
      const user = `cli:${userInfo().username}`;
      const stopped = await mamori('shop', 'stop', '--message', '臨時休業', '--message-en', 'Closed today');
      expect(stopped, stopped.err).toMatchObject({ code: 0 });
      expect(stopped.out).toContain(`Stopped: storefront (as ${user})`);
      await shop.app.storefrontStop.state.until((p) => p.storefront !== undefined, 3000);
      const page = await shop.app.inject({ method: 'GET', url: '/?lang=en' });
      expect([page.statusCode, page.body.includes('Closed today')]).toEqual([503, true]);

      const status = await mamori('shop', 'status', '--format', 'json');
      expect(status.code).toBe(1);
      expect(JSON.parse(status.out).storefront).toMatchObject({ stopped: true, by: user, message: '臨時休業', messageEn: 'Closed today' });

      const resumed = await mamori('shop', 'resume', '--note', 'checked');
      expect(resumed, resumed.err).toMatchObject({ code: 0 });
      await shop.app.storefrontStop.state.until((p) => p.storefront === undefined, 3000);
      expect((await shop.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    }, 60_000);
  });
}
