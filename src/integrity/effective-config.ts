// The effective configuration as the manifest records it: every setting flattened to one line,
// secrets (and URL userinfo, query strings
// and fragments) replaced by a keyed fingerprint. A change of a secret is still seen (the fingerprint
// changes) but the manifest never holds one, and without the HMAC key a fingerprint cannot be
// tested against guesses.
import { createHmac } from 'node:crypto';
import type { ShopConfig } from '../config/config.ts';

/**
 * Settings that hold secrets: keys, passwords, tokens, TOTP keys, and the alert webhook's URL
 * (chat webhooks carry their token in the path).
 */
const SECRET_SETTING = /(secret|password|passwd|token|key|credential)[^.]*$|^alerts\.webhook\.url$/i;

/** Settings whose change alters where customers pay or are sent: they pause card payments like a code change. */
const CHECKOUT_SETTINGS = /^(payment\.|publicUrl$|https$)/;

export function configSettingPausesCheckout(name: string): boolean {
  return CHECKOUT_SETTINGS.test(name);
}

function fingerprint(key: Buffer, name: string, value: string): string {
  return `secret-hmac:${createHmac('sha256', key).update(`${name}\0${value}`).digest('hex').slice(0, 32)}`;
}

/**
 * A URL with a user, password, query or fragment (smtp://user:pass@host, postgres://h/db?password=x,
 * https://hooks/…?token=t): those go, fingerprinted together; scheme, host, port and path stay
 * readable. The query goes whole, whatever its names: drivers take secrets under many of them.
 */
function withoutUrlSecrets(key: Buffer, name: string, value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!url.password && !url.username && !url.search && !url.hash) return undefined;
  const secret = `${url.username}:${url.password}${url.search}${url.hash}`;
  url.password = '';
  url.username = url.username ? '_' : '';
  url.search = '';
  url.hash = '';
  return `${url.toString()} (${fingerprint(key, name, secret)})`;
}

/**
 * A value as an older manifest recorded it, with URL secrets fingerprinted as now: a manifest
 * written before query strings were fingerprinted holds `"postgres://h/db?password=x"` in clear,
 * which must neither be shown (config-changed findings) nor differ from today's fingerprint.
 */
export function redactRecordedSetting(key: Buffer, name: string, recorded: string): string {
  if (!recorded.startsWith('"') || SECRET_SETTING.test(name)) return recorded;
  let value: unknown;
  try {
    value = JSON.parse(recorded);
  } catch {
    return recorded;
  }
  return typeof value === 'string' ? withoutUrlSecrets(key, name, value) ?? recorded : recorded;
}

/** How this process's terminal shows output (NO_COLOR, FORCE_COLOR): differs between a CLI shell and the shop, and changes nothing. */
const NOT_RECORDED = /^terminal\./;

function flatten(prefix: string, value: unknown, out: Record<string, string>, key: Buffer): void {
  if (NOT_RECORDED.test(prefix)) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out, key);
    return;
  }
  const text = value === undefined ? 'unset' : JSON.stringify(value);
  if (value !== undefined && value !== null && SECRET_SETTING.test(prefix)) {
    out[prefix] = fingerprint(key, prefix, String(value));
    return;
  }
  if (typeof value === 'string') out[prefix] = withoutUrlSecrets(key, prefix, value) ?? text;
  else out[prefix] = text;
}

/** `payment.provider` → `"sandbox"`, `alerts.webhook.secret` → `secret-hmac:…`, sorted by name. */
export function effectiveConfig(config: ShopConfig, key: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  flatten('', config, out, key);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
