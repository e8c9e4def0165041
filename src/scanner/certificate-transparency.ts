// Certificate transparency evidence (RFC 6962): SCTs embedded in the certificate (the X.509
// extension 1.3.6.1.4.1.11129.2.4.2) or sent in the signed_certificate_timestamp TLS extension.
// Node's X509Certificate lists no extensions, so the embedded case looks for the extension's OID
// in the DER; the OID's encoding cannot occur by accident inside the small fields that precede it.
import type { X509Certificate } from 'node:crypto';

const SCT_LIST_OID = Buffer.from('060a2b06010401d679020402', 'hex');

export interface CertificateTransparency {
  /** Where SCTs were found; 'none' when neither place had them. */
  source: 'certificate' | 'handshake' | 'none';
  evidence: string;
}

export function embedsScts(leaf: X509Certificate | Buffer): boolean {
  const der = Buffer.isBuffer(leaf) ? leaf : leaf.raw;
  return der.includes(SCT_LIST_OID);
}

export function certificateTransparency(leafDer: Buffer | null, handshakeScts: boolean | null): CertificateTransparency | null {
  if (!leafDer) return null;
  if (embedsScts(leafDer)) return { source: 'certificate', evidence: 'the certificate embeds an SCT list (1.3.6.1.4.1.11129.2.4.2)' };
  if (handshakeScts) return { source: 'handshake', evidence: 'the ServerHello carries signed_certificate_timestamp' };
  return { source: 'none', evidence: `no SCT list in the certificate; ${handshakeScts === null ? 'the TLS extension was not checked' : 'signed_certificate_timestamp asked for, none in the ServerHello'}` };
}
