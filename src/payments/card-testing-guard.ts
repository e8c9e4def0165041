// Card-testing ("credit master") defence, which Japan's card-security guidelines (v6.0)
// require of EC merchants: attackers run stolen or generated card numbers through a shop's
// checkout. Payment attempts are limited per order, per e-mail, per client IP and overall,
// and repeated declines block the order and the client for a while.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';

export interface VelocityLimits {
  perOrder: number; // attempts per order per window
  perEmail: number;
  perIp: number;
  overall: number;
  windowMinutes: number;
  /** Declines on one order (or from one IP) within the window that trigger a block. */
  declinesBeforeBlock: number;
  blockMinutes: number;
}

export const DEFAULT_VELOCITY_LIMITS: VelocityLimits = {
  perOrder: 5, perEmail: 10, perIp: 20, overall: 1000, windowMinutes: 60, declinesBeforeBlock: 3, blockMinutes: 30,
};

export type VelocityDecision = { ok: true } | { ok: false; reason: 'blocked' | 'too_many_attempts'; until?: string };

export async function checkPaymentVelocity(
  db: Kysely<Database>,
  limits: VelocityLimits,
  a: { orderId: string; email: string; ip: string; now: Date },
): Promise<VelocityDecision> {
  const now = a.now.toISOString();
  const block = await db.selectFrom('payment_blocks')
    .where('block_key', 'in', [`order:${a.orderId}`, `email:${a.email}`, `ip:${a.ip}`])
    .where('until', '>', now)
    .select(['block_key', 'until'])
    .executeTakeFirst();
  if (block) return { ok: false, reason: 'blocked', until: block.until };

  const since = new Date(a.now.getTime() - limits.windowMinutes * 60_000).toISOString();
  const count = (col: 'order_id' | 'email' | 'client_ip' | null, value?: string) => {
    let q = db.selectFrom('payment_attempts').where('created_at', '>', since);
    if (col) q = q.where(col, '=', value!);
    return q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  };
  const [perOrder, perEmail, perIp, overall] = await Promise.all([count('order_id', a.orderId), count('email', a.email), count('client_ip', a.ip), count(null)]);
  const exceeded =
    perOrder >= limits.perOrder ? 'order' : perEmail >= limits.perEmail ? 'email' : perIp >= limits.perIp ? 'ip' : overall >= limits.overall ? 'overall' : undefined;
  if (exceeded) {
    await recordSecurityEvent(db, 'payment.velocity_block', { orderId: a.orderId, limit: exceeded, perOrder, perEmail, perIp, overall }, a.now, a.ip);
    return { ok: false, reason: 'too_many_attempts' };
  }
  return { ok: true };
}

/** After a decline: blocks the order, its e-mail and the client's IP once declines pile up. */
export async function registerDecline(db: Kysely<Database>, limits: VelocityLimits, a: { orderId: string; now: Date }): Promise<boolean> {
  const attempt = await db.selectFrom('payment_attempts').where('order_id', '=', a.orderId).orderBy('id', 'desc').select(['email', 'client_ip']).executeTakeFirst();
  if (!attempt) return false;
  const since = new Date(a.now.getTime() - limits.windowMinutes * 60_000).toISOString();
  const declines = await db.selectFrom('payment_attempts')
    .where('created_at', '>', since)
    .where('status', '=', 'declined')
    .where((eb) => eb.or([eb('order_id', '=', a.orderId), eb('client_ip', '=', attempt.client_ip)]))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(declines.n) < limits.declinesBeforeBlock) return false;
  const until = new Date(a.now.getTime() + limits.blockMinutes * 60_000).toISOString();
  for (const key of [`order:${a.orderId}`, `email:${attempt.email}`, `ip:${attempt.client_ip}`]) {
    await db.insertInto('payment_blocks').values({ block_key: key, reason: 'repeated declines', until })
      .onConflict((oc) => oc.column('block_key').doUpdateSet({ until, reason: 'repeated declines' })).execute();
  }
  await recordSecurityEvent(db, 'payment.decline_block', { orderId: a.orderId, declines: Number(declines.n), until }, a.now, attempt.client_ip);
  return true;
}
