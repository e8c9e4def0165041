// Which protocol versions the server accepts: one hello per version, each offering only that version.
import { suitesForProtocol } from './cipher-suites.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { probeSslv2, type Sslv2Outcome } from './sslv2-probe.ts';
import { probeHandshake, type TlsEndpoint } from './tls-handshake-probe.ts';
import { PROTOCOL_VERSION, TLS_PROTOCOLS, type TlsProtocol } from './tls-protocols.ts';

export type ProbedProtocol = TlsProtocol | 'SSLv2';

export interface ProtocolSupport {
  protocols: Record<ProbedProtocol, boolean>;
  /** What each probe saw, for the evidence of findings. */
  evidence: Record<ProbedProtocol, string>;
  /** False when not one probe could even connect. */
  reachable: boolean;
  /** False when the port answered but never like a TLS server. */
  speaksTls: boolean;
  sslv2: Sslv2Outcome;
}

export async function probeProtocolSupport(endpoint: TlsEndpoint, budget: ConnectionBudget): Promise<ProtocolSupport> {
  const tls = Promise.all(TLS_PROTOCOLS.map(async (protocol) => {
    const r = await probeHandshake(endpoint, { protocol, cipherSuites: suitesForProtocol(protocol) }, budget, { until: 'server-hello' });
    if (!r.ok) return { protocol, accepted: false, evidence: `${protocol} ClientHello → ${r.error}: ${r.detail}`, connected: r.error !== 'CONNECT_FAILED' && r.error !== 'BUDGET_EXHAUSTED', tls: r.error === 'ALERT' };
    const accepted = r.serverHello.version === PROTOCOL_VERSION[protocol];
    const evidence = accepted
      ? `${protocol} ClientHello → ServerHello version 0x${r.serverHello.version.toString(16)}`
      : `${protocol} ClientHello → server answered with version 0x${r.serverHello.version.toString(16)} instead`;
    return { protocol, accepted, evidence, connected: true, tls: true };
  }));
  const [results, sslv2] = await Promise.all([tls, probeSslv2(endpoint, budget)]);
  const protocols = { SSLv2: sslv2.accepted } as Record<ProbedProtocol, boolean>;
  const evidence = { SSLv2: `SSLv2 CLIENT-HELLO → ${sslv2.detail}` } as Record<ProbedProtocol, string>;
  for (const r of results) { protocols[r.protocol] = r.accepted; evidence[r.protocol] = r.evidence; }
  return {
    protocols,
    evidence,
    reachable: sslv2.reachable || results.some((r) => r.connected),
    speaksTls: sslv2.accepted || results.some((r) => r.tls),
    sslv2,
  };
}
