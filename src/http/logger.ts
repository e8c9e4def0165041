// Logs are JSON (pino). Personal data and anything secret-looking is redacted before it is
// written: the breach report this project starts from lists logs among the places card
// data must never reach, and the same goes for customers' addresses and tokens.
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { knownIssuerPrefix, redactCardNumbersAndRuns } from '../../platform/card-number-detector.ts';

/** Keys whose values never reach a log line (compared case-insensitively, without - and _). */
const SENSITIVE_KEYS = new Set([
  'password', 'secret', 'token', 'accesstoken', 'authorization', 'cookie', 'setcookie', 'apikey', 'signature', 'csrf',
  'email', 'name', 'phone', 'postalcode', 'line1', 'line2', 'city', 'shippingaddress', 'address',
  'cardnumber', 'pan', 'number', 'cvc', 'cvv', 'securitycode', 'expiry', 'cardholder', 'cardholdername',
].map(normalizeKey));

function normalizeKey(k: string): string {
  return k.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Query parameters whose names are logged with their values; every other value is replaced.
 * Even these go through the digit-run redaction: `q` is whatever a customer typed.
 */
const SAFE_QUERY_PARAMS = new Set(['lang', 'page', 'category', 'cursor', 'limit', 'q']);

function decodeOrKeep(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * 15 or 16 digits in a card brand's range, written as cards are (unbroken, 4-4-4-4, 4-6-5),
 * Luhn-valid or not: a card number with a typo is still almost all of the customer's card.
 * Barcodes (13 digits), timestamps (no card prefix) and numbers that merely sit side by side
 * stay readable, which the precision corpus in src/pan-scan checks.
 */
function nearlyACard(digits: string, groups: number[]): boolean {
  if ((digits.length !== 15 && digits.length !== 16) || !knownIssuerPrefix(digits)) return false;
  const shape = groups.join('-');
  return groups.length === 1 || shape === '4-4-4-4' || shape === '4-4-4-3' || shape === '4-6-5' || shape === '4-6-6';
}

function redactCards(s: string): string {
  return redactCardNumbersAndRuns(s, nearlyACard);
}

/** Every card number, in any spelling (spaces, hyphens, dots, `+`, `%20`, `%34%32…`), and what is nearly one. */
export function redactText(s: string): string {
  const once = redactCards(s);
  if (!s.includes('%')) return once;
  // Percent-encoded digits hide from the pattern; look at the decoded form too.
  const decoded = decodeOrKeep(once);
  return decoded === once ? once : redactCards(decoded) === decoded ? once : redactCards(decoded);
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = redactText(q < 0 ? url : url.slice(0, q));
  if (q < 0) return pathPart;
  const params = new URLSearchParams(url.slice(q + 1));
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    out.append(redactText(key), SAFE_QUERY_PARAMS.has(key) ? redactText(value) : '[redacted]');
  }
  return `${pathPart}?${out.toString()}`;
}

/**
 * Walks a log record (they are small) and replaces sensitive values. Hand-written rather than
 * pino's path-based `redact`, which needs every path spelled out and, with wildcards at
 * several depths, cost 8% of a product page's CPU; this also catches card-number-shaped strings.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  // A number is redacted only when it is a card number by shape (timestamps stay readable).
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1e12 && redactCards(String(value)) !== String(value) ? '[redacted-pan]' : value;
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
    // Serializers run after the `log` formatter, so what they return is redacted here too.
    serializers: {
      req(req: { method: string; url: string; hostname?: string; ip?: string; id?: string }) {
        return { id: req.id, method: req.method, url: redactUrl(req.url), hostname: req.hostname && redactText(req.hostname), remoteAddress: req.ip };
      },
      err(err: Error & { code?: string }) {
        return { type: err.name, message: redactText(String(err.message)), code: err.code, stack: err.stack && redactText(err.stack) };
      },
    },
  };
}

/**
 * Where `npm start` writes its log: standard output, buffered (4 KiB, written asynchronously)
 * instead of one synchronous write per line, which profiled at ~7% of a product page's CPU.
 * pino flushes the buffer synchronously when the process exits, so a normal stop loses nothing.
 */
export function logDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096 });
}
