// The certificate chain, fetched with Node's own TLS (its verification against the system CA store
// is the trust answer) and read with node:crypto's X509Certificate.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { ConnectionBudget } from './connection-budget.ts';
import type { TlsEndpoint } from './tls-handshake-probe.ts';

export interface ChainEntry { subject: string; issuer: string; notAfter: string; fingerprint256: string }

export interface CertificateReport {
  subject: string;
  issuer: string;
  subjectAltName: string | null;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  hostname: string;
  hostnameMatches: boolean;
  keyType: string;
  keyBits: number;
  signatureAlgorithm: string;
  selfSigned: boolean;
  /** null when the chain came from the raw handshake and could not be verified. */
  trusted: boolean | null;
  trustError: string | null;
  chain: ChainEntry[];
  ocspStapled: boolean | null;
  source: 'node-tls' | 'raw-handshake';
}

export type ChainFetch =
  | { ok: true; certificates: Buffer[]; authorized: boolean; authorizationError: string | null; ocspStapled: boolean }
  | { ok: false; error: 'BUDGET_EXHAUSTED' | 'TLS_FAILED'; detail: string };

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521 };
const DAY_MS = 86_400_000;

/** `extraCa`: PEM roots trusted besides the system store (a private CA, or a test's own). */
export async function fetchCertificateChain(endpoint: TlsEndpoint, budget: ConnectionBudget, extraCa: readonly string[] = []): Promise<ChainFetch> {
  if (budget.exhausted) return { ok: false, error: 'BUDGET_EXHAUSTED', detail: 'connection or time cap reached' };
  budget.used++;
  return new Promise((resolve) => {
    let ocspStapled = false;
    const socket = tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
      rejectUnauthorized: false, // we want to *report* on bad certificates, not refuse them
      requestOCSP: true,
      ...(extraCa.length > 0 ? { ca: [...tls.rootCertificates, ...extraCa] } : {}),
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0', // so legacy servers still show their certificate
    });
    const timer = setTimeout(() => { socket.destroy(); resolve({ ok: false, error: 'TLS_FAILED', detail: 'TLS handshake timed out' }); }, Math.max(1, budget.readDeadline() - Date.now()));
    socket.on('OCSPResponse', (response: Buffer | null) => { if (response && response.length > 0) ocspStapled = true; });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const certificates: Buffer[] = [];
      let peer: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (peer?.raw && !certificates.some((c) => c.equals(peer!.raw))) {
        certificates.push(peer.raw);
        peer = peer.issuerCertificate;
      }
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
      socket.destroy();
      resolve({ ok: true, certificates, authorized: socket.authorized, authorizationError, ocspStapled });
    });
    socket.on('error', (err) => { clearTimeout(timer); socket.destroy(); resolve({ ok: false, error: 'TLS_FAILED', detail: err.message }); });
  });
}

function keyOf(cert: X509Certificate): { keyType: string; keyBits: number } {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  if (details.modulusLength) return { keyType, keyBits: details.modulusLength };
  if (details.namedCurve) return { keyType, keyBits: CURVE_BITS[details.namedCurve] ?? 0 };
  if (keyType === 'ed25519' || keyType === 'x25519') return { keyType, keyBits: 256 };
  if (keyType === 'ed448') return { keyType, keyBits: 456 };
  return { keyType, keyBits: 0 };
}

export function inspectCertificate(
  ders: Buffer[],
  hostname: string,
  trust: { authorized: boolean; authorizationError: string | null } | null,
  ocspStapled: boolean | null,
  source: CertificateReport['source'],
  now = new Date(),
): CertificateReport | null {
  const chain: X509Certificate[] = [];
  for (const der of ders) {
    try { chain.push(new X509Certificate(der)); } catch { break; } // garbage from the wire ends the usable chain
  }
  const leaf = chain[0];
  if (!leaf) return null;
  const notAfter = leaf.validToDate;
  const notBefore = leaf.validFromDate;
  const selfSigned = leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey);
  const hostnameMatches = isIP(hostname) !== 0 ? leaf.checkIP(hostname) !== undefined : leaf.checkHost(hostname) !== undefined;
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    subjectAltName: leaf.subjectAltName ?? null,
    serialNumber: leaf.serialNumber,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    expired: notAfter.getTime() < now.getTime(),
    notYetValid: notBefore.getTime() > now.getTime(),
    hostname,
    hostnameMatches,
    ...keyOf(leaf),
    signatureAlgorithm: leaf.signatureAlgorithm ?? 'unknown',
    selfSigned,
    trusted: trust ? trust.authorized : null,
    trustError: trust?.authorizationError ?? null,
    chain: chain.map((c) => ({ subject: c.subject.replace(/\n/g, ', '), issuer: c.issuer.replace(/\n/g, ', '), notAfter: c.validToDate.toISOString(), fingerprint256: c.fingerprint256 })),
    ocspStapled,
    source,
  };
}
