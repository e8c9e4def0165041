// Authenticates merchant API calls: the merchant id header names the secret, the HMAC
// over method, path, timestamp, nonce and raw body proves possession of it, the timestamp
// bounds the replay window and the nonce (remembered for that window) refuses exact replays.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { DEFAULT_SIGNATURE_TOLERANCE_MS, SIGNED_REQUEST_HEADERS as H, verifyRequestSignature } from '../platform/hmac-request-signing.ts';
import { findMerchant, type Merchant } from './merchants.ts';
import { sendProblem } from './paygate-errors.ts';
import type { PaygateSchema } from './schema.ts';

const rawBodies = new WeakMap<FastifyRequest, Buffer>();
const merchants = new WeakMap<FastifyRequest, Merchant>();

export function rememberRawBody(request: FastifyRequest, body: Buffer): void {
  rawBodies.set(request, body);
}

/** The authenticated merchant of a request that passed the preHandler below. */
export function authenticatedMerchant(request: FastifyRequest): Merchant {
  const m = merchants.get(request);
  if (!m) throw new Error('authenticatedMerchant() called on a route without merchant authentication');
  return m;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
}

export function createMerchantAuthentication(opts: { db: Kysely<PaygateSchema>; clock: () => Date; toleranceMs?: number }) {
  const toleranceMs = opts.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS;

  return async function authenticateMerchant(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const merchantId = header(request, H.keyId);
    const timestamp = header(request, H.timestamp);
    const nonce = header(request, H.nonce);
    const signature = header(request, H.signature);
    if (!merchantId || !timestamp || !nonce || !signature) {
      await sendProblem(reply, 'SIGNATURE_MISSING', `send ${Object.values(H).join(', ')}`);
      return;
    }
    const merchant = await findMerchant(opts.db, merchantId);
    if (!merchant) {
      await sendProblem(reply, 'UNKNOWN_MERCHANT');
      return;
    }
    const now = opts.clock();
    const check = verifyRequestSignature({
      secret: merchant.secret,
      method: request.method,
      path: request.url,
      timestamp,
      nonce,
      body: rawBodies.get(request) ?? Buffer.alloc(0),
      signature,
      now,
      toleranceMs,
    });
    if (!check.ok) {
      request.log.warn({ merchantId, error: check.error }, 'merchant request refused');
      await sendProblem(reply, check.error === 'MALFORMED' ? 'SIGNATURE_MISSING' : check.error, check.detail);
      return;
    }
    // Nonces older than twice the window can no longer pass the timestamp check, so forget them.
    await opts.db.deleteFrom('request_nonces').where('seen_at', '<', new Date(now.getTime() - 2 * toleranceMs).toISOString()).execute();
    const inserted = await opts.db
      .insertInto('request_nonces')
      .values({ merchant_id: merchant.id, nonce: nonce.toLowerCase(), seen_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows !== 1n) {
      request.log.warn({ merchantId }, 'merchant request replayed');
      await sendProblem(reply, 'REPLAYED_REQUEST');
      return;
    }
    merchants.set(request, merchant);
  };
}
