// Parses a ServerHello body (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3) and the Certificate message.
import { EXTENSION } from './client-hello.ts';

const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167bbb8c5e079e09e2c8a8339c', 'hex');

export interface ServerHello {
  /** The version actually negotiated (supported_versions wins over the legacy field). */
  version: number;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Map<number, Buffer>;
  helloRetryRequest: boolean;
  sessionId: Buffer;
}

export function parseServerHello(body: Buffer): ServerHello | undefined {
  try {
    let at = 0;
    const legacyVersion = body.readUInt16BE(at); at += 2;
    const random = body.subarray(at, at + 32); at += 32;
    const sessionIdLength = body[at]!;
    const sessionId = body.subarray(at + 1, at + 1 + sessionIdLength); at += 1 + sessionIdLength;
    const cipherSuite = body.readUInt16BE(at); at += 2;
    const compressionMethod = body[at]!; at += 1;
    const extensions = new Map<number, Buffer>();
    if (at + 2 <= body.length) {
      const end = at + 2 + body.readUInt16BE(at); at += 2;
      while (at + 4 <= end) {
        const type = body.readUInt16BE(at);
        const length = body.readUInt16BE(at + 2);
        extensions.set(type, body.subarray(at + 4, at + 4 + length));
        at += 4 + length;
      }
    }
    if (at > body.length) return undefined;
    const selected = extensions.get(EXTENSION.supportedVersions);
    const version = selected && selected.length === 2 ? selected.readUInt16BE(0) : legacyVersion;
    return { version, cipherSuite, compressionMethod, extensions, helloRetryRequest: random.equals(HELLO_RETRY_RANDOM), sessionId };
  } catch {
    return undefined; // RangeError from a truncated body: the caller reports it as malformed
  }
}

/** DER certificates from a TLS 1.0–1.2 Certificate message (in TLS 1.3 it is encrypted). */
export function parseCertificateList(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  if (body.length < 3) return out;
  const end = Math.min(body.length, 3 + body.readUIntBE(0, 3));
  let at = 3;
  while (at + 3 <= end) {
    const length = body.readUIntBE(at, 3);
    out.push(body.subarray(at + 3, at + 3 + length));
    at += 3 + length;
  }
  return out;
}
