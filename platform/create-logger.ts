// One pino factory for every Mamori process, so redaction of card data and secrets is
// not something each feature has to remember.
import { pino, type DestinationStream, type Logger } from 'pino';
import { containsCardNumber, redactLongDigitRuns } from './card-number-detector.ts';

/** Field names that must never reach a log line, at any of the first few nesting levels. */
export const REDACTED_FIELD_NAMES = [
  'cardNumber', 'card_number', 'pan', 'cvc', 'cvv', 'securityCode', 'security_code', 'expiry', 'cardholderName',
  'secret', 'password', 'authorization', 'cookie', 'set-cookie', 'x-mamori-signature', 'oneTimeCode', '_csrf',
] as const;

function redactPaths(names: readonly string[]): string[] {
  const key = (n: string) => (/^[A-Za-z_$][\w$]*$/.test(n) ? `.${n}` : `["${n}"]`);
  return names.flatMap((n) => [key(n).replace(/^\./, ''), `*${key(n)}`, `*.*${key(n)}`, `*.*.*${key(n)}`]);
}

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Extra field names to redact on top of REDACTED_FIELD_NAMES. */
  redactFields?: readonly string[];
  /** Where lines go (tests pass a capturing stream); stdout by default. */
  destination?: DestinationStream;
}

function redactString(s: string): string {
  const once = redactLongDigitRuns(s);
  if (!s.includes('%')) return once;
  // Percent-encoded digits ("%34%32…") hide from the pattern: look at the decoded form too.
  let decoded = once;
  try { decoded = decodeURIComponent(once); } catch { /* not encoded after all */ }
  const again = redactLongDigitRuns(decoded);
  return again === decoded ? once : again;
}

/** Query values (tokens, signatures) are replaced, except a few that only choose a view. */
const SAFE_QUERY_PARAMS = new Set(['lang', 'format', 'page', 'limit']);
function redactUrlQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (!SAFE_QUERY_PARAMS.has(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * Field names catch what is labelled; this catches what is not: any run of 13+ digits in any
 * string value (a card number typed into a free-text field, or sitting in a URL).
 */
export function redactCardNumbersDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  // A number is redacted only when it is a card number by shape (timestamps stay readable).
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1e12 && containsCardNumber(String(value)) ? '[redacted-pan]' : value;
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redactCardNumbersDeep(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  // Class instances (requests, errors) are left to the serializers, which pick safe fields.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactCardNumbersDeep(v, depth + 1);
  return out;
}

export function createLogger(opts: CreateLoggerOptions): Logger {
  const options = {
    name: opts.name,
    level: opts.level ?? 'info',
    redact: { paths: redactPaths([...REDACTED_FIELD_NAMES, ...(opts.redactFields ?? [])]), censor: '[redacted]' },
    formatters: { log: (record: Record<string, unknown>) => redactCardNumbersDeep(record) as Record<string, unknown> },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        return method.apply(this, args.map((a) => (typeof a === 'string' ? redactString(a) : a)));
      },
    },
    // Serializers run after the formatter: what they return is redacted here.
    serializers: {
      req(req: { method?: string; url?: string; id?: string; ip?: string }) {
        return { id: req.id, method: req.method, url: typeof req.url === 'string' ? redactUrlQuery(redactString(req.url)) : undefined, remoteAddress: req.ip };
      },
      err(err: Error & { code?: string }) {
        return { type: err.name, message: redactString(String(err.message)), code: err.code, stack: err.stack && redactString(err.stack) };
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
