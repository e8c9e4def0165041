// SSL 2.0 uses its own record format (no TLS record header), so it gets its own probe: one
// CLIENT-HELLO with the seven SSLv2 cipher kinds and a read of the SERVER-HELLO. A server that answers
// at all has SSLv2 enabled — also when its cipher list is empty, which is how OpenSSL before 1.0.2f /
// 1.0.1r answers with every SSLv2 cipher disabled. Such a server (and one listing some ciphers) may
// still accept a CLIENT-MASTER-KEY for a cipher it did not list (CVE-2015-3197), which is what makes
// "SSLv2 with no ciphers" exploitable for DROWN (CVE-2016-0800). The probe therefore sends a
// CLIENT-MASTER-KEY for an unlisted cipher on the same connection: an ERROR message (or a hang-up)
// is a refusal, an encrypted SERVER-VERIFY (any record that is not a clear ERROR) is acceptance.
import { constants, createPublicKey, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import type { ConnectionBudget } from './connection-budget.ts';
import type { TlsEndpoint } from './tls-handshake-probe.ts';
import { TlsRecordReader } from './tls-record-reader.ts';

/** SSLv2 cipher kinds (RFC draft "The SSL Protocol", appendix C), with their key sizes: clear, secret, key argument. */
export const SSLV2_CIPHERS: ReadonlyMap<number, { name: string; clear: number; secret: number; keyArg: number }> = new Map([
  [0x010080, { name: 'SSL_CK_RC4_128_WITH_MD5', clear: 0, secret: 16, keyArg: 0 }],
  [0x020080, { name: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', clear: 11, secret: 5, keyArg: 0 }],
  [0x030080, { name: 'SSL_CK_RC2_128_CBC_WITH_MD5', clear: 0, secret: 16, keyArg: 8 }],
  [0x040080, { name: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', clear: 11, secret: 5, keyArg: 8 }],
  [0x050080, { name: 'SSL_CK_IDEA_128_CBC_WITH_MD5', clear: 0, secret: 16, keyArg: 8 }],
  [0x060040, { name: 'SSL_CK_DES_64_CBC_WITH_MD5', clear: 0, secret: 8, keyArg: 8 }],
  [0x0700c0, { name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', clear: 0, secret: 24, keyArg: 8 }],
]);
const SSLV2_CIPHER_KINDS = [...SSLV2_CIPHERS.keys()];

export const SSLV2_MESSAGE = { error: 0, clientHello: 1, clientMasterKey: 2, serverHello: 4 } as const;

function sslv2Record(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | (message.length >> 8), message.length & 0xff]), message]);
}

export function buildSslv2ClientHello(): Buffer {
  const specs = Buffer.alloc(SSLV2_CIPHER_KINDS.length * 3);
  SSLV2_CIPHER_KINDS.forEach((k, i) => specs.writeUIntBE(k, i * 3, 3));
  const challenge = randomBytes(16);
  const head = Buffer.from([SSLV2_MESSAGE.clientHello, 0x00, 0x02, specs.length >> 8, specs.length & 0xff, 0, 0, 0, challenge.length]);
  return sslv2Record(Buffer.concat([head, specs, challenge]));
}

/** CLIENT-MASTER-KEY for `kind`, the secret part encrypted to the server's RSA key (PKCS #1 v1.5), as a real client would. */
export function buildSslv2ClientMasterKey(kind: number, certificate: Buffer | null): Buffer {
  const spec = SSLV2_CIPHERS.get(kind)!;
  const secret = randomBytes(spec.secret);
  let encrypted: Buffer;
  try {
    encrypted = certificate ? publicEncrypt({ key: createPublicKey(new X509Certificate(certificate).publicKey.export({ format: 'pem', type: 'spki' })), padding: constants.RSA_PKCS1_PADDING }, secret) : randomBytes(128);
  } catch {
    encrypted = randomBytes(128); // not an RSA certificate: the server's answer still tells refusal from acceptance
  }
  const clear = randomBytes(spec.clear);
  const keyArg = randomBytes(spec.keyArg);
  const head = Buffer.alloc(10);
  head[0] = SSLV2_MESSAGE.clientMasterKey;
  head.writeUIntBE(kind, 1, 3);
  head.writeUInt16BE(clear.length, 4);
  head.writeUInt16BE(encrypted.length, 6);
  head.writeUInt16BE(keyArg.length, 8);
  return sslv2Record(Buffer.concat([head, clear, encrypted, keyArg]));
}

export type Sslv2State = 'not-offered' | 'offered' | 'offered-no-ciphers';

export interface Sslv2Outcome {
  accepted: boolean;
  state: Sslv2State;
  /** Cipher kinds the SERVER-HELLO listed. */
  ciphers: string[];
  /** Whether a CLIENT-MASTER-KEY for an unlisted cipher was accepted (CVE-2015-3197); null when not tried. */
  forcedCipher: boolean | null;
  detail: string;
  reachable: boolean;
}

interface ParsedServerHello { certificate: Buffer | null; ciphers: number[] }

function parseSslv2ServerHello(reply: Buffer): ParsedServerHello | undefined {
  // [2-byte header, high bit set][4 = SERVER-HELLO][session-id-hit][cert type][version 0x0002][cert len][cipher specs len][connection-id len]
  if (reply.length < 13 || (reply[0]! & 0x80) === 0 || reply[2] !== SSLV2_MESSAGE.serverHello || reply.readUInt16BE(5) !== 0x0002) return undefined;
  const certLength = reply.readUInt16BE(7);
  const specsLength = reply.readUInt16BE(9);
  const certificate = certLength > 0 ? reply.subarray(13, 13 + certLength) : null;
  const ciphers: number[] = [];
  for (let at = 13 + certLength; at + 3 <= 13 + certLength + specsLength && at + 3 <= reply.length; at += 3) ciphers.push(reply.readUIntBE(at, 3));
  return { certificate, ciphers };
}

const name = (kind: number) => SSLV2_CIPHERS.get(kind)?.name ?? `0x${kind.toString(16).padStart(6, '0')}`;

export async function probeSslv2(endpoint: TlsEndpoint, budget: ConnectionBudget): Promise<Sslv2Outcome> {
  const none = { accepted: false, state: 'not-offered' as const, ciphers: [], forcedCipher: null };
  const opened = await budget.open(endpoint.host, endpoint.port);
  if (!opened.ok) return { ...none, detail: opened.detail, reachable: false };
  const reader = new TlsRecordReader(opened.socket);
  try {
    opened.socket.write(buildSslv2ClientHello());
    const deadline = budget.readDeadline();
    const state = await reader.waitFor(13, deadline);
    if (state !== 'ready') return { ...none, detail: `no SSLv2 SERVER-HELLO (${state})`, reachable: true };
    const headed = reader.pending;
    const total = 2 + (((headed[0]! & 0x7f) << 8) | headed[1]!);
    if ((headed[0]! & 0x80) !== 0 && (await reader.waitFor(total, deadline)) !== 'ready') return { ...none, detail: 'truncated SSLv2 SERVER-HELLO', reachable: true };
    const hello = parseSslv2ServerHello(reader.pending.subarray(0, total));
    if (!hello) return { ...none, detail: 'server did not answer in SSLv2', reachable: true };
    const listed = hello.ciphers.map(name);
    const consumed = reader.pending.length;
    const unlisted = SSLV2_CIPHER_KINDS.find((k) => !hello.ciphers.includes(k));
    const stateName: Sslv2State = hello.ciphers.length === 0 ? 'offered-no-ciphers' : 'offered';
    const said = hello.ciphers.length === 0 ? 'SSLv2 SERVER-HELLO with an empty cipher list' : `SSLv2 SERVER-HELLO listing ${listed.join(', ')}`;
    if (unlisted === undefined) return { accepted: true, state: stateName, ciphers: listed, forcedCipher: null, detail: `${said} (all SSLv2 ciphers listed: nothing to force)`, reachable: true };
    opened.socket.write(buildSslv2ClientMasterKey(unlisted, hello.certificate));
    const answer = await reader.waitFor(consumed + 3, budget.readDeadline());
    const after = reader.pending.subarray(consumed);
    // A clear ERROR message: 2-byte header, then 0 (ERROR) and a 2-byte code; anything else is encrypted, i.e. the server went on.
    const error = after.length >= 3 && (after[0]! & 0x80) !== 0 && after[2] === SSLV2_MESSAGE.error;
    const forced = answer === 'ready' && !error;
    const outcome = forced
      ? `CLIENT-MASTER-KEY for unlisted ${name(unlisted)} → server went on with an encrypted SERVER-VERIFY (${after.length} bytes): forced cipher accepted`
      : `CLIENT-MASTER-KEY for unlisted ${name(unlisted)} → ${error ? `ERROR message${after.length >= 5 ? ` 0x${after.readUInt16BE(3).toString(16).padStart(4, '0')}` : ''} (refused)` : answer}`;
    return { accepted: true, state: stateName, ciphers: listed, forcedCipher: forced, detail: `${said}; ${outcome}`, reachable: true };
  } finally {
    opened.socket.destroy();
  }
}
