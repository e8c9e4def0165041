// The security headers of every response, built once per response shape instead of per request.
// @fastify/helmet builds a whole new helmet middleware on every request when CSP nonces are on
// (profiled at ~5% of a product page's CPU). Here helmet itself runs once, at start-up, on a probe
// app with the shop's options; its headers are kept as a template with the two nonces as holes,
// so the shop sends exactly the headers helmet would, and per request only fills in fresh nonces.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { randomBytes } from 'node:crypto';

declare module 'fastify' {
  interface FastifyReply { cspNonce: { script: string; style: string } }
}

// Nonces (and CSRF secrets) come from a pooled CSPRNG buffer, each byte used once: one
// randomBytes call per 8 KiB instead of one or more per response (randomBytes(18) measured 8 µs,
// about a tenth of a cached product page). 128-bit nonces, as helmet's.
const NONCE_BYTES = 16;
const POOL_BYTES = NONCE_BYTES * 512;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

/** `bytes` fresh CSPRNG bytes, encoded; never handed out twice. */
export function pooledRandom(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const text = pool.toString(encoding, offset, offset + bytes);
  // Zeroed after use, so a value handed out once cannot be read back from the pool.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return text;
}

export function cspNonce(): string {
  return pooledRandom(NONCE_BYTES, 'hex');
}

export interface SecurityHeaderTemplate {
  /** Every header helmet sets except the CSP, plus the shop's own (permissions policy, reporting). */
  fixed: Record<string, string>;
  /** The CSP split around the script and the style nonce: parts[0] + script + parts[1] + style + parts[2]. */
  cspParts: [string, string, string];
}

/** Runs helmet once on a probe app and keeps what it sent, with the nonces cut out. */
export async function buildSecurityHeaderTemplate(options: FastifyHelmetOptions, extra: Record<string, string>): Promise<SecurityHeaderTemplate> {
  const probe = Fastify();
  await probe.register(helmet, options);
  probe.get('/', async (_request, reply) => reply.cspNonce);
  const res = await probe.inject({ url: '/' });
  await probe.close();
  const nonces = res.json() as { script: string; style: string };
  const fixed: Record<string, string> = {};
  let csp = '';
  for (const [name, value] of Object.entries(res.headers)) {
    if (['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name) || value === undefined) continue;
    if (name === 'content-security-policy') csp = String(value);
    else fixed[name] = String(value);
  }
  const [a, rest] = splitOnce(csp, nonces.script);
  const [b, c] = splitOnce(rest, nonces.style);
  return { fixed: { ...fixed, ...extra }, cspParts: [a, b, c] };
}

function splitOnce(s: string, needle: string): [string, string] {
  const i = s.indexOf(needle);
  if (i < 0 || s.indexOf(needle, i + 1) >= 0) throw new Error('security headers: the CSP nonce is not where it was expected');
  return [s.slice(0, i), s.slice(i + needle.length)];
}

/** Sets the headers on every response (onRequest, as helmet does) and `reply.cspNonce`. */
export function installSecurityHeaders(app: FastifyInstance, template: SecurityHeaderTemplate): void {
  const { fixed, cspParts: [a, b, c] } = template;
  app.decorateReply('cspNonce', null as unknown as { script: string; style: string });
  app.addHook('onRequest', (_request, reply: FastifyReply, done) => {
    const script = cspNonce();
    const style = cspNonce();
    reply.cspNonce = { script, style };
    reply.headers(fixed);
    reply.header('content-security-policy', a + script + b + style + c);
    done();
  });
}

const BROWSER_FEATURES = [
  'accelerometer', 'ambient-light-sensor', 'autoplay', 'bluetooth', 'camera', 'display-capture', 'encrypted-media',
  'fullscreen', 'geolocation', 'gyroscope', 'hid', 'identity-credentials-get', 'idle-detection', 'interest-cohort',
  'local-fonts', 'magnetometer', 'microphone', 'midi', 'otp-credentials', 'payment', 'picture-in-picture',
  'publickey-credentials-create', 'publickey-credentials-get', 'screen-wake-lock', 'serial', 'storage-access',
  'usb', 'web-share', 'window-management', 'xr-spatial-tracking',
] as const;

function permissionsPolicy(allowedHere: readonly string[]): string {
  return BROWSER_FEATURES.map((f) => (allowedHere.includes(f) ? `${f}=(self)` : `${f}=()`)).join(', ');
}

/**
 * Browser features the shop never uses, switched off for its pages and anything injected
 * into them (PCI DSS 6.4.3 asks that payment pages run only what they need). `payment` too:
 * card entry happens on the gateway's own page, never through the Payment Request API here.
 */
export const PERMISSIONS_POLICY = permissionsPolicy([]);

/** The /account pages: the same, but passkeys (WebAuthn) may be created and used by the shop's own origin. */
export const ACCOUNT_PERMISSIONS_POLICY = permissionsPolicy(['publickey-credentials-create', 'publickey-credentials-get']);
