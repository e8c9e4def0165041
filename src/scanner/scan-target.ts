// Scans one named URL: TLS probes and HTTP checks in parallel, all bounded by one
// ConnectionBudget, then the ASV-style verdict. Only the named host and port are contacted
// (plus, for an https URL, the same host's plain-HTTP port to check the redirect).
import { certificateFindings, cipherFindings, transparencyFindings, featureFindings, heartbleedFindings, protocolFindings, vulnerabilityFindings, DEFAULT_EXPIRY_WARNING_DAYS } from './tls-findings.ts';
import { checkCaa, type CaaReport } from './caa-check.ts';
import { certificateTransparency, type CertificateTransparency } from './certificate-transparency.ts';
import type { KeyExchangeGroup } from './key-exchange-group.ts';
import type { Sslv2State } from './sslv2-probe.ts';
import { fetchSessionTicket, probeCcsInjection, probeClientRenegotiation, probeFallbackScsv, probeTicketbleed } from './tls-vulnerability-probes.ts';
import { makeFinding } from './findings.ts';
import { probeRobot } from './robot-probe.ts';
import type { VulnerabilityProbes } from './tls-findings.ts';
import { enumerateCiphers, type ProtocolCiphers } from './cipher-enumeration.ts';
import { fetchCertificateChain, inspectCertificate, type CertificateReport } from './certificate-inspection.ts';
import { ConnectionBudget, DEFAULT_BOUNDS, type ScanBounds } from './connection-budget.ts';
import { verdictOf, type Finding } from './findings.ts';
import { probeHeartbleed } from './heartbleed-probe.ts';
import { runHttpChecks, type BannerAdvisoryLookup, type HttpReport } from './http-checks.ts';
import { probeProtocolSupport } from './protocol-support.ts';
import { probeTlsFeatures } from './tls-features-probe.ts';
import { TLS_PROTOCOLS, type TlsProtocol } from './tls-protocols.ts';

export type ScanStep = 'protocols' | 'ciphers' | 'heartbleed' | 'certificate' | 'tls-features' | 'http' | 'tls-vulnerabilities' | 'caa';

export interface ScanProgress { url: string; step: ScanStep; state: 'start' | 'done'; detail?: string }

export interface ScanOptions {
  bounds?: Partial<ScanBounds>;
  onProgress?: (p: ScanProgress) => void;
  /** Plain-HTTP port checked for the redirect to HTTPS (default 80). */
  plainHttpPort?: number;
  /** Match version banners against advisories; without it banners are only reported. */
  advisoryLookup?: BannerAdvisoryLookup;
  /** PEM roots to trust besides the system store (a private CA). */
  trustedCa?: string[];
  now?: Date;
  /** Warn when the certificate expires within this many days (policy scanner.certificateExpiryWarningDays). */
  certificateExpiryWarningDays?: number;
  /** DNS server ("address" or "address:port") for the CAA check; without it CAA is "not checked". */
  caaResolver?: string;
}

export interface CipherReport {
  id: string;
  name: string;
  bits: number;
  strength: string;
  forwardSecrecy: boolean;
  flags: string[];
  /** The (EC)DH group the server used with this suite; null for RSA key exchange or when not seen. */
  keyExchangeGroup: KeyExchangeGroup | null;
}

export interface Sslv2Report {
  state: Sslv2State;
  ciphers: string[];
  /** CVE-2015-3197: a CLIENT-MASTER-KEY for an unlisted cipher was accepted; null when not tried. */
  forcedCipher: boolean | null;
  evidence: string;
}

export interface TlsReport {
  protocols: Record<TlsProtocol, boolean>;
  sslv2: boolean;
  ciphers: Partial<Record<TlsProtocol, { accepted: CipherReport[]; serverPreference: boolean | null; truncated: boolean }>>;
  certificate: CertificateReport | null;
  heartbleed: { vulnerable: boolean; heartbeatExtension: boolean; evidence: string } | null;
  secureRenegotiation: boolean | null;
  compression: boolean | null;
  ocspStapling: boolean | null;
  sslv2State?: Sslv2Report | null;
  // The fields below were added after the first JSON contract (optional: older stored reports lack them).
  /** Verdicts of the probes for CCS injection, TLS_FALLBACK_SCSV, Ticketbleed and client renegotiation. */
  vulnerabilities?: VulnerabilityProbes | null;
  certificateTransparency?: CertificateTransparency | null;
  caa?: CaaReport | null;
}

