// Lists the suites a server accepts for one protocol the way established scanners do: offer
// everything, note the pick, remove it, repeat until the server refuses. The pick order is the
// server's preference when it enforces one, which a final reversed-order hello tells.
import { cipherSuite, suitesForProtocol, type CipherSuite } from './cipher-suites.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { probeHandshake, type TlsEndpoint } from './tls-handshake-probe.ts';
import { PROTOCOL_VERSION, type TlsProtocol } from './tls-protocols.ts';

export interface ProtocolCiphers {
  protocol: TlsProtocol;
  /** In the order the server picked them. */
  accepted: CipherSuite[];
  /** null when fewer than two suites are accepted (nothing to prefer). */
  serverPreference: boolean | null;
  /** True when the enumeration hit the scan's connection or time cap. */
  truncated: boolean;
}

export async function enumerateCiphers(endpoint: TlsEndpoint, protocol: TlsProtocol, budget: ConnectionBudget): Promise<ProtocolCiphers> {
  let remaining = suitesForProtocol(protocol);
  const accepted: CipherSuite[] = [];
  let truncated = false;
  const pick = async (suites: number[]): Promise<number | undefined> => {
    const r = await probeHandshake(endpoint, { protocol, cipherSuites: suites }, budget, { until: 'server-hello' });
    if (!r.ok) { if (r.error === 'BUDGET_EXHAUSTED') truncated = true; return undefined; }
    if (r.serverHello.version !== PROTOCOL_VERSION[protocol] || !suites.includes(r.serverHello.cipherSuite)) return undefined;
    return r.serverHello.cipherSuite;
  };
  while (remaining.length > 0) {
    const chosen = await pick(remaining);
    if (chosen === undefined) break;
    accepted.push(cipherSuite(chosen));
    remaining = remaining.filter((id) => id !== chosen);
  }
  let serverPreference: boolean | null = null;
  if (accepted.length >= 2) {
    const reversed = accepted.map((s) => s.id).reverse();
    const chosen = await pick(reversed);
    if (chosen !== undefined) serverPreference = chosen === accepted[0]!.id;
  }
  return { protocol, accepted, serverPreference, truncated };
}
