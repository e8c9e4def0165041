// Cart writes skip the commit's wait for the disk (losable-transaction.ts); nothing else may. The
// tests check the relaxed level applies inside the transaction only, that a transaction queued
// beside it commits at full durability, and that a failure still rolls everything back.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { openDatabase } from './database.ts';
import { losableTransaction } from './losable-transaction.ts';

const FULL = 2;
const NORMAL = 1;

describeEachDatabase('losable transaction', (database) => {
  let m: MigratedTestDatabase;
  beforeAll(async () => { m = await openMigratedDatabase(database); });
  afterAll(async () => { await m?.dispose(); });

  /** What durability a transaction on `db` commits with: SQLite's synchronous level, PostgreSQL's synchronous_commit. */
  const durability = async (db: typeof m.db): Promise<string> => {
    if (database.name === 'postgres') return (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]!.synchronous_commit === 'on' ? 'full' : 'relaxed';
    const level = Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]!.synchronous);
    return level === FULL ? 'full' : level === NORMAL ? 'relaxed' : 'other';
  };

  // 'full' before: the shop opens SQLite with synchronous = FULL (database.ts), which the switch back restores.
  it('relaxes durability inside the transaction only, and its commit is seen by another connection', async () => {
    expect(await durability(m.db)).toBe('full');
    const inside = await losableTransaction(m.db, async (trx) => {
      await trx.insertInto('carts').values({ id: '00000000-0000-4000-8000-00000000a001', created_at: '2026-12-03T00:00:00Z', updated_at: '2026-12-03T00:00:00Z' }).execute();
      return durability(trx);
    });
    expect(inside).toBe('relaxed');
    expect(await durability(m.db)).toBe('full');
    const other = openDatabase(m.url);
    try {
      expect(await other.db.selectFrom('carts').where('id', '=', '00000000-0000-4000-8000-00000000a001').select('id').executeTakeFirst()).toBeDefined();
    } finally {
      await other.close();
    }
  });

  it('a transaction queued while it runs commits at full durability', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let entered!: () => void;
    const started = new Promise<void>((resolve) => { entered = resolve; });
    const losable = losableTransaction(m.db, async (trx) => { entered(); await gate; return durability(trx); });
    await started;
    // Asked for while the losable one holds the connection (SQLite) or runs beside it (PostgreSQL).
    const ordinary = m.db.transaction().execute((trx) => durability(trx));
    open();
    expect(await losable).toBe('relaxed');
    expect(await ordinary).toBe('full');
    expect(await durability(m.db)).toBe('full');
  });

  it('a failure rolls the whole transaction back and restores full durability', async () => {
    const id = '00000000-0000-4000-8000-00000000a002';
    await expect(losableTransaction(m.db, async (trx) => {
      await trx.insertInto('carts').values({ id, created_at: '2026-12-03T00:00:00Z', updated_at: '2026-12-03T00:00:00Z' }).execute();
      throw new Error('refused after the first write');
    })).rejects.toThrow('refused after the first write');
    expect(await m.db.selectFrom('carts').where('id', '=', id).select('id').executeTakeFirst()).toBeUndefined();
    expect(await durability(m.db)).toBe('full');
  });
});
