// Turns what the TLS probes saw into findings.
import type { CertificateReport } from './certificate-inspection.ts';
import type { CertificateTransparency } from './certificate-transparency.ts';
import type { ProtocolCiphers } from './cipher-enumeration.ts';
import { makeFinding, type Finding, type FindingId } from './findings.ts';
import type { HeartbleedResult } from './heartbleed-probe.ts';
import type { ProtocolSupport } from './protocol-support.ts';
import type { TlsFeatures } from './tls-features-probe.ts';
import type { RobotVerdict } from './robot-probe.ts';
import type { ProbeVerdict } from './tls-vulnerability-probes.ts';

export interface VulnerabilityProbes {
  ccsInjection: ProbeVerdict;
  fallbackScsv: ProbeVerdict;
  ticketbleed: ProbeVerdict;
  clientRenegotiation: ProbeVerdict;
  /** Added after the first four (optional in stored reports). */
  robot?: RobotVerdict;
}

export function vulnerabilityFindings(v: VulnerabilityProbes): Finding[] {
  const out: Finding[] = [];
  if (v.ccsInjection.vulnerable === true) out.push(makeFinding('ccs-injection', v.ccsInjection.evidence));
  if (v.fallbackScsv.vulnerable === true) out.push(makeFinding('tls-no-fallback-scsv', v.fallbackScsv.evidence));
  if (v.ticketbleed.vulnerable === true) out.push(makeFinding('ticketbleed', v.ticketbleed.evidence));
  if (v.clientRenegotiation.vulnerable === true) out.push(makeFinding('tls-client-renegotiation', v.clientRenegotiation.evidence));
  if (v.robot?.vulnerable === true) out.push(makeFinding('robot', v.robot.evidence));
  return out;
}

/**
 * Default warning window for certificate expiry; the policy file's scanner.certificateExpiryWarningDays
 * overrides it. 30, not testssl's 60: ACME clients renew 90-day certificates with 30 days left, so a
 * 60-day window would warn for two thirds of every healthy certificate's life; 30 days still leaves a
 * month for a manual renewal when automation broke.
 */
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export function protocolFindings(p: ProtocolSupport): Finding[] {
  const out: Finding[] = [];
  if (p.protocols.SSLv2) out.push(makeFinding('tls-sslv2', p.evidence.SSLv2));
  if (p.sslv2.forcedCipher === true) out.push(makeFinding('tls-sslv2-forced-cipher', p.evidence.SSLv2));
  if (p.protocols.SSLv3) out.push(makeFinding('tls-sslv3', p.evidence.SSLv3));
  if (p.protocols['TLSv1.0']) out.push(makeFinding('tls-tls10', p.evidence['TLSv1.0']));
  if (p.protocols['TLSv1.1']) out.push(makeFinding('tls-tls11', p.evidence['TLSv1.1']));
  if (!p.protocols['TLSv1.2'] && !p.protocols['TLSv1.3']) out.push(makeFinding('tls-no-modern-protocol', `${p.evidence['TLSv1.2']}; ${p.evidence['TLSv1.3']}`));
  return out;
}

const CIPHER_FLAG_FINDING: Array<[string, FindingId]> = [
  ['null', 'tls-cipher-null'],
  ['export', 'tls-cipher-export'],
  ['anonymous', 'tls-cipher-anonymous'],
  ['rc4', 'tls-cipher-rc4'],
  ['des', 'tls-cipher-des'],
  ['3des', 'tls-cipher-des'],
  ['idea', 'tls-cipher-des'],
  ['rc2', 'tls-cipher-des'],
];