export type ScanErrorCode = 'INVALID_URL' | 'CONNECT_FAILED' | 'NOT_TLS';

export interface TargetResult {
  url: string;
  verdict: 'pass' | 'fail';
  /** Set when the target could not be scanned at all (CLI exit code 2). */
  error?: { code: ScanErrorCode; detail: string };
  startedAt: string;
  durationMs: number;
  connections: number;
  tls: TlsReport;
  http: HttpReport | null;
  findings: Finding[];
}

function emptyTls(): TlsReport {
  return {
    protocols: { SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false },
    sslv2: false,
    ciphers: {},
    certificate: null,
    heartbleed: null,
    secureRenegotiation: null,
    compression: null,
    ocspStapling: null,
    sslv2State: null,
    vulnerabilities: null,
    certificateTransparency: null,
    caa: null,
  };
}

function cipherReport(p: ProtocolCiphers) {
  return {
    accepted: p.accepted.map((s) => ({ id: `0x${s.id.toString(16).padStart(4, '0')}`, name: s.name, bits: s.bits, strength: s.strength, forwardSecrecy: s.forwardSecrecy, flags: s.flags, keyExchangeGroup: p.groups.get(s.id) ?? null })),
    serverPreference: p.serverPreference,
    truncated: p.truncated,
  };
}

async function step<T>(url: string, name: ScanStep, options: ScanOptions, work: () => Promise<T>, describe?: (t: T) => string): Promise<T> {
  options.onProgress?.({ url, step: name, state: 'start' });
  const result = await work();
  options.onProgress?.({ url, step: name, state: 'done', ...(describe ? { detail: describe(result) } : {}) });
  return result;
}

