// Store API bearer tokens for customer accounts (issue 18). A token is an 'api' row of
// customer_sessions (customer-sessions.ts): 32 random bytes given to the client once, only their
// SHA-256 stored. It is issued by the same sign-in as the HTML login (signInCustomer: the same
// scrypt check, failed-login counters, growing delay and lock, the same work for an unknown
// e-mail), so the API is no side door around the throttling. Every session-ending event ends
// tokens too (password change or reset, disable, deletion: they delete every row of the account).
//
// Lifetime: fixed, CUSTOMER_API_TOKEN_DAYS from issue, never extended by use. A bearer token sits
// in a headless storefront's script-readable storage, unlike the HttpOnly cookie; a sliding
// expiry would let a stolen token live as long as the thief keeps using it, a fixed one does not.
import type { Kysely } from 'kysely';
import type { Customer, Database } from '../db/schema.ts';
import type { AccountRuntime } from './account-runtime.ts';
import { signInCustomer } from './sign-in-customer.ts';
import { endCustomerSession, lookupCustomerSession, openCustomerSession } from './customer-sessions.ts';

/** Tokens per account at most; issuing one more drops the oldest (a login loop cannot fill the table). */
export const MAX_API_TOKENS_PER_CUSTOMER = 10;

export type IssueApiTokenResult =
  | { ok: true; token: string; expiresAt: Date; customer: Customer }
  | { ok: false; error: 'INVALID_CREDENTIALS'; delayMs: number }
  | { ok: false; error: 'LOCKED'; delayMs: number }
  /** Only after the right password: telling it reveals nothing to someone who lacks it. */
  | { ok: false; error: 'UNVERIFIED' }
  | { ok: false; error: 'SECOND_FACTOR_REQUIRED' };

export interface ApiClient { ip: string; userAgent: string }

/**
 * The one place a Store API token is issued. When the API learns the second factor (customer
 * TOTP), its check goes here, where `needsSecondFactor` is tested: today such an account gets
 * no token at all, rather than one that skips its second factor.
 */
export async function issueCustomerApiToken(rt: AccountRuntime, email: string, password: string, client: ApiClient): Promise<IssueApiTokenResult> {
  // The decoy hash is made on first need: made here first, the very first request costs the
  // same extra hash whether its e-mail has an account or not.
  await rt.decoyHash();
  const r = await signInCustomer(rt, email, password, client.ip);
  if (!r.ok) return r.error === 'UNVERIFIED' ? { ok: false, error: 'UNVERIFIED' } : { ok: false, error: r.error, delayMs: r.delayMs };
  if (r.needsSecondFactor) return { ok: false, error: 'SECOND_FACTOR_REQUIRED' };
  const now = rt.now();
  const token = await rt.db.transaction().execute(async (trx) => {
    const older = await trx.selectFrom('customer_sessions').where('customer_id', '=', r.customer.id).where('kind', '=', 'api')
      .select('id_hash').orderBy('created_at', 'desc').orderBy('id_hash').offset(MAX_API_TOKENS_PER_CUSTOMER - 1).limit(1000).execute();
    if (older.length > 0) await trx.deleteFrom('customer_sessions').where('id_hash', 'in', older.map((o) => o.id_hash)).execute();
    return openCustomerSession(trx, r.customer.id, 'full', 'api', client, now);
  });
  return { ok: true, token, expiresAt: new Date(now.getTime() + rt.shop.config.customerAccounts.apiTokenMs), customer: r.customer };
}

export type BearerToken = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'malformed' };

/** RFC 6750 §2.1: `Authorization: Bearer <token>`, the scheme case-insensitive. Anything else present is malformed. */
export function bearerTokenOf(header: string | string[] | undefined): BearerToken {
  if (header === undefined) return { kind: 'none' };
  if (Array.isArray(header)) return { kind: 'malformed' };
  const m = /^Bearer +([A-Za-z0-9_-]{43})$/i.exec(header.trim());
  return m ? { kind: 'bearer', token: m[1]! } : { kind: 'malformed' };
}

export interface ApiTokenSession { customer: Customer; idHash: string }

/** The account a token stands for now, or undefined (unknown, expired, revoked, disabled, unverified). */
export async function customerOfApiToken(db: Kysely<Database>, token: string, apiTokenMs: number, now: Date): Promise<ApiTokenSession | undefined> {
  // idle = max: the idle check can never end a token before its fixed lifetime does.
  const s = await lookupCustomerSession(db, token, 'api', { idleMs: apiTokenMs, maxMs: apiTokenMs }, now);
  return s?.stage === 'full' ? { customer: s.customer, idHash: s.idHash } : undefined;
}

export async function revokeCustomerApiToken(db: Kysely<Database>, idHash: string): Promise<void> {
  await endCustomerSession(db, idHash);
}
