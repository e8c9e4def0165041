// The gateway's return has to reach the order's result page in any browser (the order mail's
// link, another device), where the order cookie is missing, and the access token must never be
// in a URL the gateway sees. So the return URL carries a return token: the order id and an expiry
// under an HMAC, valid only until shortly after the payment window. It opens that one order's
// page (and a new payment attempt) until then; the gateway, which sees it, knows the order anyway.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ShopConfig } from '../config/config.ts';
import { loadTotpKey } from '../admin/totp-secret-box.ts';

/** After the payment window ends, the customer still has this long to come back. */
export const RETURN_TOKEN_GRACE_MS = 30 * 60_000;

const keys = new WeakMap<ShopConfig, Buffer>();

/**
 * Derived from the installation's one secret (ADMIN_TOTP_KEY or its 0600 key file in DATA_DIR),
 * as the login-name key is: one secret to back up, no default secret, same key on every server.
 */
export function returnTokenKey(config: ShopConfig): Buffer {
  let key = keys.get(config);
  if (!key) {
    const root = loadTotpKey({ ADMIN_TOTP_KEY: config.admin.totpKey }, config.dataDir);
    key = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'mamori order return tokens v1', 32));
    keys.set(config, key);
  }
  return key;
}

function mac(key: Buffer, orderId: string, expiresAtSeconds: number): Buffer {
  return createHmac('sha256', key).update(`mamori-return\0${orderId}\0${expiresAtSeconds}`).digest();
}

/** `<expiry in Unix seconds>.<HMAC>`: URL-safe, bound to the order. */
export function signReturnToken(key: Buffer, orderId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${mac(key, orderId, exp).toString('base64url')}`;
}

const Shape = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function verifyReturnToken(key: Buffer, orderId: string, token: unknown, now: Date): boolean {
  if (typeof token !== 'string') return false;
  const m = Shape.exec(token);
  if (!m) return false;
  const exp = Number(m[1]);
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(key, orderId, exp);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return now.getTime() < exp * 1000;
}
