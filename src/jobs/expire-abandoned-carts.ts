// Carts hold no personal data, but they pile up (every visitor who adds an item makes one) and a
// cart id is a bearer token for its contents: carts not touched for CART_RETENTION_DAYS are deleted.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobDefinition } from './job-definition.ts';

const BATCH = 500;

/** Deletes carts (and their items) last updated before `now - retentionDays`. Returns how many. */
export async function expireAbandonedCarts(db: Kysely<Database>, now: Date, retentionDays: number, signal?: AbortSignal): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  let deleted = 0;
  // In batches, so one run never holds a long write lock over the checkout's tables.
  for (;;) {
    signal?.throwIfAborted();
    const ids = (await db.selectFrom('carts').select('id').where('updated_at', '<', cutoff).orderBy('updated_at').limit(BATCH).execute()).map((r) => r.id);
    if (ids.length === 0) return deleted;
    await db.transaction().execute(async (trx) => {
      // Re-checked inside the transaction: a cart touched since the select keeps its items.
      const still = trx.selectFrom('carts').select('id').where('id', 'in', ids).where('updated_at', '<', cutoff);
      await trx.deleteFrom('cart_items').where('cart_id', 'in', still).execute();
      await trx.deleteFrom('carts').where('id', 'in', ids).where('updated_at', '<', cutoff).execute();
    });
    deleted += ids.length;
    if (ids.length < BATCH) return deleted;
  }
}

export function expireAbandonedCartsJob(opts: { db: Kysely<Database>; clock: () => Date; retentionDays: number; log: { info(obj: object, msg?: string): void } }): JobDefinition {
  return {
    name: 'expire-abandoned-carts',
    schedule: { cron: '45 3 * * *' }, // nightly, in the shop's time zone
    timeoutMs: 10 * 60_000,
    async run(signal) {
      const deleted = await expireAbandonedCarts(opts.db, opts.clock(), opts.retentionDays, signal);
      if (deleted > 0) opts.log.info({ deleted, retentionDays: opts.retentionDays }, 'abandoned carts deleted');
    },
  };
}
