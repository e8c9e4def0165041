// One pino factory for every Mamori process, so redaction of card data and secrets is
// not something each feature has to remember.
import { pino, type DestinationStream, type Logger } from 'pino';

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

export function createLogger(opts: CreateLoggerOptions): Logger {
  const options = {
    name: opts.name,
    level: opts.level ?? 'info',
    redact: { paths: redactPaths([...REDACTED_FIELD_NAMES, ...(opts.redactFields ?? [])]), censor: '[redacted]' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
