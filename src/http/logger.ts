// Logs are JSON (pino). Personal data and anything secret-looking is redacted before it is
// written: the breach report this project starts from lists logs among the places card
// data must never reach, and the same goes for customers' addresses and tokens.
import type { LoggerOptions } from 'pino';

/** Keys whose values never reach a log line (compared case-insensitively, without - and _). */
const SENSITIVE_KEYS = new Set([
  'password', 'secret', 'token', 'accesstoken', 'authorization', 'cookie', 'setcookie', 'apikey', 'signature', 'csrf',
  'email', 'name', 'phone', 'postalcode', 'line1', 'line2', 'city', 'shippingaddress', 'address',
  'cardnumber', 'pan', 'number', 'cvc', 'cvv', 'securitycode', 'expiry', 'cardholder', 'cardholdername',
].map(normalizeKey));

function normalizeKey(k: string): string {
  return k.toLowerCase().replace(/[-_]/g, '');
}

// 13–19 digits, optionally separated by spaces or hyphens: the shape of a card number.
const PAN_LIKE = /\b(?:\d[ -]?){12,18}\d\b/g;

/** Query parameters safe to log as they are; every other value is replaced. */
const SAFE_QUERY_PARAMS = new Set(['lang', 'page', 'category', 'cursor', 'limit', 'q']);

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (!SAFE_QUERY_PARAMS.has(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * Walks a log record (they are small) and replaces sensitive values. Hand-written rather than
 * pino's path-based `redact`, which needs every path spelled out and, with wildcards at
 * several depths, cost 8% of a product page's CPU; this also catches card-number-shaped strings.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return PAN_LIKE.test(value) ? value.replace(PAN_LIKE, '[redacted-pan]') : value;
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1));
  // Class instances (Fastify's request and reply, errors) are left to the serializers below,
  // which pick only safe fields; only plain data objects are walked here.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEYS.has(normalizeKey(k)) && v !== undefined && v !== null ? '[redacted]' : redactLogValue(v, depth + 1);
  }
  return out;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: {
      log: (record) => redactLogValue(record) as Record<string, unknown>,
    },
    hooks: {
      // Messages are strings too: a card number typed into the wrong place must not survive there.
      logMethod(args, method) {
        const redacted = args.map((a) => (typeof a === 'string' ? (redactLogValue(a) as string) : a));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
    serializers: {
      req(req: { method: string; url: string; hostname?: string; ip?: string; id?: string }) {
        return { id: req.id, method: req.method, url: redactUrl(req.url), hostname: req.hostname, remoteAddress: req.ip };
      },
      err(err: Error & { code?: string }) {
        return { type: err.name, message: err.message, code: err.code, stack: err.stack };
      },
    },
  };
}
