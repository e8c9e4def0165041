// Servers the scanner's tests (and bench/scanner.ts) start on 127.0.0.1: Node TLS/HTTPS servers
// with chosen settings, Debian's `openssl s_server`, and a fake TLS server that answers heartbeats
// like vulnerable (or fixed) OpenSSL. Certificates are made on the spot with the openssl CLI.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { CONTENT_TYPE, EXTENSION, HANDSHAKE_TYPE, tlsRecord } from './client-hello.ts';
import { HandshakeAssembler, TlsRecordReader } from './tls-record-reader.ts';

export interface RunningServer { port: number; close(): Promise<void> }

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
    const ext = [spec.san ? `subjectAltName=${spec.san}` : '', spec.isCa ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign' : 'basicConstraints=CA:FALSE'].filter(Boolean).join('\n');
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
export function startTlsServer(options: tls.TlsOptions): Promise<RunningServer> {
  const server = tls.createServer(options, (socket) => { socket.on('error', () => {}); socket.end(); });
  server.on('tlsClientError', () => {});
  return listening(server);
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
export async function startOpensslServer(cert: CertificateFiles, args: string[]): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certPath, '-key', cert.keyPath, '-www', '-quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const deadline = Date.now() + 5000;
  // -quiet suppresses "ACCEPT", so poll the port until it answers.
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) { child.kill(); throw new Error(`openssl s_server did not start: ${stderr}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    close: () => new Promise<void>((resolve) => { if (child.exitCode !== null) return resolve(); child.once('exit', () => resolve()); child.kill(); }),
  };
}

const FAKE_SUITES = [0xc02f, 0xc030];

function fakeServerFlight(certificateDer: Buffer, clientHello: Buffer): Buffer | number {
  const clientVersion = clientHello.readUInt16BE(0);
  if (clientVersion < 0x0303) return 70; // protocol_version: the fake speaks TLS 1.2 only
  let at = 2 + 32;
  at += 1 + clientHello[at]!;
  const suitesLength = clientHello.readUInt16BE(at);
  const offered: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) offered.push(clientHello.readUInt16BE(at + 2 + i));
  const suite = offered.find((s) => FAKE_SUITES.includes(s));
  if (suite === undefined) return 40; // handshake_failure
  const extensions = Buffer.from([0xff, 0x01, 0, 1, 0, 0, EXTENSION.heartbeat, 0, 1, 1]);
  const hello = Buffer.concat([Buffer.from([3, 3]), randomBytes(32), Buffer.from([0, suite >> 8, suite & 0xff, 0]), Buffer.from([0, extensions.length]), extensions]);
  const certEntry = Buffer.concat([Buffer.from([0, certificateDer.length >> 8, certificateDer.length & 0xff]), certificateDer]);
  const certList = Buffer.concat([Buffer.from([0, certEntry.length >> 8, certEntry.length & 0xff]), certEntry]);
  const message = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return tlsRecord(CONTENT_TYPE.handshake, 0x0303, Buffer.concat([
    message(HANDSHAKE_TYPE.serverHello, hello),
    message(HANDSHAKE_TYPE.certificate, certList),
    message(HANDSHAKE_TYPE.serverHelloDone, Buffer.alloc(0)),
  ]));
}

/**
 * Speaks just enough TLS 1.2 to negotiate the heartbeat extension, then answers heartbeat requests
 * the way OpenSSL 1.0.1f does (trusting the claimed length: leaks filler "memory") or the way a fixed
 * one does (RFC 6520 §4: silently drop a request whose claimed length exceeds the record).
 */
export function startFakeHeartbeatServer(cert: CertificateFiles, mode: 'vulnerable' | 'fixed'): Promise<RunningServer> {
  const der = new X509Certificate(cert.cert).raw;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    const reader = new TlsRecordReader(socket);
    const assembler = new HandshakeAssembler();
    void (async () => {
      for (;;) {
        const record = await reader.next(Date.now() + 10_000);
        if (typeof record === 'string') { socket.destroy(); return; }
        if (record.type === CONTENT_TYPE.handshake) {
          for (const m of assembler.push(record.payload)) {
            if (m.type !== HANDSHAKE_TYPE.clientHello) continue;
            const flight = fakeServerFlight(der, m.body);
            if (typeof flight === 'number') { socket.end(tlsRecord(CONTENT_TYPE.alert, 0x0303, Buffer.from([2, flight]))); return; }
            socket.write(flight);
          }
        } else if (record.type === CONTENT_TYPE.heartbeat && record.payload[0] === 1) {
          const claimed = record.payload.readUInt16BE(1);
          const fits = 3 + claimed + 16 <= record.payload.length;
          if (!fits && mode === 'fixed') continue;
          const payload = fits ? record.payload.subarray(3, 3 + claimed) : Buffer.concat([record.payload.subarray(3), Buffer.alloc(claimed, 'secret-session-key=')]).subarray(0, claimed);
          const response = Buffer.concat([Buffer.from([2, claimed >> 8, claimed & 0xff]), payload, randomBytes(16)]);
          for (let i = 0; i < response.length; i += 16_384) socket.write(tlsRecord(CONTENT_TYPE.heartbeat, 0x0303, response.subarray(i, i + 16_384)));
        } else if (record.type === CONTENT_TYPE.alert) {
          socket.destroy();
          return;
        }
      }
    })();
  });
  return listening(server);
}
