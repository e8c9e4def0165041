// A query compiled once (reusable-query.ts) must run exactly as a fresh build with the same values
// would, on each engine, inside and outside a transaction, and never keep an earlier run's values.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { reusableQuery } from './reusable-query.ts';

const build = (db: Kysely<any>, p: { id: string; after: string }) => db.selectFrom('carts').where('id', '=', p.id).where('created_at', '>=', p.after).select(['id', 'created_at']).orderBy('id').limit(5);
const cartsSince = reusableQuery(build);

describeEachDatabase('reusable query', (database) => {
  let m: MigratedTestDatabase;
  const a = '00000000-0000-4000-8000-0000000000a1';
  const b = '00000000-0000-4000-8000-0000000000b2';
  beforeAll(async () => {
    m = await openMigratedDatabase(database);
    await m.db.insertInto('carts').values([
      { id: a, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' },
      { id: b, created_at: '2026-12-03T00:00:00Z', updated_at: '2026-12-03T00:00:00Z' },
    ]).execute();
  });
  afterAll(async () => { await m?.dispose(); });

  it('compiles to the SQL and values of a fresh build, the constants (limit 5) kept', () => {
    const params = { id: a, after: '2026-11-30T00:00:00Z' };
    const fresh = build(m.db, params).compile();
    const reused = cartsSince.compiledFor(m.db, params);
    expect(reused.sql).toBe(fresh.sql);
    expect(reused.parameters).toEqual(fresh.parameters);
    expect(reused.parameters).toContain(5);
  });

  it('each run uses its own values, on the database and in a transaction', async () => {
    expect((await cartsSince(m.db, { id: a, after: '2026-11-30T00:00:00Z' })).rows.map((r) => r.id)).toEqual([a]);
    expect((await cartsSince(m.db, { id: b, after: '2026-11-30T00:00:00Z' })).rows.map((r) => r.id)).toEqual([b]);
    expect((await cartsSince(m.db, { id: a, after: '2026-12-02T00:00:00Z' })).rows).toEqual([]);
    const inTransaction = await m.db.transaction().execute(async (trx) => (await cartsSince(trx, { id: b, after: '2026-12-02T00:00:00Z' })).rows.map((r) => r.id));
    expect(inTransaction).toEqual([b]);
  });

  it('refuses to run with a parameter missing', async () => {
    await expect(cartsSince(m.db, { id: a } as { id: string; after: string })).rejects.toThrow('no value for parameter "after"');
  });
});
