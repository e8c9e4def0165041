// The browser's way back to the shop carries the result signed with the merchant's
// secret (tx, status, ts, sig), so the shop can tell a forged URL from ours. The shop
// still confirms by querying the gateway: a browser redirect alone never marks an order paid.
import { signQueryParams } from '../platform/hmac-query-signing.ts';

export function signedResultUrl(baseUrl: string, secret: string, result: { transactionId: string; status: string }, now: Date): string {
  const url = new URL(baseUrl);
  for (const [k, v] of Object.entries(signQueryParams(secret, { tx: result.transactionId, status: result.status }, now))) url.searchParams.set(k, v);
  return url.href;
}
