// Expired customer sessions and Store API tokens (customer_sessions rows of either kind) are
// refused and deleted when presented (lookupCustomerSession), but one never presented again — a
// closed browser, a token a headless storefront dropped — stayed in the table for good, with its
// IP address and user agent. A nightly job deletes every row past the expiry the lookup applies:
// idle or absolute for web sessions, the fixed lifetime for API tokens, PASSWORD_STAGE_MS for a
// sign-in still waiting for its TOTP code (those are 'password'-stage rows of the same table).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ShopConfig } from '../config/config.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { PASSWORD_STAGE_MS, type CustomerSessionKind, type SessionLimits } from './customer-sessions.ts';

const BATCH = 500;

/** The limits lookupCustomerSession is given per kind (routes.tsx for 'web', customerOfApiToken for 'api'). */
export function customerSessionLimits(c: ShopConfig['customerAccounts']): Record<CustomerSessionKind, SessionLimits> {
  return { web: { idleMs: c.sessionIdleMs, maxMs: c.sessionMaxMs }, api: { idleMs: c.apiTokenMs, maxMs: c.apiTokenMs } };
}

/** Deletes the rows lookupCustomerSession would refuse at `now`. Returns how many. */
export async function purgeExpiredCustomerSessions(db: Kysely<Database>, limits: Record<CustomerSessionKind, SessionLimits>, now: Date, signal?: AbortSignal): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  let deleted = 0;
  for (const kind of ['web', 'api'] as const) {
    const l = limits[kind];
    // Timestamps are ISO strings in UTC (toISOString), so text order is time order on both databases.
    const expired = db.selectFrom('customer_sessions').select('id_hash').where('kind', '=', kind).where((eb) => eb.or([
      eb('last_seen_at', '<', before(l.idleMs)),
      eb.and([eb('stage', '=', 'full'), eb('created_at', '<', before(l.maxMs))]),
      eb.and([eb('stage', '=', 'password'), eb('created_at', '<', before(PASSWORD_STAGE_MS))]),
    ]));
    // In batches, so one run never holds a long write lock over sign-ins. No re-check at delete:
    // an expired row never becomes valid again (a lookup deletes it instead of touching it).
    for (;;) {
      signal?.throwIfAborted();
      const ids = (await expired.limit(BATCH).execute()).map((r) => r.id_hash);
      if (ids.length === 0) break;
      await db.deleteFrom('customer_sessions').where('id_hash', 'in', ids).execute();
      deleted += ids.length;
      if (ids.length < BATCH) break;
    }
  }
  return deleted;
}

export function purgeCustomerSessionsJob(opts: { db: Kysely<Database>; clock: () => Date; config: ShopConfig['customerAccounts']; log: { info(obj: object, msg?: string): void } }): JobDefinition {
  return {
    name: 'purge-customer-sessions',
    schedule: { cron: '15 4 * * *' }, // nightly, in the shop's time zone
    timeoutMs: 10 * 60_000,
    async run(signal) {
      const deleted = await purgeExpiredCustomerSessions(opts.db, customerSessionLimits(opts.config), opts.clock(), signal);
      if (deleted > 0) opts.log.info({ deleted }, 'expired customer sessions and API tokens deleted');
    },
  };
}
