// The key-exchange group a server used for one suite: the DH prime's size from a TLS ≤ 1.2
// ServerKeyExchange (RFC 5246 §7.4.3), the named curve from an ECDHE one (RFC 8422 §5.4), or the
// group of a TLS 1.3 key_share (RFC 8446 §4.2.8). Logjam (CVE-2015-4000) beyond EXPORT suites is a
// small DH prime; this is what shows it per suite.
import type { CipherSuite } from './cipher-suites.ts';

export interface KeyExchangeGroup {
  kind: 'dh' | 'ecdh';
  /** e.g. "DH 1024", "secp256r1", "x25519", "ffdhe2048". */
  name: string;
  /** Prime or curve size in bits. */
  bits: number;
}

// TLS NamedGroup registry (IANA), with the field size of each curve.
const NAMED_GROUPS: Record<number, [string, number]> = {
  1: ['sect163k1', 163], 2: ['sect163r1', 163], 3: ['sect163r2', 163], 4: ['sect193r1', 193], 5: ['sect193r2', 193],
  6: ['sect233k1', 233], 7: ['sect233r1', 233], 8: ['sect239k1', 239], 9: ['sect283k1', 283], 10: ['sect283r1', 283],
  11: ['sect409k1', 409], 12: ['sect409r1', 409], 13: ['sect571k1', 571], 14: ['sect571r1', 571],
  15: ['secp160k1', 160], 16: ['secp160r1', 160], 17: ['secp160r2', 160], 18: ['secp192k1', 192], 19: ['secp192r1', 192],
  20: ['secp224k1', 224], 21: ['secp224r1', 224], 22: ['secp256k1', 256], 23: ['secp256r1', 256], 24: ['secp384r1', 384],
  25: ['secp521r1', 521], 26: ['brainpoolP256r1', 256], 27: ['brainpoolP384r1', 384], 28: ['brainpoolP512r1', 512],
  29: ['x25519', 253], 30: ['x448', 448],
  0x100: ['ffdhe2048', 2048], 0x101: ['ffdhe3072', 3072], 0x102: ['ffdhe4096', 4096], 0x103: ['ffdhe6144', 6144], 0x104: ['ffdhe8192', 8192],
};

export function namedGroup(id: number): KeyExchangeGroup {
  const known = NAMED_GROUPS[id];
  if (!known) return { kind: 'ecdh', name: `group 0x${id.toString(16).padStart(4, '0')}`, bits: 0 };
  return { kind: id >= 0x100 && id <= 0x1ff ? 'dh' : 'ecdh', name: known[0], bits: known[1] };
}

function bitLength(n: Buffer): number {
  let at = 0;
  while (at < n.length && n[at] === 0) at++;
  if (at === n.length) return 0;
  return (n.length - at - 1) * 8 + (32 - Math.clz32(n[at]!));
}

/** Whether the suite's key exchange is ephemeral (EC)DH, i.e. has a ServerKeyExchange with a group. */
export function usesEphemeralGroup(suite: CipherSuite): 'dh' | 'ecdh' | null {
  if (suite.tls13) return 'ecdh';
  if (/^(DHE|DH_anon)/.test(suite.keyExchange)) return 'dh';
  if (/^(ECDHE|ECDH_anon)/.test(suite.keyExchange)) return 'ecdh';
  return null;
}

/** Reads the group from a ServerKeyExchange body; undefined when it is not (EC)DH or is truncated. */
export function parseServerKeyExchangeGroup(kind: 'dh' | 'ecdh', body: Buffer): KeyExchangeGroup | undefined {
  try {
    if (kind === 'dh') {
      const pLength = body.readUInt16BE(0);
      if (2 + pLength > body.length) return undefined;
      const bits = bitLength(body.subarray(2, 2 + pLength));
      return { kind: 'dh', name: `DH ${bits}`, bits };
    }
    if (body[0] !== 3) return { kind: 'ecdh', name: body[0] === 1 ? 'explicit prime curve' : body[0] === 2 ? 'explicit char2 curve' : 'unknown curve type', bits: 0 };
    return namedGroup(body.readUInt16BE(1));
  } catch {
    return undefined;
  }
}
