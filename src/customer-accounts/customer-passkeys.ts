// Optional passkeys (WebAuthn) for customer accounts, through @simplewebauthn/server: registration
// from the signed-in account page, and sign-in without an e-mail (discoverable credentials), so
// the sign-in answer cannot tell whether an address has an account. Every challenge is random,
// single-use (deleted by a conditional delete before the response is checked), bound to its
// purpose and, for registration, to the customer, and valid for CHALLENGE_TTL_MS. User
// verification is required: a passkey stands for both factors.
import { createHash } from 'node:crypto';
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { passkeyDb } from './passkey-tables.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Passkeys one account may hold: enough for a phone, a laptop and keys, and a bound on the table. */
export const MAX_PASSKEYS = 10;

export interface RelyingParty { id: string; name: string; origin: string }

/**
 * The relying party is the shop's public origin (PUBLIC_URL), never the request's Host header. A
 * WebAuthn RP ID must be a domain: a shop reached by an IP address offers no passkeys.
 */
export function relyingPartyOf(publicUrl: string, shopName: string): RelyingParty | undefined {
  const u = new URL(publicUrl);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(u.hostname) || u.hostname.startsWith('[')) return undefined;
  return { id: u.hostname, name: shopName, origin: u.origin };
}

const b64url = z.string().min(1).max(16_384).regex(/^[A-Za-z0-9_-]+$/);
const ResponseBase = { id: b64url.max(1400), rawId: b64url.max(1400), type: z.literal('public-key'), clientExtensionResults: z.record(z.string(), z.unknown()).default({}), authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional() };
export const RegistrationResponse = z.object({
  ...ResponseBase,
  response: z.object({ clientDataJSON: b64url, attestationObject: b64url, transports: z.array(z.string().max(20)).max(10).optional() }).passthrough(),
});
export const AuthenticationResponse = z.object({
  ...ResponseBase,
  response: z.object({ clientDataJSON: b64url, authenticatorData: b64url, signature: b64url, userHandle: b64url.optional() }).passthrough(),
});

const challengeHash = (challenge: string) => createHash('sha256').update(challenge).digest('hex');

/** The challenge the browser signed, from clientDataJSON (checked again by the library). */
function signedChallenge(clientDataJSON: string): string | undefined {
  try {
    const c = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof c.challenge === 'string' && c.challenge.length <= 200 ? c.challenge : undefined;
  } catch {
    return undefined;
  }
}

async function storeChallenge(db: Kysely<Database>, challenge: string, purpose: 'register' | 'login', customerId: number | null, now: Date): Promise<void> {
  const pdb = passkeyDb(db);
  // Spent or abandoned challenges go as new ones come: the table stays small without a job.
  await pdb.deleteFrom('customer_webauthn_challenges').where('expires_at', '<=', now.toISOString()).execute();
  await pdb.insertInto('customer_webauthn_challenges').values({ challenge_hash: challengeHash(challenge), purpose, customer_id: customerId, expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString() }).execute();
}

