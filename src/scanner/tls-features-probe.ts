// One TLS ≤ 1.2 handshake that asks for everything at once: DEFLATE compression (CRIME), secure
// renegotiation (RFC 5746) and a stapled OCSP response. It also yields the certificates in clear,
// the fallback when Node's TLS cannot connect to a legacy-only server.
import { EXTENSION } from './client-hello.ts';
import { suitesForProtocol } from './cipher-suites.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { probeHandshake, type TlsEndpoint } from './tls-handshake-probe.ts';
import type { TlsProtocol } from './tls-protocols.ts';

export interface TlsFeatures {
  protocol: TlsProtocol | null;
  secureRenegotiation: boolean | null;
  compression: boolean | null;
  ocspStapled: boolean | null;
  /** SCTs in the signed_certificate_timestamp extension of the ServerHello. */
  handshakeScts: boolean | null;
  certificates: Buffer[];
  evidence: string;
}

export async function probeTlsFeatures(endpoint: TlsEndpoint, accepted: readonly TlsProtocol[], budget: ConnectionBudget): Promise<TlsFeatures> {
  const protocol = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find((p) => accepted.includes(p)) ?? null;
  const none: TlsFeatures = { protocol, secureRenegotiation: null, compression: null, ocspStapled: null, handshakeScts: null, certificates: [], evidence: 'no protocol below TLS 1.3 accepted (TLS 1.3 has neither compression nor renegotiation)' };
  if (!protocol) return none;
  const r = await probeHandshake(endpoint, { protocol, cipherSuites: suitesForProtocol(protocol), offerCompression: true, statusRequest: true, signedCertificateTimestamps: true }, budget, { until: 'server-hello-done' });
  if (!r.ok) return { ...none, evidence: `${protocol} handshake failed: ${r.detail}` };
  const h = r.serverHello;
  const secureRenegotiation = h.extensions.has(EXTENSION.renegotiationInfo);
  const compression = h.compressionMethod !== 0;
  return {
    protocol,
    secureRenegotiation,
    compression,
    ocspStapled: r.ocspStapled,
    handshakeScts: h.extensions.has(EXTENSION.signedCertificateTimestamp),
    certificates: r.certificates,
    evidence: `${protocol} ClientHello offering DEFLATE, renegotiation_info and status_request → compression method ${h.compressionMethod}, renegotiation_info ${secureRenegotiation ? 'present' : 'absent'}, CertificateStatus ${r.ocspStapled ? 'sent' : 'not sent'}`,
  };
}
