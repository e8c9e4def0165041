// Builds raw ClientHello records. Hand-written because Node's TLS (and every npm TLS library
// that wraps OpenSSL) refuses to offer SSLv3/TLS 1.0 or arbitrary suites, so it cannot tell
// what a server *accepts*; a scanner has to speak the first flight itself (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { PROTOCOL_VERSION, type TlsProtocol } from './tls-protocols.ts';

export const CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23, heartbeat: 24 } as const;
export const HANDSHAKE_TYPE = { clientHello: 1, serverHello: 2, certificate: 11, serverKeyExchange: 12, certificateStatus: 22, serverHelloDone: 14 } as const;
export const EXTENSION = {
  serverName: 0,
  statusRequest: 5,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  heartbeat: 15,
  signedCertificateTimestamp: 18,
  padding: 21,
  extendedMasterSecret: 23,
  sessionTicket: 35,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

/** Signals secure renegotiation support in hellos without extensions (RFC 5746 §3.3). */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
/** Tells the server this hello is a downgraded retry (RFC 7507). */
export const TLS_FALLBACK_SCSV = 0x5600;

const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102];
const SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
  0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
];

export interface ClientHelloOptions {
  protocol: TlsProtocol;
  cipherSuites: readonly number[];
  /** Sent as SNI unless it is an IP literal (RFC 6066 §3 forbids those). */
  host?: string;
  /** Offer the heartbeat extension (RFC 6520), peer_allowed_to_send. */
  heartbeat?: boolean;
  /** Offer DEFLATE compression besides null (the CRIME check). */
  offerCompression?: boolean;
  /** Ask for a stapled OCSP response. */
  statusRequest?: boolean;
  /** Signalling suites appended after the real ones (e.g. TLS_FALLBACK_SCSV). */
  extraSuites?: readonly number[];
  /** Legacy session id to send (TLS ≤ 1.2; Ticketbleed). */
  sessionId?: Buffer;
  /** Offer the session_ticket extension (RFC 5077) with this ticket (empty: ask for a new one). */
  sessionTicket?: Buffer;
  /** Ask for signed certificate timestamps in the handshake (RFC 6962 §3.3.1). */
  signedCertificateTimestamps?: boolean;
}

function u8(n: number): Buffer { return Buffer.from([n & 0xff]); }
function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; }
function u24(n: number): Buffer { const b = Buffer.alloc(3); b.writeUIntBE(n, 0, 3); return b; }
function vector8(body: Buffer): Buffer { return Buffer.concat([u8(body.length), body]); }
function vector16(body: Buffer): Buffer { return Buffer.concat([u16(body.length), body]); }
function u16List(values: readonly number[]): Buffer { return Buffer.concat(values.map(u16)); }
function extension(type: number, body: Buffer): Buffer { return Buffer.concat([u16(type), vector16(body)]); }

let x25519PublicKey: Buffer | undefined;
// One key for the whole process: the scanner never completes a TLS 1.3 handshake, it only reads ServerHello.
function keyShareX25519(): Buffer {
  if (!x25519PublicKey) {
    const { publicKey } = generateKeyPairSync('x25519');
    const jwk = publicKey.export({ format: 'jwk' });
    x25519PublicKey = Buffer.from(String(jwk.x), 'base64url');
  }
  return x25519PublicKey;
}

function extensionsFor(o: ClientHelloOptions): Buffer[] {
  const out: Buffer[] = [];
  if (o.host && isIP(o.host) === 0) {
    const name = Buffer.from(o.host, 'ascii');
    out.push(extension(EXTENSION.serverName, vector16(Buffer.concat([u8(0), vector16(name)]))));
  }
  out.push(extension(EXTENSION.supportedGroups, vector16(u16List(GROUPS))));
  out.push(extension(EXTENSION.ecPointFormats, vector8(Buffer.from([0]))));
  out.push(extension(EXTENSION.signatureAlgorithms, vector16(u16List(SIGNATURE_ALGORITHMS))));
  if (o.statusRequest) out.push(extension(EXTENSION.statusRequest, Buffer.from([1, 0, 0, 0, 0])));
  if (o.heartbeat) out.push(extension(EXTENSION.heartbeat, Buffer.from([1])));
  if (o.signedCertificateTimestamps) out.push(extension(EXTENSION.signedCertificateTimestamp, Buffer.alloc(0)));
  // A resumed session that used extended_master_secret must ask for it again (RFC 7627 §5.3) or the server aborts.
  if (o.sessionTicket) out.push(extension(EXTENSION.sessionTicket, o.sessionTicket), extension(EXTENSION.extendedMasterSecret, Buffer.alloc(0)));
  if (o.protocol === 'TLSv1.3') {
    out.push(extension(EXTENSION.supportedVersions, vector8(u16(0x0304))));
    out.push(extension(EXTENSION.pskKeyExchangeModes, vector8(Buffer.from([1]))));
    const share = Buffer.concat([u16(0x001d), vector16(keyShareX25519())]);
    out.push(extension(EXTENSION.keyShare, vector16(share)));
  } else {
    out.push(extension(EXTENSION.renegotiationInfo, Buffer.from([0])));
  }
  return out;
}

/** A complete TLS record holding one ClientHello. */
export function buildClientHello(o: ClientHelloOptions): Buffer {
  const sslv3 = o.protocol === 'SSLv3';
  const clientVersion = o.protocol === 'TLSv1.3' ? 0x0303 : PROTOCOL_VERSION[o.protocol];
  // SSLv3 servers predate extensions; signal renegotiation support with the SCSV instead.
  const suites = [...o.cipherSuites, ...(sslv3 ? [EMPTY_RENEGOTIATION_INFO_SCSV] : []), ...(o.extraSuites ?? [])];
  const sessionId = o.sessionId ?? (o.protocol === 'TLSv1.3' ? randomBytes(32) : Buffer.alloc(0)); // TLS 1.3: middlebox compatibility mode
  const head = Buffer.concat([u16(clientVersion), randomBytes(32), vector8(sessionId), vector16(u16List(suites)), vector8(Buffer.from(o.offerCompression ? [1, 0] : [0]))]);
  const extensions = sslv3 ? [] : extensionsFor(o);
  // Some load balancers hang on ClientHellos of 256–511 bytes; RFC 7685 padding moves ours past 511.
  const unpadded = 4 + head.length + 2 + extensions.reduce((n, e) => n + e.length, 0);
  if (!sslv3 && unpadded >= 256 && unpadded < 512) extensions.push(extension(EXTENSION.padding, Buffer.alloc(Math.max(0, 512 - unpadded - 4))));
  const body = Buffer.concat([head, ...(sslv3 ? [] : [vector16(Buffer.concat(extensions))])]);
  const handshake = Buffer.concat([u8(HANDSHAKE_TYPE.clientHello), u24(body.length), body]);
  return tlsRecord(CONTENT_TYPE.handshake, sslv3 ? 0x0300 : 0x0301, handshake);
}

export function tlsRecord(contentType: number, version: number, payload: Buffer): Buffer {
  return Buffer.concat([u8(contentType), u16(version), vector16(payload)]);
}
