// CVE-2014-0160, probed the way nmap's ssl-heartbleed and testssl do: a handshake offering the
// heartbeat extension, then — before the handshake finishes, so no keys are needed — a heartbeat
// request that claims 16384 payload bytes but carries none. Vulnerable OpenSSL (1.0.1–1.0.1f) copies
// 16 KiB of its memory into the reply; a fixed one drops the request (RFC 6520 §4). A second, honest
// request follows so a fixed server answers quickly with a short reply instead of leaving us to time out.
import { randomBytes } from 'node:crypto';
import { CONTENT_TYPE, EXTENSION, tlsRecord } from './client-hello.ts';
import { suitesForProtocol } from './cipher-suites.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { probeHandshake, type TlsEndpoint } from './tls-handshake-probe.ts';
import { PROTOCOL_VERSION, type TlsProtocol } from './tls-protocols.ts';

export const HEARTBLEED_CLAIMED_LENGTH = 0x4000;
const HONEST_PAYLOAD = 16;
/** A correct reply to the honest request: type + length + payload + 16 bytes of padding. */
const HONEST_REPLY_MAX = 1 + 2 + HONEST_PAYLOAD + 16;

export interface HeartbleedResult {
  vulnerable: boolean;
  /** Whether the server negotiated the heartbeat extension at all. */
  heartbeatExtension: boolean;
  protocol: TlsProtocol | null;
  evidence: string;
  /** Error when the probe could not run (no TLS ≤ 1.2, connect failure); not a verdict. */
  error?: string;
}

export function maliciousHeartbeat(version: number): Buffer {
  return tlsRecord(CONTENT_TYPE.heartbeat, version, Buffer.from([1, HEARTBLEED_CLAIMED_LENGTH >> 8, HEARTBLEED_CLAIMED_LENGTH & 0xff]));
}

export function honestHeartbeat(version: number): Buffer {
  const payload = randomBytes(HONEST_PAYLOAD);
  return tlsRecord(CONTENT_TYPE.heartbeat, version, Buffer.concat([Buffer.from([1, 0, HONEST_PAYLOAD]), payload, randomBytes(16)]));
}

export async function probeHeartbleed(endpoint: TlsEndpoint, accepted: readonly TlsProtocol[], budget: ConnectionBudget): Promise<HeartbleedResult> {
  // Heartbeat is an extension, so SSLv3 hellos (which carry none) cannot negotiate it.
  const protocol = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).find((p) => accepted.includes(p));
  if (!protocol) return { vulnerable: false, heartbeatExtension: false, protocol: null, evidence: 'no TLS 1.0–1.2 accepted (heartbeat extension cannot be negotiated; TLS 1.3 forbids it)' };
  const hs = await probeHandshake(endpoint, { protocol, cipherSuites: suitesForProtocol(protocol), heartbeat: true }, budget, { until: 'server-hello-done', keepOpen: true });
  if (!hs.ok) return { vulnerable: false, heartbeatExtension: false, protocol, evidence: `handshake failed: ${hs.detail}`, error: hs.error };
  const { socket, reader } = hs.connection!;
  try {
    if (!hs.serverHello.extensions.has(EXTENSION.heartbeat)) {
      return { vulnerable: false, heartbeatExtension: false, protocol, evidence: `${protocol} ClientHello offering heartbeat → ServerHello without the heartbeat extension` };
    }
    const version = PROTOCOL_VERSION[protocol];
    socket.write(Buffer.concat([maliciousHeartbeat(version), honestHeartbeat(version)]));
    const deadline = budget.readDeadline();
    let received = 0;
    for (;;) {
      const record = await reader.next(deadline);
      const sent = `${protocol} heartbeat request claiming ${HEARTBLEED_CLAIMED_LENGTH} bytes with a 0-byte payload, then an honest ${HONEST_PAYLOAD}-byte request`;
      if (typeof record === 'string') {
        return { vulnerable: false, heartbeatExtension: true, protocol, evidence: `${sent} → no over-long reply (${record})` };
      }
      if (record.type === CONTENT_TYPE.alert) {
        return { vulnerable: false, heartbeatExtension: true, protocol, evidence: `${sent} → alert ${record.payload[1] ?? '?'}` };
      }
      if (record.type !== CONTENT_TYPE.heartbeat) continue;
      received += record.payload.length;
      // The leaked bytes are deliberately not copied into the evidence: they may hold keys or customer data.
      if (received > HONEST_REPLY_MAX) {
        return { vulnerable: true, heartbeatExtension: true, protocol, evidence: `${sent} → server returned ${received} heartbeat bytes (more than were sent): memory disclosure` };
      }
      return { vulnerable: false, heartbeatExtension: true, protocol, evidence: `${sent} → only the honest request was answered (${received} bytes)` };
    }
  } finally {
    socket.destroy();
  }
}
