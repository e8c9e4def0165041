// The PostgreSQL rate-limit store: one counter per key and window, reset when the window is over,
// concurrent increments never lost, expired rows swept. (The two-instance proof is in
// test/instances/shared-state.test.ts; SQLite keeps the plugin's in-memory store.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { incrementCounter, sweepRateLimitCounters } from './rate-limit-store.ts';

const postgres = DATABASES.find((d) => d.name === 'postgres');

describe.skipIf(!postgres)('rate-limit store on postgres', () => {
  let migrated: MigratedTestDatabase;
  beforeAll(async () => { migrated = await openMigratedDatabase(postgres!); });
  afterAll(async () => { await migrated?.dispose(); });

  it('counts within a window and reports the time left', async () => {
    const first = await incrementCounter(migrated.db, 'GET /x|1.2.3.4', 60_000);
    const second = await incrementCounter(migrated.db, 'GET /x|1.2.3.4', 60_000);
    expect([first.current, second.current]).toEqual([1, 2]);
    expect(second.ttl).toBeGreaterThan(50_000);
    expect(second.ttl).toBeLessThanOrEqual(60_000);
    expect((await incrementCounter(migrated.db, 'GET /y|1.2.3.4', 60_000)).current).toBe(1);
  });

  it('starts a new window once the old one is over, and the sweep deletes only ended windows', async () => {
    // A window of 0 ms is over at the next statement (the database's clock never goes back).
    await incrementCounter(migrated.db, 'GET /z|5.6.7.8', 0);
    expect((await incrementCounter(migrated.db, 'GET /z|5.6.7.8', 0)).current).toBe(1);
    await incrementCounter(migrated.db, 'GET /kept|5.6.7.8', 60_000);
    expect(await sweepRateLimitCounters(migrated.db)).toBeGreaterThanOrEqual(1);
    const keys = (await sql<{ counter_key: string }>`select counter_key from rate_limit_counters order by counter_key`.execute(migrated.db)).rows.map((r) => r.counter_key);
    expect(keys).toContain('GET /kept|5.6.7.8');
    expect(keys).not.toContain('GET /z|5.6.7.8');
  });

  it('loses no increment under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => incrementCounter(migrated.db, 'POST /c|9.9.9.9', 60_000)));
    expect(results.map((r) => r.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