export function cipherFindings(perProtocol: readonly ProtocolCiphers[]): Finding[] {
  const byFinding = new Map<FindingId, Set<string>>();
  const add = (id: FindingId, what: string) => { if (!byFinding.has(id)) byFinding.set(id, new Set()); byFinding.get(id)!.add(what); };
  for (const p of perProtocol) {
    for (const s of p.accepted) {
      for (const [flag, id] of CIPHER_FLAG_FINDING) if (s.flags.includes(flag)) add(id, `${p.protocol} ${s.name}`);
      if ((p.protocol === 'TLSv1.0' || p.protocol === 'SSLv3') && s.flags.includes('cbc')) add('tls-cipher-cbc-tls10', `${p.protocol} ${s.name}`);
      if (p.protocol !== 'TLSv1.3' && p.protocol !== 'SSLv3' && s.flags.includes('cbc')) add('tls-lucky13', `${p.protocol} ${s.name}`);
      const group = p.groups.get(s.id);
      if (group?.kind === 'dh' && group.bits < 1024) add('tls-dh-insecure-group', `${p.protocol} ${s.name} with a ${group.bits}-bit group`);
      else if (group?.kind === 'dh' && group.bits < 2048) add('tls-dh-weak-group', `${p.protocol} ${s.name} with a ${group.bits}-bit group`);
      if (group?.kind === 'ecdh' && group.bits > 0 && group.bits < 224) add('tls-ecdh-weak-curve', `${p.protocol} ${s.name} with ${group.name}`);
      if (!s.forwardSecrecy && !s.flags.includes('anonymous')) add('tls-no-forward-secrecy', `${p.protocol} ${s.name}`);
    }
  }
  const out = [...byFinding].map(([id, suites]) => makeFinding(id, `accepted: ${[...suites].join(', ')}`));
  const noPreference = perProtocol.filter((p) => p.serverPreference === false).map((p) => p.protocol);
  if (noPreference.length > 0) out.push(makeFinding('tls-no-server-preference', `a hello listing the accepted suites in reverse order got the client's first choice (${noPreference.join(', ')})`));
  return out;
}

export function heartbleedFindings(h: HeartbleedResult): Finding[] {
  return h.vulnerable ? [makeFinding('heartbleed', h.evidence)] : [];
}

export function featureFindings(f: TlsFeatures): Finding[] {
  const out: Finding[] = [];
  if (f.secureRenegotiation === false) out.push(makeFinding('tls-insecure-renegotiation', f.evidence));
  if (f.compression === true) out.push(makeFinding('tls-compression', f.evidence));
  return out;
}

export function certificateFindings(c: CertificateReport, expiryWarningDays = DEFAULT_EXPIRY_WARNING_DAYS): Finding[] {
  const out: Finding[] = [];
  const who = `certificate "${c.subject}" issued by "${c.issuer}"`;
  if (c.expired) out.push(makeFinding('cert-expired', `${who} expired on ${c.notAfter} (${-c.daysLeft} days ago)`));
  else if (c.daysLeft < expiryWarningDays) out.push(makeFinding('cert-expiring-soon', `${who} expires on ${c.notAfter} (${c.daysLeft} days left; warning window ${expiryWarningDays} days)`, { title: `Certificate expires within ${expiryWarningDays} days` }));
  if (c.notYetValid) out.push(makeFinding('cert-not-yet-valid', `${who} is valid only from ${c.notBefore}`));
  if (!c.hostnameMatches) out.push(makeFinding('cert-hostname-mismatch', `${who} does not cover "${c.hostname}" (subjectAltName: ${c.subjectAltName ?? 'none'})`));
  if (c.selfSigned) out.push(makeFinding('cert-self-signed', `${who}: issuer equals subject and the signature verifies with its own key`));
  else if (c.trusted === false) out.push(makeFinding('cert-untrusted', `${who}: chain verification failed (${c.trustError ?? 'unknown reason'})`));
  const rsaLike = c.keyType === 'rsa' || c.keyType === 'rsa-pss' || c.keyType === 'dsa';
  if ((rsaLike && c.keyBits < 2048) || (c.keyType === 'ec' && c.keyBits < 224)) out.push(makeFinding('cert-weak-key', `${who}: ${c.keyType} key of ${c.keyBits} bits`));
  if (/md5|md2|sha1With|sha1$|-sha1/i.test(c.signatureAlgorithm) && !c.selfSigned) out.push(makeFinding('cert-weak-signature', `${who}: signature algorithm ${c.signatureAlgorithm}`));
  if (c.ocspStapled === false) out.push(makeFinding('tls-no-ocsp-stapling', 'status_request offered; no stapled OCSP response came back'));
  return out;
}

/**
 * Browsers demand SCTs only of publicly trusted certificates: one from a private CA (the scan was
 * given its root) or an untrusted one (already a finding of its own) needs none.
 */
export function transparencyFindings(ct: CertificateTransparency | null, certificate: CertificateReport | null, privateCa: boolean): Finding[] {
  return ct?.source === 'none' && certificate?.trusted === true && !privateCa ? [makeFinding('cert-no-sct', ct.evidence)] : [];
}
