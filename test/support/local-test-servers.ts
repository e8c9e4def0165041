// Servers the scanner's tests (and bench/scanner.ts) start on 127.0.0.1: Node TLS/HTTPS servers
// with chosen settings, Debian's `openssl s_server`, and a fake TLS server that answers heartbeats
// like vulnerable (or fixed) OpenSSL. Certificates are made on the spot with the openssl CLI.
import { execFileSync, spawn } from 'node:child_process';
import { constants, privateDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { cipherSuiteName } from '../../src/scanner/cipher-suites.ts';
import { CONTENT_TYPE, EXTENSION, HANDSHAKE_TYPE, tlsRecord } from '../../src/scanner/client-hello.ts';
import { HandshakeAssembler, TlsRecordReader } from '../../src/scanner/tls-record-reader.ts';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
  /** TLS servers only: answer OCSP stapling requests (Node's 'OCSPRequest' event). */
  onOcspRequest?(handler: (certificate: Buffer, issuer: Buffer, reply: (err: Error | null, response?: Buffer) => void) => void): void;
}

export interface CertificateFiles { key: string; cert: string; keyPath: string; certPath: string }

export interface CertificateSpec {
  cn: string;
  /** subjectAltName, e.g. 'DNS:localhost,IP:127.0.0.1'. */
  san?: string;
  /** -1 for a certificate that expired a day ago (self-signed only: the openssl CLI allows no less). */
  days?: number;
  rsaBits?: number;
  /** Sign with this CA instead of self-signing. */
  ca?: CertificateFiles;
  isCa?: boolean;
  /** More extension lines for openssl's -extfile, e.g. '1.3.6.1.4.1.11129.2.4.2=DER:…' (a synthetic SCT list). */
  extensions?: string[];
}

export class CertificateFactory {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'mamori-scan-certs-'));
  private n = 0;

  make(spec: CertificateSpec): CertificateFiles {
    const base = path.join(this.dir, `c${this.n++}`);
    const keyPath = `${base}.key`;
    const certPath = `${base}.pem`;
    const csrPath = `${base}.csr`;
    const extPath = `${base}.ext`;
    execFileSync('openssl', ['req', '-new', '-newkey', `rsa:${spec.rsaBits ?? 2048}`, '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${spec.cn}`], { stdio: 'ignore' });
    const ext = [spec.san ? `subjectAltName=${spec.san}` : '', spec.isCa ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign' : 'basicConstraints=CA:FALSE', ...(spec.extensions ?? [])].filter(Boolean).join('\n');
    writeFileSync(extPath, ext + '\n');
    const signer = spec.ca ? ['-CA', spec.ca.certPath, '-CAkey', spec.ca.keyPath, '-CAcreateserial'] : ['-signkey', keyPath];
    execFileSync('openssl', ['x509', '-req', '-in', csrPath, ...signer, '-out', certPath, '-days', String(spec.days ?? 90), '-sha256', '-extfile', extPath], { stdio: 'ignore' });
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), keyPath, certPath };
  }

  cleanup(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

function listening(server: net.Server): Promise<RunningServer> {
  // Scanners (ours, testssl, nmap) may leave half-open connections; close() must not wait for them.
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
      });
    });
  });
}

/** A TLS server that answers nothing but the handshake (no HTTP). */
export async function startTlsServer(options: tls.TlsOptions): Promise<RunningServer> {
  const server = tls.createServer(options, (socket) => { socket.on('error', () => {}); socket.end(); });
  server.on('tlsClientError', () => {});
  const running = await listening(server);
  return { ...running, onOcspRequest: (handler) => { server.on('OCSPRequest', handler); } };
}

export function startHttpsServer(options: tls.TlsOptions, handler: http.RequestListener): Promise<RunningServer> {
  const server = https.createServer(options, handler);
  server.on('tlsClientError', () => {});
  return listening(server);
}

export function startHttpServer(handler: http.RequestListener): Promise<RunningServer> {
  return listening(http.createServer(handler));
}

