// Where @fastify/rate-limit keeps its counters. SQLite (one instance): in this process, the
// plugin's own LocalStore. PostgreSQL (possibly several instances behind a proxy): one row per
// (route, client) in `rate_limit_counters`, so a client spreading requests over N instances gets
// the limit once, not N times.
//
// PostgreSQL rather than Redis: the shop already depends on PostgreSQL for every request, so this
// adds no service to run, secure, monitor and back up at a merchant's; an increment is one upsert
// on a primary key of an UNLOGGED table, and the rate-limited routes (cart, checkout, lookup,
// notifications, login) write to the database anyway. Window arithmetic uses the database's clock,
// so instances with skewed clocks still agree on a window.
import { sql, type Kysely } from 'kysely';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopLogger } from '../shop-context.ts';

type Incr = FastifyRateLimitStore['incr'];
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0] & { routeInfo?: { method?: string; url?: string } };

/** One windowed increment; resolves with the count in the window and the ms until it resets. */
export async function incrementCounter(db: Kysely<any>, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const r = await sql<{ hits: number; ttl: number }>`
    with t as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms)
    insert into rate_limit_counters as c (counter_key, hits, resets_at_ms)
    select ${key}, 1, t.now_ms + ${windowMs}::bigint from t
    on conflict (counter_key) do update set
      hits = case when c.resets_at_ms <= (select now_ms from t) then 1 else c.hits + 1 end,
      resets_at_ms = case when c.resets_at_ms <= (select now_ms from t) then excluded.resets_at_ms else c.resets_at_ms end
    returning hits, (resets_at_ms - (select now_ms from t)) as ttl`.execute(db);
  const row = r.rows[0]!;
  return { current: Number(row.hits), ttl: Math.max(0, Number(row.ttl)) };
}

/** The store class @fastify/rate-limit instantiates (`store` option), bound to the shop's database. */
export function postgresRateLimitStore(db: Kysely<any>): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(_options?: FastifyRateLimitOptions, private readonly prefix = '') {}
    incr: Incr = (key, callback, timeWindow) => {
      incrementCounter(db, `${this.prefix}${key}`, timeWindow).then((res) => callback(null, res), (err: Error) => callback(err));
    };
    child(routeOptions: RouteOptions): FastifyRateLimitStore {
      const route = routeOptions.routeInfo ?? {};
      return new PostgresRateLimitStore(undefined, `${this.prefix}${route.method ?? ''} ${route.url ?? ''}|`);
    }
  }
  return PostgresRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}

/** Deletes counters whose window is over (rows of clients that never came back). */
export async function sweepRateLimitCounters(db: Kysely<any>): Promise<number> {
  const r = await sql`delete from rate_limit_counters where resets_at_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export function rateLimitSweepJob(db: Kysely<any>, log: ShopLogger): JobDefinition {
  return {
    name: 'rate-limit-sweep',
    schedule: { everyMs: 10 * 60_000 },
    timeoutMs: 60_000,
    async run() {
      const n = await sweepRateLimitCounters(db);
      if (n > 0) log.debug({ deleted: n }, 'expired rate-limit counters deleted');
    },
  };
}
