// SSL 2.0 uses its own record format (no TLS record header), so it gets its own tiny probe:
// one CLIENT-HELLO with the seven SSLv2 cipher kinds, and a look at whether a SERVER-HELLO comes back.
import { randomBytes } from 'node:crypto';
import type { ConnectionBudget } from './connection-budget.ts';
import type { TlsEndpoint } from './tls-handshake-probe.ts';
import { TlsRecordReader } from './tls-record-reader.ts';

const SSLV2_CIPHER_KINDS = [0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0];

export function buildSslv2ClientHello(): Buffer {
  const specs = Buffer.alloc(SSLV2_CIPHER_KINDS.length * 3);
  SSLV2_CIPHER_KINDS.forEach((k, i) => specs.writeUIntBE(k, i * 3, 3));
  const challenge = randomBytes(16);
  const head = Buffer.from([1, 0x00, 0x02, specs.length >> 8, specs.length & 0xff, 0, 0, 0, challenge.length]);
  const message = Buffer.concat([head, specs, challenge]);
  return Buffer.concat([Buffer.from([0x80 | (message.length >> 8), message.length & 0xff]), message]);
}

export type Sslv2Outcome = { accepted: boolean; detail: string; reachable: boolean };

export async function probeSslv2(endpoint: TlsEndpoint, budget: ConnectionBudget): Promise<Sslv2Outcome> {
  const opened = await budget.open(endpoint.host, endpoint.port);
  if (!opened.ok) return { accepted: false, detail: opened.detail, reachable: false };
  const reader = new TlsRecordReader(opened.socket);
  try {
    opened.socket.write(buildSslv2ClientHello());
    const state = await reader.waitFor(11, budget.readDeadline());
    const reply = reader.pending;
    if (state !== 'ready') return { accepted: false, detail: `no SSLv2 SERVER-HELLO (${state})`, reachable: true };
    // [2-byte header, high bit set][4 = SERVER-HELLO][session-id-hit][cert type][version 0x0002][cert len][cipher specs len]
    const accepted = (reply[0]! & 0x80) !== 0 && reply[2] === 4 && reply.readUInt16BE(5) === 0x0002 && reply.readUInt16BE(9) > 0;
    return { accepted, detail: accepted ? 'server answered with an SSLv2 SERVER-HELLO' : 'server did not answer in SSLv2', reachable: true };
  } finally {
    opened.socket.destroy();
  }
}
