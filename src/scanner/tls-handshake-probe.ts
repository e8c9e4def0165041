// Sends one hand-built ClientHello and reads the server's first flight: enough to learn the
// negotiated version, suite, compression and extensions (and, below TLS 1.3, the certificates).
import type { Socket } from 'node:net';
import { buildClientHello, CONTENT_TYPE, HANDSHAKE_TYPE, type ClientHelloOptions } from './client-hello.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { HandshakeAssembler, TlsRecordReader } from './tls-record-reader.ts';
import { parseCertificateList, parseServerHello, type ServerHello } from './server-hello.ts';

export interface TlsEndpoint { host: string; port: number }

export type HandshakeOutcome =
  | {
      ok: true;
      serverHello: ServerHello;
      certificates: Buffer[];
      ocspStapled: boolean;
      /** The ServerKeyExchange body, when the server sent one before the probe stopped reading. */
      serverKeyExchange?: Buffer;
      /** Set when keepOpen was asked: the caller must destroy the socket. */
      connection?: { socket: Socket; reader: TlsRecordReader };
    }
  | { ok: false; error: 'BUDGET_EXHAUSTED' | 'CONNECT_FAILED' | 'TIMEOUT' | 'ALERT' | 'CLOSED' | 'MALFORMED'; detail: string; alert?: number };

export interface HandshakeProbeOptions {
  /** Stop at ServerHello (cheapest) or read on to ServerHelloDone (certificates, stapled OCSP). */
  until: 'server-hello' | 'server-hello-done';
  keepOpen?: boolean;
  /** With until 'server-hello': read on to ServerHelloDone when the suite picked has a ServerKeyExchange (ephemeral DH/ECDH). */
  keyExchange?: (cipherSuite: number) => boolean;
}

export async function probeHandshake(endpoint: TlsEndpoint, hello: ClientHelloOptions, budget: ConnectionBudget, options: HandshakeProbeOptions): Promise<HandshakeOutcome> {
  const opened = await budget.open(endpoint.host, endpoint.port);
  if (!opened.ok) return opened;
  const { socket } = opened;
  const reader = new TlsRecordReader(socket);
  let keep = false;
  try {
    socket.write(buildClientHello({ ...hello, host: hello.host ?? endpoint.host }));
    const deadline = budget.readDeadline();
    const assembler = new HandshakeAssembler();
    let serverHello: ServerHello | undefined;
    const certificates: Buffer[] = [];
    let ocspStapled = false;
    let serverKeyExchange: Buffer | undefined;
    const done = () => ({ ok: true as const, serverHello: serverHello!, certificates, ocspStapled, ...(serverKeyExchange ? { serverKeyExchange } : {}), ...(keep ? { connection: { socket, reader } } : {}) });
    for (;;) {
      const record = await reader.next(deadline);
      if (record === 'timeout') return { ok: false, error: 'TIMEOUT', detail: 'no complete server reply before the read timeout' };
      if (record === 'closed') return { ok: false, error: 'CLOSED', detail: 'server closed the connection' };
      if (record === 'malformed') return { ok: false, error: 'MALFORMED', detail: `not a TLS record: ${reader.pending.subarray(0, 16).toString('hex')}` };
      if (record.type === CONTENT_TYPE.alert) {
        const description = record.payload[1] ?? -1;
        return { ok: false, error: 'ALERT', detail: `alert ${description}`, alert: description };
      }
      if (record.type !== CONTENT_TYPE.handshake) {
        if (serverHello) break; // TLS 1.3: encrypted records after ServerHello
        continue; // e.g. a compatibility ChangeCipherSpec
      }
      for (const message of assembler.push(record.payload)) {
        if (message.type === HANDSHAKE_TYPE.serverHello) {
          serverHello = parseServerHello(message.body);
          if (!serverHello) return { ok: false, error: 'MALFORMED', detail: 'unparseable ServerHello' };
          const readOn = options.until === 'server-hello-done' || options.keyExchange?.(serverHello.cipherSuite) === true;
          if (!readOn || serverHello.version >= 0x0304) {
            keep = !!options.keepOpen;
            return done();
          }
        } else if (message.type === HANDSHAKE_TYPE.certificate) {
          certificates.push(...parseCertificateList(message.body));
        } else if (message.type === HANDSHAKE_TYPE.serverKeyExchange) {
          serverKeyExchange = Buffer.from(message.body);
        } else if (message.type === HANDSHAKE_TYPE.certificateStatus) {
          ocspStapled = true;
        } else if (message.type === HANDSHAKE_TYPE.serverHelloDone && serverHello) {
          keep = !!options.keepOpen;
          return done();
        }
      }
    }
    if (!serverHello) return { ok: false, error: 'MALFORMED', detail: 'no ServerHello' };
    keep = !!options.keepOpen;
    return done();
  } finally {
    if (!keep) socket.destroy();
  }
}
