// Card-testing ("credit master") defence, which Japan's card-security guidelines (v6.0)
// require of EC merchants: attackers run stolen or generated card numbers through a shop's
// checkout. Payment attempts are limited per order, per client address, per e-mail from one
// address and overall, and repeated declines block what the attacker controls for a while.
//
// An e-mail address is not the attacker's to control: anyone can type a victim's address into
// the checkout, so blocking an e-mail after a few declines from one client would let a third
// party stop the victim paying from anywhere. Blocks therefore key on the order, the client
// address and the e-mail *from that address*; an e-mail-wide block needs many more declines,
// spread over addresses (a real card-testing run with one e-mail), to trigger.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordSecurityEvent } from '../security-events/record-security-event.ts';

export interface VelocityLimits {
  perOrder: number; // attempts per order per window
  /** Attempts with one e-mail from one client address. */
  perEmail: number;
  /** Attempts with one e-mail from all addresses together (an attacker can spend someone else's). */
  perEmailAllAddresses: number;
  perIp: number;
  overall: number;
  windowMinutes: number;
  /** Declines on one order, from one address or for one e-mail from one address that trigger a block. */
  declinesBeforeBlock: number;
  /** Declines for one e-mail from any address that block the e-mail everywhere. */
  emailDeclinesBeforeBlock: number;
  blockMinutes: number;
}

export const DEFAULT_VELOCITY_LIMITS: VelocityLimits = {
  perOrder: 5, perEmail: 10, perEmailAllAddresses: 50, perIp: 20, overall: 1000, windowMinutes: 60, declinesBeforeBlock: 3, emailDeclinesBeforeBlock: 20, blockMinutes: 30,
};

export type VelocityDecision = { ok: true } | { ok: false; reason: 'blocked' | 'too_many_attempts'; until?: string };

const emailAtAddress = (email: string, ip: string) => `email_ip:${email}|${ip}`;

export async function checkPaymentVelocity(
  db: Kysely<Database>,
  limits: VelocityLimits,
  a: { orderId: string; email: string; ip: string; now: Date },
): Promise<VelocityDecision> {
  const now = a.now.toISOString();
  const block = await db.selectFrom('payment_blocks')
    .where('block_key', 'in', [`order:${a.orderId}`, `ip:${a.ip}`, emailAtAddress(a.email, a.ip), `email:${a.email}`])
    .where('until', '>', now)
    .select(['block_key', 'until'])
    .executeTakeFirst();
  if (block) return { ok: false, reason: 'blocked', until: block.until };

  const since = new Date(a.now.getTime() - limits.windowMinutes * 60_000).toISOString();
  const count = (where: { order_id?: string; email?: string; client_ip?: string }) => {
    let q = db.selectFrom('payment_attempts').where('created_at', '>', since);
    if (where.order_id) q = q.where('order_id', '=', where.order_id);
    if (where.email) q = q.where('email', '=', where.email);
    if (where.client_ip) q = q.where('client_ip', '=', where.client_ip);
    return q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  };
  const [perOrder, perEmail, perEmailAllAddresses, perIp, overall] = await Promise.all([
    count({ order_id: a.orderId }), count({ email: a.email, client_ip: a.ip }), count({ email: a.email }), count({ client_ip: a.ip }), count({}),
  ]);
  const exceeded =
    perOrder >= limits.perOrder ? 'order' : perEmail >= limits.perEmail ? 'email_at_address' : perIp >= limits.perIp ? 'ip'
    : perEmailAllAddresses >= limits.perEmailAllAddresses ? 'email' : overall >= limits.overall ? 'overall' : undefined;
  if (exceeded) {
    await recordSecurityEvent(db, 'payment.velocity_block', { orderId: a.orderId, limit: exceeded, perOrder, perEmail, perEmailAllAddresses, perIp, overall }, a.now, a.ip);
    return { ok: false, reason: 'too_many_attempts' };
  }
  return { ok: true };
}

/** After a decline: blocks the order, the client address and the e-mail at that address once declines pile up. */
export async function registerDecline(db: Kysely<Database>, limits: VelocityLimits, a: { orderId: string; now: Date }): Promise<boolean> {
  const attempt = await db.selectFrom('payment_attempts').where('order_id', '=', a.orderId).orderBy('id', 'desc').select(['email', 'client_ip']).executeTakeFirst();
  if (!attempt) return false;
  const since = new Date(a.now.getTime() - limits.windowMinutes * 60_000).toISOString();
  const declines = (where: { order_id?: string; email?: string; client_ip?: string }) => {
    let q = db.selectFrom('payment_attempts').where('created_at', '>', since).where('status', '=', 'declined');
    if (where.order_id) q = q.where('order_id', '=', where.order_id);
    if (where.email) q = q.where('email', '=', where.email);
    if (where.client_ip) q = q.where('client_ip', '=', where.client_ip);
    return q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  };
  const [onOrder, fromIp, emailEverywhere] = await Promise.all([
    declines({ order_id: a.orderId }), declines({ client_ip: attempt.client_ip }), declines({ email: attempt.email }),
  ]);
  // Declines for the e-mail from this address are a subset of those from the address.
  const local = Math.max(onOrder, fromIp);
  const keys: string[] = [];
  if (local >= limits.declinesBeforeBlock) keys.push(`order:${a.orderId}`, `ip:${attempt.client_ip}`, emailAtAddress(attempt.email, attempt.client_ip));
  if (emailEverywhere >= limits.emailDeclinesBeforeBlock) keys.push(`email:${attempt.email}`);
  if (keys.length === 0) return false;
  const until = new Date(a.now.getTime() + limits.blockMinutes * 60_000).toISOString();
  for (const key of keys) {
    await db.insertInto('payment_blocks').values({ block_key: key, reason: 'repeated declines', until })
      .onConflict((oc) => oc.column('block_key').doUpdateSet({ until, reason: 'repeated declines' })).execute();
  }
  await recordSecurityEvent(db, 'payment.decline_block', { orderId: a.orderId, declines: local, emailDeclinesEverywhere: emailEverywhere, blocked: keys.map((k) => k.split(':')[0]), until }, a.now, attempt.client_ip);
  return true;
}
