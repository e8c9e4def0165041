// The HTTP half of the scan: security headers, cookie flags, version banners, well-known
// exposures, TRACE and the plain-HTTP redirect, all against the one origin the user named.
import { randomBytes } from 'node:crypto';
import type { ConnectionBudget } from './connection-budget.ts';
import { makeFinding, type Finding } from './findings.ts';
import { ADMIN_PATHS, EXPOSURE_PROBES, looksLikeAdminPage } from './http-exposure-probes.ts';
import { httpRequest, type HttpOutcome, type HttpSnapshot } from './http-request.ts';

export interface VersionBanner { source: string; product: string; version: string; raw: string }

/** A component named by a banner, looked up in the advisory data when a lookup is supplied. */
export type BannerAdvisoryLookup = (component: { name: string; version: string }) => Promise<Array<{ id: string; summary?: string; cvss?: number; cve?: string[] }>>;

export interface HttpReport {
  reachable: boolean;
  error?: string;
  status?: number;
  headers: Record<string, string>;
  banners: VersionBanner[];
  findings: Finding[];
}

const MIN_HSTS_SECONDS = 15_552_000; // 180 days
const CONCURRENCY = 6;
const MAX_REDIRECTS = 3;
/**
 * Some servers never answer a method they do not know (s_server -www holds the connection, and being
 * single-threaded, everything else with it). One that echoes TRACE answers as fast as a GET, so the
 * wait, counted from the handshake, is four times the slowest GET of the exposure checks (also from
 * its handshake), between TRACE_MIN_TIMEOUT_MS and TRACE_TIMEOUT_MS.
 */
const TRACE_TIMEOUT_MS = 1_500;
// The floor covers scheduling jitter on a near-zero round trip (the GETs' times already carry the network's).
const TRACE_MIN_TIMEOUT_MS = 100;

function header(r: HttpSnapshot, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** GET that follows redirects only while they stay on the same origin. */
async function getSameOrigin(url: URL, budget: ConnectionBudget): Promise<HttpOutcome> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const r = await httpRequest(current, 'GET', budget);
    if (!r.ok || hop >= MAX_REDIRECTS || r.response.status < 300 || r.response.status >= 400) return r;
    const location = header(r.response, 'location');
    if (!location) return r;
    let next: URL;
    try { next = new URL(location, current); } catch { return r; } // a malformed Location is the server's problem, not a crash
    if (next.origin !== url.origin) return r;
    current = next;
  }
}

