// Lists the suites a server accepts for one protocol the way established scanners do: offer
// everything, note the pick, remove it, repeat until the server refuses. The pick order is the
// server's preference when it enforces one, which a final reversed-order hello tells.
import { cipherSuite, suitesForProtocol, type CipherSuite } from './cipher-suites.ts';
import { EXTENSION } from './client-hello.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { namedGroup, parseServerKeyExchangeGroup, usesEphemeralGroup, type KeyExchangeGroup } from './key-exchange-group.ts';
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
  /** The (EC)DH group the server used with each accepted ephemeral suite, by suite id (read in the same handshakes). */
  groups: Map<number, KeyExchangeGroup>;
}

export async function enumerateCiphers(endpoint: TlsEndpoint, protocol: TlsProtocol, budget: ConnectionBudget): Promise<ProtocolCiphers> {
  let remaining = suitesForProtocol(protocol);
  const accepted: CipherSuite[] = [];
  let truncated = false;
  const groups = new Map<number, KeyExchangeGroup>();
  // Reading on to the ServerKeyExchange costs no connection: it is in the same flight as the ServerHello.
  const keyExchange = (id: number) => usesEphemeralGroup(cipherSuite(id)) !== null;
  const pick = async (suites: number[]): Promise<number | undefined> => {
    const r = await probeHandshake(endpoint, { protocol, cipherSuites: suites }, budget, { until: 'server-hello', keyExchange });
    if (!r.ok) { if (r.error === 'BUDGET_EXHAUSTED') truncated = true; return undefined; }
    if (r.serverHello.version !== PROTOCOL_VERSION[protocol] || !suites.includes(r.serverHello.cipherSuite)) return undefined;
    const id = r.serverHello.cipherSuite;
    const kind = usesEphemeralGroup(cipherSuite(id));
    const share = r.serverHello.extensions.get(EXTENSION.keyShare);
    if (protocol === 'TLSv1.3' && share && share.length >= 2) groups.set(id, namedGroup(share.readUInt16BE(0)));
    else if (kind && r.serverKeyExchange) { const g = parseServerKeyExchangeGroup(kind, r.serverKeyExchange); if (g) groups.set(id, g); }
    return id;
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
  return { protocol, accepted, serverPreference, truncated, groups };
}
