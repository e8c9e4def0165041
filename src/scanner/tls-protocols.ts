// The protocol versions the scanner probes and their wire numbers.
export type TlsProtocol = 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_PROTOCOLS: readonly TlsProtocol[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
export const PROTOCOL_VERSION: Record<TlsProtocol, number> = {
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};
export function protocolName(version: number): TlsProtocol | undefined {
  return TLS_PROTOCOLS.find((p) => PROTOCOL_VERSION[p] === version);
}
