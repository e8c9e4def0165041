// Logs are JSON (pino). Personal data and anything secret-looking is redacted before it is
// written: the breach report this project starts from lists logs among the places card
// data must never reach, and the same goes for customers' addresses and tokens.
import type { LoggerOptions } from 'pino';

const SECRET_KEYS = [
  'password', 'secret', 'token', 'accessToken', 'authorization', 'cookie', 'set-cookie', 'apiKey',
  'email', 'name', 'phone', 'postalCode', 'postal_code', 'line1', 'line2', 'city', 'shippingAddress',
  'cardNumber', 'card_number', 'pan', 'cvc', 'cvv', 'securityCode',
];

/** Query parameters safe to log as they are; every other value is replaced. */
const SAFE_QUERY_PARAMS = new Set(['lang', 'page', 'category', 'cursor', 'limit', 'q']);

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (!SAFE_QUERY_PARAMS.has(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        ...SECRET_KEYS,
        ...SECRET_KEYS.map((k) => `*.${k}`),
        ...SECRET_KEYS.map((k) => `*.*.${k}`),
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
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