/** Deletes the challenge if it is live and bound as expected; true only for the one caller that deleted it. */
async function consumeChallenge(db: Kysely<Database>, challenge: string, purpose: 'register' | 'login', customerId: number | null, now: Date): Promise<boolean> {
  let q = passkeyDb(db).deleteFrom('customer_webauthn_challenges')
    .where('challenge_hash', '=', challengeHash(challenge)).where('purpose', '=', purpose).where('expires_at', '>', now.toISOString());
  q = customerId === null ? q.where('customer_id', 'is', null) : q.where('customer_id', '=', customerId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export interface PasskeyRow { credentialId: string; createdAt: string; lastUsedAt: string | null; backedUp: boolean }

export async function listPasskeys(db: Kysely<Database>, customerId: number): Promise<PasskeyRow[]> {
  const rows = await passkeyDb(db).selectFrom('customer_passkeys').where('customer_id', '=', customerId)
    .select(['credential_id', 'created_at', 'last_used_at', 'backed_up']).orderBy('created_at').execute();
  return rows.map((r) => ({ credentialId: r.credential_id, createdAt: r.created_at, lastUsedAt: r.last_used_at, backedUp: r.backed_up === 1 }));
}

export async function registrationOptions(db: Kysely<Database>, rp: RelyingParty, customer: { id: number; email: string; name: string }, now: Date) {
  const existing = await passkeyDb(db).selectFrom('customer_passkeys').where('customer_id', '=', customer.id).select(['credential_id', 'transports']).execute();
  const options = await generateRegistrationOptions({
    rpName: rp.name, rpID: rp.id, userName: customer.email, userDisplayName: customer.name,
    // The user handle is the account id, never the e-mail: the authenticator keeps it.
    userID: new TextEncoder().encode(`customer:${customer.id}`),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: JSON.parse(c.transports) as string[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(db, options.challenge, 'register', customer.id, now);
  return options;
}

export type PasskeyError = 'BAD_RESPONSE' | 'CHALLENGE' | 'NOT_VERIFIED' | 'TOO_MANY' | 'UNKNOWN_CREDENTIAL';

export async function registerPasskey(db: Kysely<Database>, rp: RelyingParty, customerId: number, body: unknown, now: Date): Promise<{ ok: true } | { ok: false; error: PasskeyError }> {
  const parsed = RegistrationResponse.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'BAD_RESPONSE' };
  const challenge = signedChallenge(parsed.data.response.clientDataJSON);
  if (!challenge || !(await consumeChallenge(db, challenge, 'register', customerId, now))) return { ok: false, error: 'CHALLENGE' };
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: parsed.data as RegistrationResponseJSON, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
    });
  } catch {
    return { ok: false, error: 'NOT_VERIFIED' };
  }
  if (!verification.verified || !verification.registrationInfo) return { ok: false, error: 'NOT_VERIFIED' };
  const { credential, credentialBackedUp } = verification.registrationInfo;
  const pdb = passkeyDb(db);
  return pdb.transaction().execute(async (trx) => {
    const count = await trx.selectFrom('customer_passkeys').where('customer_id', '=', customerId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_PASSKEYS) return { ok: false, error: 'TOO_MANY' } as const;
    await trx.insertInto('customer_passkeys').values({
      credential_id: credential.id, customer_id: customerId, public_key: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter,
      transports: JSON.stringify(credential.transports ?? []), backed_up: credentialBackedUp ? 1 : 0, created_at: now.toISOString(), last_used_at: null,
    }).execute();
    return { ok: true } as const;
  });
}

export async function authenticationOptions(db: Kysely<Database>, rp: RelyingParty, now: Date) {
  // No allowCredentials: the browser offers the shop's discoverable passkeys, and nothing here
  // depends on an e-mail, so the answer is the same for everyone.
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
  await storeChallenge(db, options.challenge, 'login', null, now);
  return options;
}

export async function verifyPasskeySignIn(db: Kysely<Database>, rp: RelyingParty, body: unknown, now: Date): Promise<{ ok: true; customerId: number } | { ok: false; error: PasskeyError }> {
  const parsed = AuthenticationResponse.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'BAD_RESPONSE' };
  const challenge = signedChallenge(parsed.data.response.clientDataJSON);
  if (!challenge || !(await consumeChallenge(db, challenge, 'login', null, now))) return { ok: false, error: 'CHALLENGE' };
  const pdb = passkeyDb(db);
  const stored = await pdb.selectFrom('customer_passkeys').innerJoin('customers', 'customers.id', 'customer_passkeys.customer_id')
    .where('customer_passkeys.credential_id', '=', parsed.data.id).where('customers.disabled_at', 'is', null).where('customers.email_verified_at', 'is not', null)
    .select(['customer_passkeys.customer_id', 'customer_passkeys.public_key', 'customer_passkeys.counter', 'customer_passkeys.transports']).executeTakeFirst();
  if (!stored) return { ok: false, error: 'UNKNOWN_CREDENTIAL' };
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: parsed.data as AuthenticationResponseJSON, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: parsed.data.id, publicKey: new Uint8Array(Buffer.from(stored.public_key, 'base64url')), counter: Number(stored.counter), transports: JSON.parse(stored.transports) as never },
    });
  } catch {
    return { ok: false, error: 'NOT_VERIFIED' };
  }
  if (!verification.verified) return { ok: false, error: 'NOT_VERIFIED' };
  // The library refuses a counter that did not grow (a cloned authenticator) unless both are 0.
  await pdb.updateTable('customer_passkeys').set({ counter: verification.authenticationInfo.newCounter, last_used_at: now.toISOString() })
    .where('credential_id', '=', parsed.data.id).execute();
  return { ok: true, customerId: stored.customer_id };
}

export async function deletePasskey(db: Kysely<Database>, customerId: number, credentialId: string): Promise<boolean> {
  const r = await passkeyDb(db).deleteFrom('customer_passkeys').where('customer_id', '=', customerId).where('credential_id', '=', credentialId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