export function extractBanners(r: HttpSnapshot): VersionBanner[] {
  const out: VersionBanner[] = [];
  for (const name of ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator']) {
    const raw = header(r, name);
    if (!raw) continue;
    const pairs = [...raw.matchAll(/([A-Za-z][\w.+-]*)\/v?(\d+(?:\.\d+)+[\w.-]*)/g)];
    if (pairs.length > 0) for (const m of pairs) out.push({ source: name, product: m[1]!, version: m[2]!, raw });
    else if (/^\d+(\.\d+)+/.test(raw)) out.push({ source: name, product: name.replace(/^x-/, '').replace(/-version$/, ''), version: raw.trim(), raw });
  }
  const html = r.body.toString('utf8');
  for (const m of html.matchAll(/<meta[^>]+name=["']generator["'][^>]*content=["']([^"']+)["']|<meta[^>]+content=["']([^"']+)["'][^>]*name=["']generator["']/gi)) {
    const raw = (m[1] ?? m[2])!;
    const v = /^(.+?)\s+v?(\d+(?:\.\d+)+)/.exec(raw);
    if (v) out.push({ source: 'meta generator', product: v[1]!, version: v[2]!, raw });
  }
  return out;
}

function headerFindings(r: HttpSnapshot, secure: boolean): Finding[] {
  const out: Finding[] = [];
  const seen = `GET ${new URL(r.url).pathname} → ${r.status}`;
  if (secure) {
    const hsts = header(r, 'strict-transport-security');
    const maxAge = hsts ? Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] ?? 0) : 0;
    if (!hsts) out.push(makeFinding('http-no-hsts', `${seen} without Strict-Transport-Security`));
    else if (maxAge < MIN_HSTS_SECONDS) out.push(makeFinding('http-short-hsts', `${seen} with Strict-Transport-Security: ${hsts}`));
  }
  const csp = header(r, 'content-security-policy');
  if (!csp) out.push(makeFinding('http-no-csp', `${seen} without Content-Security-Policy`));
  const xfo = header(r, 'x-frame-options');
  if (!(csp && /frame-ancestors/i.test(csp)) && !(xfo && /deny|sameorigin/i.test(xfo))) {
    out.push(makeFinding('http-no-frame-protection', `${seen} without CSP frame-ancestors or X-Frame-Options (X-Frame-Options: ${xfo ?? 'absent'})`));
  }
  if (!/nosniff/i.test(header(r, 'x-content-type-options') ?? '')) out.push(makeFinding('http-no-content-type-options', `${seen} without X-Content-Type-Options: nosniff`));
  if (!header(r, 'referrer-policy')) out.push(makeFinding('http-no-referrer-policy', `${seen} without Referrer-Policy`));
  return out;
}

function cookieFindings(r: HttpSnapshot, secure: boolean): Finding[] {
  const out: Finding[] = [];
  const cookies = r.headers['set-cookie'] ?? [];
  for (const cookie of cookies) {
    const name = cookie.split('=')[0]!.trim();
    const attributes = cookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
    const has = (a: string) => attributes.some((x) => x === a || x.startsWith(`${a}=`));
    const evidence = `Set-Cookie: ${name}=…; ${attributes.join('; ')}`;
    if (secure && !has('secure')) out.push(makeFinding('http-cookie-no-secure', evidence, { title: `Cookie "${name}" without the Secure flag` }));
    if (!has('httponly')) out.push(makeFinding('http-cookie-no-httponly', evidence, { title: `Cookie "${name}" without the HttpOnly flag` }));
    if (!has('samesite')) out.push(makeFinding('http-cookie-no-samesite', evidence, { title: `Cookie "${name}" without the SameSite attribute` }));
  }
  return out;
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

export interface HttpCheckOptions {
  /** Port probed for the plain-HTTP → HTTPS redirect when the target is https (default 80). */
  plainHttpPort?: number;
  advisoryLookup?: BannerAdvisoryLookup;
}

export async function runHttpChecks(target: URL, budget: ConnectionBudget, options: HttpCheckOptions = {}): Promise<HttpReport> {
  const secure = target.protocol === 'https:';
  const origin = new URL('/', target);
  const root = await getSameOrigin(target, budget);
  if (!root.ok) return { reachable: false, error: root.detail, headers: {}, banners: [], findings: [] };
  const r = root.response;
  const findings: Finding[] = [...headerFindings(r, secure), ...cookieFindings(r, secure)];
  const banners = extractBanners(r);
  for (const b of banners) {
    findings.push(makeFinding('http-version-banner', `${b.source}: ${b.raw}`, { title: `Version disclosed: ${b.product} ${b.version}` }));
    if (options.advisoryLookup) {
      for (const a of await options.advisoryLookup({ name: b.product, version: b.version })) {
        findings.push(makeFinding('http-vulnerable-component', `${b.source}: ${b.raw} matches advisory ${a.id}${a.summary ? ` (${a.summary})` : ''}`, { title: `${b.product} ${b.version}: ${a.id}`, cvss: a.cvss ?? 0, cve: a.cve ?? [] }));
      }
    }
  }

  // A random path tells what "not here" looks like, so catch-all pages are not reported.
  const baseline = await httpRequest(new URL(`/mamori-scan-${randomBytes(6).toString('hex')}`, origin), 'GET', budget);
  const sameAsBaseline = (s: HttpSnapshot) => baseline.ok && baseline.response.status === s.status && baseline.response.body.equals(s.body);

  const exposureTimes: number[] = [];
  const exposures = await inBatches(EXPOSURE_PROBES, CONCURRENCY, async (probe) => {
    const got = await httpRequest(new URL(probe.path, origin), 'GET', budget);
    if (got.ok) exposureTimes.push(got.response.ms ?? 0);
    if (!got.ok || !probe.matches(got.response) || (probe.path !== '/' && sameAsBaseline(got.response))) return undefined;
    return makeFinding(probe.finding, `GET ${probe.path} → ${got.response.status}, ${got.response.body.length} bytes of ${probe.what}`, { title: `${FINDING_TITLE_PREFIX[probe.finding] ?? ''}${probe.path}` });
  });
  findings.push(...dedupeById(exposures.filter((f): f is Finding => f !== undefined)));

  const admin = await inBatches(ADMIN_PATHS, CONCURRENCY, async (path) => {
    const got = await getSameOrigin(new URL(path, origin), budget);
    if (!got.ok || !looksLikeAdminPage(got.response) || sameAsBaseline(got.response)) return undefined;
    return { path, response: got.response };
  });
  const firstAdmin = admin.find((a) => a !== undefined);
  if (firstAdmin) {
    findings.push(makeFinding('http-admin-exposed', `GET ${firstAdmin.path} → ${firstAdmin.response.status} (${firstAdmin.response.url}) from the scanner's address`));
    findings.push(...cookieFindings(firstAdmin.response, secure));
  }

  const marker = randomBytes(8).toString('hex');
  const slowestGetMs = Math.max(0, ...exposureTimes);
  const traceWaitMs = Math.min(TRACE_TIMEOUT_MS, Math.max(TRACE_MIN_TIMEOUT_MS, 4 * slowestGetMs));
  const trace = await httpRequest(origin, 'TRACE', budget, { 'x-mamori-trace': marker }, traceWaitMs);
  if (trace.ok && trace.response.status === 200 && trace.response.body.toString('latin1').includes(marker)) {
    findings.push(makeFinding('http-trace-enabled', `TRACE / with header X-Mamori-Trace → 200 echoing the request`));
  }

  findings.push(...(await breachFindings(new URL(r.url), r, budget)));
  findings.push(...(await plainHttpFindings(target, r, budget, options.plainHttpPort ?? 80)));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'set-cookie' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return { reachable: true, status: r.status, headers, banners, findings: dedupeCookieFindings(findings) };
}

/** What on a page BREACH can extract: a CSRF or other token in a form field, or a cookie set with the page. */
export function pageSecrets(s: HttpSnapshot): string[] {
  const out: string[] = [];
  if (s.headers['set-cookie']) out.push('sets a cookie');
  const html = s.body.toString('utf8');
  if (/<input[^>]+type=["']?hidden[^>]*>/i.test(html)) out.push('a hidden form field');
  if (/(csrf|xsrf|authenticity_token|_token)/i.test(html)) out.push('a token in the markup');
  return out;
}

/**
 * BREACH (CVE-2013-3587) needs HTTP compression of a response that reflects input and holds a secret;
 * the scanner sees the two it can: compression when asked for it, and a secret in the same page.
 * Compressed pages without secrets are not a finding (testssl flags any compression; that is noise).
 */
async function breachFindings(url: URL, plain: HttpSnapshot, budget: ConnectionBudget): Promise<Finding[]> {
  const got = await httpRequest(url, 'GET', budget, { 'accept-encoding': 'gzip, deflate, br' });
  if (!got.ok) return [];
  const encoding = header(got.response, 'content-encoding');
  if (!encoding || /^identity$/i.test(encoding)) return [];
  const secrets = pageSecrets(plain);
  if (secrets.length === 0) return [];
  return [makeFinding('http-breach', `GET ${url.pathname} with Accept-Encoding: gzip, deflate, br → Content-Encoding: ${encoding}; the page ${secrets.join(', ')}`)];
}

const FINDING_TITLE_PREFIX: Partial<Record<string, string>> = {
  'http-git-exposed': 'Git repository exposed: ',
  'http-env-exposed': 'Environment file exposed: ',
  'http-backup-exposed': 'Backup or editor file exposed: ',
  'http-directory-listing': 'Directory listing enabled: ',
  'http-debug-page': 'Diagnostic page exposed: ',
};

function dedupeById(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (f.id === 'http-git-exposed' || f.id === 'http-env-exposed' ? !seen.has(f.id) && !!seen.add(f.id) : true));
}

function dedupeCookieFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(`${f.id}|${f.title}`) && !!seen.add(`${f.id}|${f.title}`));
}

async function plainHttpFindings(target: URL, root: HttpSnapshot, budget: ConnectionBudget, plainPort: number): Promise<Finding[]> {
  const redirectsToHttps = (s: HttpSnapshot) => s.status >= 300 && s.status < 400 && /^https:\/\//i.test(header(s, 'location') ?? '');
  if (target.protocol === 'http:') {
    // The first hop of the root request, not the followed one: a same-origin redirect is still plain HTTP.
    const first = await httpRequest(target, 'GET', budget);
    const s = first.ok ? first.response : root;
    return redirectsToHttps(s) ? [] : [makeFinding('http-no-https-redirect', `GET ${target.href} → ${s.status}${header(s, 'location') ? ` Location: ${header(s, 'location')}` : ''} over plain HTTP`)];
  }
  const plain = new URL(target.href);
  plain.protocol = 'http:';
  plain.port = plainPort === 80 ? '' : String(plainPort);
  const got = await httpRequest(plain, 'GET', budget);
  if (!got.ok) return []; // nothing listens on plain HTTP: nothing to redirect
  return redirectsToHttps(got.response) ? [] : [makeFinding('http-no-https-redirect', `GET ${plain.href} → ${got.response.status} without a redirect to https://`)];
}