export function opensslAvailable(): boolean {
  try { execFileSync('openssl', ['version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

async function freePort(): Promise<number> {
  const probe = await listening(net.createServer());
  await probe.close();
  return probe.port;
}

/** Debian's `openssl s_server -www` with extra arguments (e.g. ['-tls1', '-cipher', 'ALL:@SECLEVEL=0']). */
/**
 * Resolves once something accepts connections on 127.0.0.1:port; rejects when `child` exits first
 * or `timeoutMs` passes. A child server that prints no readiness line (openssl -quiet, nginx in the
 * foreground) can only be watched this way: a bounded poll of the port, not a wait for time.
 */
export async function untilChildListens(port: number, child: { exitCode: number | null }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`nothing listened on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startOpensslServer(cert: CertificateFiles, args: string[]): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certPath, '-key', cert.keyPath, '-www', '-quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  // -quiet suppresses "ACCEPT", so poll the port until it answers.
  try {
    await untilChildListens(port, child, 5000);
  } catch (err) {
    child.kill();
    throw new Error(`openssl s_server did not start: ${(err as Error).message} ${stderr}`);
  }
  return {
    port,
    close: () => new Promise<void>((resolve) => { if (child.exitCode !== null) return resolve(); child.once('exit', () => resolve()); child.kill(); }),
  };
}

// How long the fake waits for a client's next record before it drops the connection. It must outlast
// a slow client: bash-driven testssl on a busy machine took more than 3 s between the handshake and
// its heartbeat, the fake hung up first and testssl read that as "not vulnerable". Scanners waiting
// on something the fake never sends end the wait with their own timeouts.
const FAKE_IDLE_MS = 30_000;

export interface FakeTlsOptions {
  /** Versions it negotiates (0x0300 SSLv3 … 0x0303 TLS 1.2; no TLS 1.3). */
  versions?: number[];
  /** Suites it accepts, in its order of preference. */
  suites?: number[];
  heartbeat?: 'vulnerable' | 'fixed' | 'none';
  /** Accept DEFLATE when offered (CRIME). */
  compression?: boolean;
  /** Echo renegotiation_info (RFC 5746). */
  secureRenegotiation?: boolean;
  /**
   * Answer an SSLv2 CLIENT-HELLO: true lists DES-EDE3 and refuses unlisted ciphers; an object sets the
   * listed cipher kinds ([] = the empty list OpenSSL < 1.0.2f sent with SSLv2 ciphers disabled) and
   * whether a CLIENT-MASTER-KEY for an unlisted one is accepted (CVE-2015-3197).
   */
  sslv2?: boolean | { ciphers: number[]; acceptUnlisted: boolean };
  /** Early ChangeCipherSpec: 'vulnerable' takes it (CVE-2014-0224), 'fixed' answers unexpected_message. */
  ccs?: 'vulnerable' | 'fixed';
  /** Refuse a downgraded hello carrying TLS_FALLBACK_SCSV with inappropriate_fallback (RFC 7507). */
  fallbackScsv?: boolean;
  /** Size of the DH prime in the ServerKeyExchange of DHE suites (default 2048). */
  dhBits?: number;
  /** Ticketbleed: echo 32 bytes of "session id" when a ticket comes with a shorter id (F5's bug). */
  ticketbleed?: boolean;
  /**
   * ROBOT: how a ClientKeyExchange (RSA) is answered. 'oracle' answers a block that is not PKCS #1
   * conformant (first bytes not 00 02, or no zero separator) at once with handshake_failure, and a
   * conformant one only after the Finished (bad_record_mac), as the vulnerable stacks of the paper did;
   * 'uniform' always waits for the Finished and answers bad_record_mac. Unset: a ClientKeyExchange is ignored.
   */
  robot?: 'oracle' | 'uniform' | 'none';
  /** Answer a signed_certificate_timestamp request with an (unsigned, synthetic) SCT list in the ServerHello (RFC 6962 §3.3.1). */
  handshakeScts?: boolean;
}

interface ClientHelloView { version: number; suites: number[]; compression: number[]; extensions: Set<number>; sessionId: Buffer }

function readClientHello(body: Buffer): ClientHelloView {
  let at = 2 + 32;
  const sessionId = body.subarray(at + 1, at + 1 + body[at]!);
  at += 1 + body[at]!;
  const suitesLength = body.readUInt16BE(at);
  const suites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) suites.push(body.readUInt16BE(at + 2 + i));
  at += 2 + suitesLength;
  const compression = [...body.subarray(at + 1, at + 1 + body[at]!)];
  at += 1 + body[at]!;
  const extensions = new Set<number>();
  if (at + 2 <= body.length) {
    const end = at + 2 + body.readUInt16BE(at);
    for (at += 2; at + 4 <= end; at += 4 + body.readUInt16BE(at + 2)) extensions.add(body.readUInt16BE(at));
  }
  return { version: body.readUInt16BE(0), suites, compression, extensions, sessionId };
}

function handshakeMessage(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
}

function fakeServerFlight(der: Buffer, clientHello: Buffer, o: Required<FakeTlsOptions>): { version: number; flight: Buffer } | { alert: number; version: number } {
  const hello = readClientHello(clientHello);
  const version = Math.max(...o.versions.filter((v) => v <= hello.version));
  if (!Number.isFinite(version)) return { alert: 70, version: Math.min(...o.versions) }; // protocol_version
  if (o.fallbackScsv && hello.suites.includes(0x5600) && version < Math.max(...o.versions)) return { alert: 86, version }; // inappropriate_fallback
  const suite = o.suites.find((s) => hello.suites.includes(s));
  if (suite === undefined) return { alert: 40, version }; // handshake_failure
  const compression = o.compression && hello.compression.includes(1) ? 1 : 0;
  const wantsRenegotiationInfo = hello.extensions.has(EXTENSION.renegotiationInfo) || hello.suites.includes(0x00ff);
  const extensions = Buffer.concat([
    ...(o.secureRenegotiation && wantsRenegotiationInfo ? [Buffer.from([0xff, 0x01, 0, 1, 0])] : []),
    ...(o.heartbeat !== 'none' && hello.extensions.has(EXTENSION.heartbeat) ? [Buffer.from([0, EXTENSION.heartbeat, 0, 1, 1])] : []),
    // One SCT of 8 filler bytes in a SignedCertificateTimestampList: scanners only look for the extension.
    ...(o.handshakeScts && hello.extensions.has(EXTENSION.signedCertificateTimestamp) ? [Buffer.from([0, EXTENSION.signedCertificateTimestamp, 0, 12, 0, 10, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7])] : []),
  ]);
  // Ticketbleed: a ticket with a short session id gets 32 bytes back, the rest "memory".
  const sessionId = o.ticketbleed && hello.extensions.has(EXTENSION.sessionTicket) && hello.sessionId.length > 0 && hello.sessionId.length < 32
    ? Buffer.concat([hello.sessionId, Buffer.alloc(32 - hello.sessionId.length, 0x5a)])
    : hello.sessionId;
  const serverHello = Buffer.concat([
    Buffer.from([version >> 8, version & 0xff]), randomBytes(32), Buffer.from([sessionId.length]), sessionId, Buffer.from([suite >> 8, suite & 0xff, compression]),
    ...(extensions.length > 0 ? [Buffer.from([0, extensions.length]), extensions] : []),
  ]);
  const certEntry = Buffer.concat([Buffer.from([0, der.length >> 8, der.length & 0xff]), der]);
  const certList = Buffer.concat([Buffer.from([0, certEntry.length >> 8, certEntry.length & 0xff]), certEntry]);
  return {
    version,
    flight: tlsRecord(CONTENT_TYPE.handshake, version, Buffer.concat([
      handshakeMessage(HANDSHAKE_TYPE.serverHello, serverHello),
      handshakeMessage(HANDSHAKE_TYPE.certificate, certList),
      ...(isDheSuite(suite) ? [handshakeMessage(HANDSHAKE_TYPE.serverKeyExchange, fakeDhParams(o.dhBits, version))] : []),
      handshakeMessage(HANDSHAKE_TYPE.serverHelloDone, Buffer.alloc(0)),
    ])),
  };
}

// DHE suites by IANA name (TLS_DHE_* and TLS_DH_anon_*); enough for the fake's ServerKeyExchange.
function isDheSuite(id: number): boolean {
  return /^TLS_(DHE|DH_anon)_/.test(cipherSuiteName(id));
}

/** ServerDHParams (RFC 5246 §7.4.3) with a prime of `bits` bits and an unchecked dummy signature: scanners only read the group size. */
function fakeDhParams(bits: number, version: number): Buffer {
  const p = randomBytes(bits / 8);
  p[0]! |= 0x80;
  const vec = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  // TLS 1.2 names the signature algorithm (rsa_pkcs1_sha256) before the signature; earlier versions do not.
  return Buffer.concat([vec(p), vec(Buffer.from([2])), vec(randomBytes(bits / 8)), ...(version >= 0x0303 ? [Buffer.from([4, 1])] : []), vec(randomBytes(256))]);
}

function sslv2Record(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
}

function sslv2ServerHello(der: Buffer, ciphers: number[]): Buffer {
  const connectionId = randomBytes(16);
  const spec = Buffer.alloc(ciphers.length * 3);
  ciphers.forEach((c, i) => spec.writeUIntBE(c, i * 3, 3));
  const body = Buffer.concat([Buffer.from([4, 0, 1, 0x00, 0x02, der.length >> 8, der.length & 0xff, spec.length >> 8, spec.length & 0xff, 0, connectionId.length]), der, spec, connectionId]);
  return sslv2Record(body);
}

/** The SSLv2 exchange after SERVER-HELLO: a CLIENT-MASTER-KEY for a listed (or, when told, any) cipher gets an "encrypted" SERVER-VERIFY, else ERROR NO-CIPHER. */
async function fakeSslv2(socket: net.Socket, reader: TlsRecordReader, der: Buffer, mode: { ciphers: number[]; acceptUnlisted: boolean }): Promise<void> {
  const helloLength = 2 + (((reader.pending[0]! & 0x7f) << 8) | reader.pending[1]!);
  if ((await reader.waitFor(helloLength, Date.now() + FAKE_IDLE_MS)) !== 'ready') { socket.destroy(); return; }
  socket.write(sslv2ServerHello(der, mode.ciphers));
  if ((await reader.waitFor(helloLength + 6, Date.now() + FAKE_IDLE_MS)) !== 'ready') { socket.destroy(); return; }
  const masterKey = reader.pending.subarray(helloLength);
  if (masterKey[2] !== 2) { socket.destroy(); return; }
  const kind = masterKey.readUIntBE(3, 3);
  if (mode.ciphers.includes(kind) || mode.acceptUnlisted) socket.end(sslv2Record(randomBytes(33))); // MAC + encrypted SERVER-VERIFY: opaque to the client here
  else socket.end(sslv2Record(Buffer.from([0, 0x00, 0x01]))); // ERROR, NO-CIPHER-ERROR
}

/**
 * Speaks just enough SSL/TLS (up to 1.2) to negotiate what it is told — old protocols, weak suites,
 * compression, no renegotiation_info, SSLv2 — and to answer heartbeat requests the way OpenSSL 1.0.1f
 * does (trusting the claimed length: leaks filler "memory") or a fixed one does (RFC 6520 §4: silently
 * drop a request whose claimed length exceeds the record). Debian's OpenSSL can no longer do any of it.
 */
export function startFakeTlsServer(cert: CertificateFiles, options: FakeTlsOptions = {}): Promise<RunningServer> {
  const o: Required<FakeTlsOptions> = {
    versions: [0x0303], suites: [0xc02f, 0xc030], heartbeat: 'none', compression: false, secureRenegotiation: true, sslv2: false, ccs: 'fixed', fallbackScsv: false, dhBits: 2048, ticketbleed: false, robot: 'none', handshakeScts: false, ...options,
  };
  const der = new X509Certificate(cert.cert).raw;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    const reader = new TlsRecordReader(socket);
    const assembler = new HandshakeAssembler();
    let version = 0x0303;
    void (async () => {
      if ((await reader.waitFor(3, Date.now() + FAKE_IDLE_MS)) !== 'ready') { socket.destroy(); return; }
      const first = reader.pending;
      if ((first[0]! & 0x80) !== 0 && first[2] === 1) {
        if (o.sslv2) await fakeSslv2(socket, reader, der, o.sslv2 === true ? { ciphers: [0x0700c0], acceptUnlisted: false } : o.sslv2); else socket.destroy();
        return;
      }
      let ccsSeen = false;
      let keyExchanged = false;
      for (;;) {
        const record = await reader.next(Date.now() + FAKE_IDLE_MS);
        if (typeof record === 'string') { socket.destroy(); return; }
        if (ccsSeen) { socket.end(tlsRecord(CONTENT_TYPE.alert, version, Buffer.from([2, 20]))); return; } // bad_record_mac: "encrypted" under the early CCS
        if (record.type === CONTENT_TYPE.changeCipherSpec) {
          if (keyExchanged) { ccsSeen = true; continue; } // a proper cipher change: the Finished that follows cannot decrypt
          // No ClientKeyExchange has come yet, so this CCS is early.
          if (o.ccs === 'vulnerable') { ccsSeen = true; continue; }
          socket.end(tlsRecord(CONTENT_TYPE.alert, version, Buffer.from([2, 10]))); // unexpected_message
          return;
        }
        if (record.type === CONTENT_TYPE.handshake) {
          for (const m of assembler.push(record.payload)) {
            if (m.type === 16 && o.robot !== 'none') {
              const block = privateDecrypt({ key: cert.key, padding: constants.RSA_NO_PADDING }, m.body.subarray(2));
              const conformant = block[0] === 0 && block[1] === 2 && block.indexOf(0, 2) >= 10; // ≥ 8 padding bytes, then the zero
              if (o.robot === 'oracle' && !conformant) { socket.end(tlsRecord(CONTENT_TYPE.alert, version, Buffer.from([2, 40]))); return; }
              keyExchanged = true;
              continue;
            }
            if (m.type !== HANDSHAKE_TYPE.clientHello) continue;
            const answer = fakeServerFlight(der, m.body, o);
            version = answer.version;
            if ('alert' in answer) { socket.end(tlsRecord(CONTENT_TYPE.alert, answer.version, Buffer.from([2, answer.alert]))); return; }
            socket.write(answer.flight);
          }
        } else if (record.type === CONTENT_TYPE.heartbeat && record.payload[0] === 1 && o.heartbeat !== 'none') {
          const claimed = record.payload.readUInt16BE(1);
          const fits = 3 + claimed + 16 <= record.payload.length;
          if (!fits && o.heartbeat === 'fixed') continue;
          const payload = fits ? record.payload.subarray(3, 3 + claimed) : Buffer.concat([record.payload.subarray(3), Buffer.alloc(claimed, 'secret-session-key=')]).subarray(0, claimed);
          const response = Buffer.concat([Buffer.from([2, claimed >> 8, claimed & 0xff]), payload, randomBytes(16)]);
          for (let i = 0; i < response.length; i += 16_384) socket.write(tlsRecord(CONTENT_TYPE.heartbeat, version, response.subarray(i, i + 16_384)));
        } else if (record.type === CONTENT_TYPE.alert) {
          socket.destroy();
          return;
        }
      }
    })();
  });
  return listening(server);
}

/** A TLS 1.2 server with the heartbeat extension, answering like vulnerable or fixed OpenSSL. */
export function startFakeHeartbeatServer(cert: CertificateFiles, mode: 'vulnerable' | 'fixed'): Promise<RunningServer> {
  return startFakeTlsServer(cert, { heartbeat: mode });
}
