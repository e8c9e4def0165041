// The cipher suites the scanner offers, by IANA code point. Properties are derived from the
// IANA name itself (it spells out key exchange, cipher and MAC), so the table is just ids and names.
// Source of the modern part: `openssl ciphers -V -stdname` (PSK/SRP left out: a server never picks
// them without a pre-shared key); the legacy part (RC4, DES, 3DES, EXPORT, static ECDH) was added by
// hand because current OpenSSL no longer lists them, yet old servers still accept them.

import type { TlsProtocol } from './tls-protocols.ts';

export type CipherStrength = 'insecure' | 'weak' | 'strong';

export interface CipherSuite {
  id: number;
  name: string;
  /** Only negotiable with TLS 1.3 (0x13xx). */
  tls13: boolean;
  /** Needs TLS 1.2 (AEAD or SHA-256/384 MAC): never offered in SSLv3–TLS 1.1 hellos. */
  tls12Only: boolean;
  keyExchange: string;
  bits: number;
  forwardSecrecy: boolean;
  /** null, export, anonymous, rc4, des, 3des, cbc. */
  flags: string[];
  strength: CipherStrength;
}

const CODE_POINTS: Array<[number, string]> = [
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0xC02C, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xC030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00A3, 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384'],
  [0x009F, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xCCA9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xCCA8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xCCAA, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xC0AF, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  [0xC0AD, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  [0xC0A3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8'],
  [0xC09F, 'TLS_DHE_RSA_WITH_AES_256_CCM'],
  [0xC05D, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  [0xC061, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xC057, 'TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384'],
  [0xC053, 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0x00A7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384'],
  [0xC02B, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xC02F, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x00A2, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'],
  [0x009E, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xC0AE, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  [0xC0AC, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  [0xC0A2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8'],
  [0xC09E, 'TLS_DHE_RSA_WITH_AES_128_CCM'],
  [0xC05C, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  [0xC060, 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xC056, 'TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256'],
  [0xC052, 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0x00A6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256'],
  [0xC024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xC028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0x006B, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006A, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256'],
  [0xC073, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xC077, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0x00C4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00C3, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x006D, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  [0x00C5, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256'],
  [0xC023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xC027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0040, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  [0xC072, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xC076, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00BE, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00BD, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x006C, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  [0x00BF, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xC00A, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xC014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0xC019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  [0x003A, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA'],
  [0xC009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xC013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0xC018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA'],
  [0x009D, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0xC0A1, 'TLS_RSA_WITH_AES_256_CCM_8'],
  [0xC09D, 'TLS_RSA_WITH_AES_256_CCM'],
  [0xC051, 'TLS_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0x009C, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0xC0A0, 'TLS_RSA_WITH_AES_128_CCM_8'],
  [0xC09C, 'TLS_RSA_WITH_AES_128_CCM'],
  [0xC050, 'TLS_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0x003D, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x00C0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x003C, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x00BA, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x002F, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0xC006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  [0xC010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xC015, 'TLS_ECDH_anon_WITH_NULL_SHA'],
  [0x003B, 'TLS_RSA_WITH_NULL_SHA256'],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA'],
  [0x0001, 'TLS_RSA_WITH_NULL_MD5'],
  // Legacy suites (see the comment at the top).
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA'],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x000d, 'TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0010, 'TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0017, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5'],
  [0x0019, 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  [0x001a, 'TLS_DH_anon_WITH_DES_CBC_SHA'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0x0030, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA'],
  [0x0031, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA'],
  [0x0036, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA'],
  [0x0037, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc001, 'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00b, 'TLS_ECDH_RSA_WITH_NULL_SHA'],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA'],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
];

function cipherBits(name: string): number {
  if (/_(RC4|DES|RC2_CBC)_40|DES40/.test(name)) return 40;
  if (/_3DES_/.test(name)) return 112;
  if (/_DES_CBC_/.test(name)) return 56;
  if (/_NULL_/.test(name)) return 0;
  if (/CHACHA20/.test(name)) return 256;
  const m = /_(?:AES|CAMELLIA|ARIA|RC4)_(\d+)/.exec(name);
  if (m) return Number(m[1]);
  if (/SEED|IDEA/.test(name)) return 128;
  return 0;
}

export function describeCipherSuite(id: number, name: string): CipherSuite {
  const tls13 = id >> 8 === 0x13;
  const keyExchange = tls13 ? 'ECDHE/DHE' : (name.slice(4).split('_WITH_')[0] ?? 'unknown');
  const flags: string[] = [];
  if (/_WITH_NULL_|_NULL_SHA|_NULL_MD5/.test(name)) flags.push('null');
  if (name.includes('EXPORT')) flags.push('export');
  if (name.includes('_anon_')) flags.push('anonymous');
  if (name.includes('_RC4_')) flags.push('rc4');
  if (/_DES_CBC_|DES40/.test(name)) flags.push('des');
  if (name.includes('_3DES_')) flags.push('3des');
  if (name.includes('_CBC_')) flags.push('cbc');
  const forwardSecrecy = tls13 || /^(ECDHE|DHE)_/.test(keyExchange);
  const insecure = flags.some((f) => ['null', 'export', 'anonymous', 'rc4', 'des'].includes(f));
  const weak = flags.includes('3des') || !forwardSecrecy;
  return {
    id,
    name,
    tls13,
    tls12Only: !tls13 && /_GCM_|_CCM|CHACHA20|_SHA256$|_SHA384$/.test(name),
    keyExchange,
    bits: cipherBits(name),
    forwardSecrecy,
    flags,
    strength: insecure ? 'insecure' : weak ? 'weak' : 'strong',
  };
}

export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  CODE_POINTS.map(([id, name]) => [id, describeCipherSuite(id, name)]),
);

export function cipherSuiteName(id: number): string {
  return CIPHER_SUITES.get(id)?.name ?? `0x${id.toString(16).padStart(4, '0')}`;
}

export function cipherSuite(id: number): CipherSuite {
  return CIPHER_SUITES.get(id) ?? describeCipherSuite(id, cipherSuiteName(id));
}

/** The suites worth offering for one protocol version (TLS 1.3 suites only in TLS 1.3 hellos). */
export function suitesForProtocol(protocol: TlsProtocol): number[] {
  const all = [...CIPHER_SUITES.values()];
  if (protocol === 'TLSv1.3') return all.filter((s) => s.tls13).map((s) => s.id);
  if (protocol === 'TLSv1.2') return all.filter((s) => !s.tls13).map((s) => s.id);
  return all.filter((s) => !s.tls13 && !s.tls12Only).map((s) => s.id);
}
