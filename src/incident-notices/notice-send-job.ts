// The bulk send of incident notices as a job: every minute (and on demand from the back office),
// up to NOTICE_SEND_PER_MINUTE mails. On PostgreSQL pg-boss runs each slot once across instances.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { sendDueNotices } from './send-notices.ts';

export const NOTICE_SEND_JOB = 'send-incident-notices';
const TIMEOUT_MS = 55_000;
/** A claim older than this cannot belong to a live run (runs never overlap and end at their timeout). */
export const NOTICE_CLAIM_STALE_MS = 2 * TIMEOUT_MS;

export function noticeSendJob(shop: ShopContext, log: ShopLogger): JobDefinition {
  return {
    name: NOTICE_SEND_JOB,
    schedule: { everyMs: 60_000 },
    timeoutMs: TIMEOUT_MS,
    // A send interrupted by a crash or restart continues at once.
    runAtStart: true,
    async run(signal) {
      await sendDueNotices(
        { db: shop.db.db, mailer: shop.mailer, clock: shop.clock, publicUrl: shop.config.publicUrl, perMinute: shop.config.incidentNotices.sendPerMinute, log },
        { staleAfterMs: NOTICE_CLAIM_STALE_MS, signal },
      );
    },
  };
}
