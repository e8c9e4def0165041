// Sandbox merchants: an id, a display name for the hosted page, and the shared secret
// both sides use for HMAC signatures.
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { newMerchantId, newMerchantSecret } from './gateway-ids.ts';
import type { MerchantsTable, PaygateSchema } from './schema.ts';

export type Merchant = Selectable<MerchantsTable>;

export interface MerchantCredentials {
  merchantId: string;
  secret: string;
}

const originSchema = z.string().transform((s, ctx) => {
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    return u.origin;
  } catch {
    ctx.addIssue({ code: 'custom', message: `not an http(s) origin: ${s}` });
    return z.NEVER;
  }
});

export const provisionMerchantInput = z.object({
  name: z.string().trim().min(1).max(100),
  allowedReturnOrigins: z.array(originSchema).max(20).optional(),
});

export const registerMerchantInput = provisionMerchantInput.extend({
  merchantId: z.string().regex(/^mch_[A-Za-z0-9_-]{4,60}$/),
  secret: z.string().min(32).max(200),
});

/** Creates a new merchant with fresh credentials. */
export async function provisionMerchant(db: Kysely<PaygateSchema>, now: Date, input: z.input<typeof provisionMerchantInput>): Promise<MerchantCredentials> {
  const p = provisionMerchantInput.parse(input);
  const creds = { merchantId: newMerchantId(), secret: newMerchantSecret() };
  await db
    .insertInto('merchants')
    .values({ id: creds.merchantId, name: p.name, secret: creds.secret, allowed_return_origins: JSON.stringify(p.allowedReturnOrigins ?? []), created_at: now.toISOString() })
    .execute();
  return creds;
}

/**
 * Registers credentials the caller already holds (e.g. read back from the shop's data
 * directory on a later start): inserts them, or updates name, origins and secret of the
 * same id. Idempotent, so `npm start` can call it on every run.
 */
export async function registerMerchant(db: Kysely<PaygateSchema>, now: Date, input: z.input<typeof registerMerchantInput>): Promise<MerchantCredentials> {
  const p = registerMerchantInput.parse(input);
  const origins = JSON.stringify(p.allowedReturnOrigins ?? []);
  await db
    .insertInto('merchants')
    .values({ id: p.merchantId, name: p.name, secret: p.secret, allowed_return_origins: origins, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: p.name, secret: p.secret, allowed_return_origins: origins }))
    .execute();
  return { merchantId: p.merchantId, secret: p.secret };
}

export async function findMerchant(db: Kysely<PaygateSchema>, merchantId: string): Promise<Merchant | undefined> {
  return db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirst();
}

export function merchantAllowsUrl(merchant: Merchant, url: string): boolean {
  const allowed = JSON.parse(merchant.allowed_return_origins) as string[];
  return allowed.length === 0 || allowed.includes(new URL(url).origin);
}