export async function scanTarget(rawUrl: string, options: ScanOptions = {}): Promise<TargetResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let url: URL;
  try {
    url = new URL(rawUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    return { url: rawUrl, verdict: 'fail', error: { code: 'INVALID_URL', detail: 'expected an http:// or https:// URL' }, startedAt, durationMs: 0, connections: 0, tls: emptyTls(), http: null, findings: [] };
  }
  const budget = new ConnectionBudget({ ...DEFAULT_BOUNDS, ...options.bounds });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const endpoint = { host, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  const tls = emptyTls();
  const findings: Finding[] = [];
  const finish = (http: HttpReport | null, error?: TargetResult['error']): TargetResult => ({
    url: url.href,
    verdict: error ? 'fail' : verdictOf(findings),
    ...(error ? { error } : {}),
    startedAt,
    durationMs: Date.now() - started,
    connections: budget.used,
    tls,
    http,
    findings,
  });

  if (url.protocol === 'http:') {
    const http = await step(url.href, 'http', options, () => runHttpChecks(url, budget, options), (h) => `${h.findings.length} findings`);
    findings.push(...http.findings);
    return finish(http, http.reachable ? undefined : { code: 'CONNECT_FAILED', detail: http.error ?? 'unreachable' });
  }

  const support = await step(url.href, 'protocols', options, () => probeProtocolSupport(endpoint, budget),
    (s) => TLS_PROTOCOLS.filter((p) => s.protocols[p]).join(' ') || 'none');
  if (!support.reachable) return finish(null, { code: 'CONNECT_FAILED', detail: `cannot connect to ${host}:${endpoint.port}` });
  if (!support.speaksTls) return finish(null, { code: 'NOT_TLS', detail: `${host}:${endpoint.port} does not answer like a TLS server (${support.evidence['TLSv1.2']})` });
  for (const p of TLS_PROTOCOLS) tls.protocols[p] = support.protocols[p];
  tls.sslv2 = support.protocols.SSLv2;
  tls.sslv2State = { state: support.sslv2.state, ciphers: support.sslv2.ciphers, forcedCipher: support.sslv2.forcedCipher, evidence: support.sslv2.detail };
  findings.push(...protocolFindings(support));
  const accepted = TLS_PROTOCOLS.filter((p) => support.protocols[p]);

  const ciphersDone = step(url.href, 'ciphers', options, () => Promise.all(accepted.map((p) => enumerateCiphers(endpoint, p, budget))),
    (list) => `${list.reduce((n, p) => n + p.accepted.length, 0)} suites`);
  const httpDone = step(url.href, 'http', options, () => runHttpChecks(url, budget, options), (h) => (h.reachable ? `${h.findings.length} findings` : 'no HTTP answer'));
  const [ciphers, heartbleed, features, chain, http, vulnerabilities, caa] = await Promise.all([
    ciphersDone,
    step(url.href, 'heartbleed', options, () => probeHeartbleed(endpoint, accepted, budget), (h) => (h.vulnerable ? 'VULNERABLE' : 'not vulnerable')),
    step(url.href, 'tls-features', options, () => probeTlsFeatures(endpoint, accepted, budget)),
    step(url.href, 'certificate', options, () => fetchCertificateChain(endpoint, budget, options.trustedCa)),
    httpDone,
    step(url.href, 'tls-vulnerabilities', options, async () => {
      const quick = Promise.all([
        probeCcsInjection(endpoint, accepted, budget),
        probeFallbackScsv(endpoint, accepted, budget),
        fetchSessionTicket(endpoint, budget).then((ticket) => probeTicketbleed(endpoint, accepted, budget, ticket)),
      ]);
      // The two probes that hold the server: ROBOT's shortened flow waits on connections the server
      // keeps open, and a refused renegotiation puts s_server to sleep for a second (its www loop).
      // A single-threaded server (s_server) would queue the enumeration and the HTTP checks behind
      // them, so there they start once those are done, the renegotiation after ROBOT. A server seen
      // answering connections in parallel (ConnectionBudget.servesInParallel) is not held by them:
      // they start as soon as that is seen.
      // The quick probes above count among what the held ones wait for; on a parallel server
      // nothing waits, so their waits overlap everything else.
      const parallel = budget.servesInParallel();
      const held = (async () => {
        await Promise.race([Promise.allSettled([ciphersDone, httpDone, quick]), parallel]);
        const robotDone = probeRobot(endpoint, accepted, budget);
        await Promise.race([robotDone, parallel]);
        const clientRenegotiation = await probeClientRenegotiation(endpoint, accepted, budget);
        return { clientRenegotiation, robot: await robotDone };
      })();
      const [[ccsInjection, fallbackScsv, ticketbleed], { clientRenegotiation, robot }] = await Promise.all([quick, held]);
      return { ccsInjection, fallbackScsv, ticketbleed, clientRenegotiation, robot };
    }),
    step(url.href, 'caa', options, () => checkCaa(host, options.caaResolver, budget.bounds.timeoutMs), (c) => c.evidence),
  ]);

  for (const c of ciphers) tls.ciphers[c.protocol] = cipherReport(c);
  findings.push(...cipherFindings(ciphers));
  tls.heartbleed = { vulnerable: heartbleed.vulnerable, heartbeatExtension: heartbleed.heartbeatExtension, evidence: heartbleed.evidence };
  findings.push(...heartbleedFindings(heartbleed));
  tls.secureRenegotiation = features.secureRenegotiation;
  tls.compression = features.compression;
  findings.push(...featureFindings(features));
  tls.vulnerabilities = vulnerabilities;
  findings.push(...vulnerabilityFindings(vulnerabilities));
  tls.caa = caa;
  if (caa.checked && caa.records.length === 0) findings.push(makeFinding('dns-no-caa', caa.evidence));

  const certificate = chain.ok
    ? inspectCertificate(chain.certificates, host, chain, chain.ocspStapled || features.ocspStapled === true, 'node-tls', options.now)
    : inspectCertificate(features.certificates, host, null, features.ocspStapled, 'raw-handshake', options.now);
  tls.certificate = certificate;
  tls.ocspStapling = certificate?.ocspStapled ?? features.ocspStapled;
  if (certificate) findings.push(...certificateFindings(certificate, options.certificateExpiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS));
  const leaf = (chain.ok ? chain.certificates[0] : features.certificates[0]) ?? null;
  tls.certificateTransparency = certificateTransparency(leaf, features.handshakeScts);
  findings.push(...transparencyFindings(tls.certificateTransparency, certificate, (options.trustedCa?.length ?? 0) > 0));

  findings.push(...http.findings);
  findings.sort((a, b) => b.cvss - a.cvss || a.id.localeCompare(b.id));
  return finish(http);
}
