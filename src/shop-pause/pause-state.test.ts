// The per-process pause state. PostgreSQL: it follows NOTIFY (the fallback poll is 60 s here, so
// nothing else could), survives its listening connection being killed (it reconnects and reloads),
// and a reload that started earlier never overwrites a newer one. SQLite: every ask reads the table.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { silentLogger } from '../shop-context.ts';
import { directPauseState, listeningPauseState, markedPauseState, type PauseState } from './pause-state.ts';
import { openDatabase } from '../db/database.ts';
import { pauseShop, resumeShop, type Pauses } from './shop-pause.ts';

const stopped = (p: Pauses) => p.storefront !== undefined;
const open = (p: Pauses) => p.storefront === undefined;

for (const database of DATABASES) {
  describe(`pause state on ${database.name}`, () => {
    let migrated: MigratedTestDatabase;
    let state: PauseState;
    const ctx = () => ({ db: migrated.handle, clock: () => new Date() });

    beforeAll(async () => {
      migrated = await openMigratedDatabase(database);
      state = database.name === 'postgres'
        ? listeningPauseState({ db: migrated.db, connectionString: migrated.url, pollMs: 60_000, logger: silentLogger, reconnectMs: { first: 20, max: 200 } })
        : markedPauseState(migrated.db, migrated.handle.changeMarker!);
      await pauseShop(migrated.db, { scope: 'card_payments', reason: 'before start', actor: { id: 'test' } }, new Date());
      await state.start();
    });
    afterAll(async () => {
      await state?.stop();
      await migrated?.dispose();
    });

    it('knows a pause that was in force before it started, and follows a stop and a resume', async () => {
      expect((await state.current()).card_payments?.reason).toBe('before start');
      await pauseShop(migrated.db, { scope: 'storefront', reason: 'incident', message: '休業中', messageEn: 'Closed', actor: { id: 'test' } }, new Date());
      await state.until(stopped, 3000);
      expect((await state.current()).storefront).toMatchObject({ message: '休業中', message_en: 'Closed' });
      expect(await resumeShop(ctx(), 'storefront', { id: 'test' }, 'ok')).toEqual({ ok: true });
      await state.until(open, 3000);
    });

    it('a pause rolled back with its transaction is never announced', async () => {
      await migrated.db.transaction().execute(async (trx) => {
        await pauseShop(trx, { scope: 'storefront', reason: 'rolled back', actor: { id: 'test' } }, new Date());
        throw new Error('rollback');
      }).catch(() => {});
      expect((await state.current()).storefront).toBeUndefined();
      // What the next real stop shows is that one, not the rolled-back one.
      await pauseShop(migrated.db, { scope: 'storefront', reason: 'real', actor: { id: 'test' } }, new Date());
      await state.until(stopped, 3000);
      expect((await state.current()).storefront?.reason).toBe('real');
      await resumeShop(ctx(), 'storefront', { id: 'test' }, 'ok');
      await state.until(open, 3000);
    });

    it.runIf(database.name === 'postgres')('reconnects after its listening connection is killed and follows the next stop', async () => {
      const listener = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and query = 'LISTEN mamori_shop_pause'`.execute(migrated.db)).rows.map((r) => r.pid);
      const [before] = await listener();
      expect(before).toBeDefined();
      await sql`select pg_terminate_backend(${before})`.execute(migrated.db);
      // Paused while the listener may be away: the reload after reconnecting catches it up.
      await pauseShop(migrated.db, { scope: 'storefront', reason: 'during the outage', actor: { id: 'test' } }, new Date());
      await state.until(stopped, 5000);
      await resumeShop(ctx(), 'storefront', { id: 'test' }, 'ok');
      await state.until(open, 5000);
      // And it is listening on a new connection: the next stop arrives by NOTIFY (the poll is 60 s).
      await pauseShop(migrated.db, { scope: 'storefront', reason: 'after', actor: { id: 'test' } }, new Date());
      await state.until((p) => p.storefront?.reason === 'after', 3000);
      const after = await listener();
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before);
      expect(state.describe()).toMatchObject({ kind: 'listen', listening: true });
      await resumeShop(ctx(), 'storefront', { id: 'test' }, 'ok');
      await state.until(open, 3000);
    });
  });
}

// SQLite keeps a copy (issue 16: the table read was 7% of a product page) and must still never
// answer from it after a write: asked right after a commit, with no waiting, it knows.
describe('pause state on sqlite: the kept copy', () => {
  let migrated: MigratedTestDatabase;
  let state: PauseState;
  const loads = () => (state.describe() as { loads: number }).loads;
  const ctx = () => ({ db: migrated.handle, clock: () => new Date() });

  beforeAll(async () => {
    migrated = await openMigratedDatabase(DATABASES.find((d) => d.name === 'sqlite')!);
    state = markedPauseState(migrated.db, migrated.handle.changeMarker!);
    await state.start();
  });
  afterAll(async () => { await migrated?.dispose(); });

  it('is kept while nothing is written (one load for many asks)', async () => {
    await state.current();
    const before = loads();
    for (let i = 0; i < 20; i++) expect(await state.current()).toEqual({});
    expect(loads()).toBe(before);
  });

  it('a stop through the same connection is known at the very next ask, and so is the resume', async () => {
    await state.current();
    await pauseShop(migrated.db, { scope: 'storefront', reason: 'same connection', actor: { id: 'test' } }, new Date());
    expect((await state.current()).storefront?.reason).toBe('same connection');
    expect(await resumeShop(ctx(), 'storefront', { id: 'test' }, 'ok')).toEqual({ ok: true });
    expect((await state.current()).storefront).toBeUndefined();
  });

  it('a stop committed by another connection to the file (the CLI, another process) is known at the very next ask', async () => {
    await state.current();
    const other = openDatabase(migrated.url);
    try {
      await pauseShop(other.db, { scope: 'storefront', reason: 'other connection', actor: { id: 'cli' } }, new Date());
      expect((await state.current()).storefront?.reason).toBe('other connection');
      expect(await resumeShop({ db: other, clock: () => new Date() }, 'storefront', { id: 'cli' }, 'ok')).toEqual({ ok: true });
      expect((await state.current()).storefront).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
