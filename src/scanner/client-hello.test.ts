import { describe, expect, it } from 'vitest';
import { buildClientHello, CONTENT_TYPE, EXTENSION, HANDSHAKE_TYPE } from './client-hello.ts';
import { CIPHER_SUITES, cipherSuite, suitesForProtocol } from './cipher-suites.ts';
import { HandshakeAssembler } from './tls-record-reader.ts';
import { parseServerHello } from './server-hello.ts';
import { buildSslv2ClientHello } from './sslv2-probe.ts';

function extensionTypes(hello: Buffer): number[] {
  const body = hello.subarray(5 + 4);
  let at = 2 + 32;
  at += 1 + body[at]!;
  at += 2 + body.readUInt16BE(at);
  at += 1 + body[at]!;
  if (at >= body.length) return [];
  const end = at + 2 + body.readUInt16BE(at);
  const types: number[] = [];
  for (at += 2; at < end; at += 4 + body.readUInt16BE(at + 2)) types.push(body.readUInt16BE(at));
  return types;
}

describe('ClientHello builder', () => {
  it('builds a well-formed TLS 1.2 hello with the requested extensions', () => {
    const hello = buildClientHello({ protocol: 'TLSv1.2', cipherSuites: [0xc02f, 0x009c], host: 'shop.example.jp', heartbeat: true, statusRequest: true });
    expect(hello[0]).toBe(CONTENT_TYPE.handshake);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    const [message] = new HandshakeAssembler().push(hello.subarray(5));
    expect(message!.type).toBe(HANDSHAKE_TYPE.clientHello);
    expect(message!.body.readUInt16BE(0)).toBe(0x0303);
    expect(extensionTypes(hello)).toEqual(expect.arrayContaining([EXTENSION.serverName, EXTENSION.heartbeat, EXTENSION.statusRequest, EXTENSION.renegotiationInfo]));
  });

  it('offers TLS 1.3 through supported_versions with an x25519 key share, and no SNI for IP literals', () => {
    const types = extensionTypes(buildClientHello({ protocol: 'TLSv1.3', cipherSuites: [0x1301], host: '127.0.0.1' }));
    expect(types).toEqual(expect.arrayContaining([EXTENSION.supportedVersions, EXTENSION.keyShare]));
    expect(types).not.toContain(EXTENSION.serverName);
  });

  it('pads hellos out of the 256–511 byte range that some load balancers choke on', () => {
    for (const protocol of ['TLSv1.0', 'TLSv1.2', 'TLSv1.3'] as const) {
      for (const count of [1, 60, 130, 200]) {
        const length = buildClientHello({ protocol, cipherSuites: suitesForProtocol('TLSv1.2').slice(0, count), host: 'shop.example.jp' }).length - 5;
        expect(length < 256 || length >= 512, `${protocol} with ${count} suites: ${length} bytes`).toBe(true);
      }
    }
  });

  it('sends SSLv3 hellos without extensions, signalling renegotiation with the SCSV', () => {
    const hello = buildClientHello({ protocol: 'SSLv3', cipherSuites: [0x000a] });
    expect(hello.readUInt16BE(1)).toBe(0x0300);
    expect(extensionTypes(hello)).toEqual([]);
    expect(hello.includes(Buffer.from([0x00, 0xff]))).toBe(true);
  });

  it('frames an SSLv2 CLIENT-HELLO with the two-byte header', () => {
    const hello = buildSslv2ClientHello();
    expect(hello[0]! & 0x80).toBe(0x80);
    expect(((hello[0]! & 0x7f) << 8) | hello[1]!).toBe(hello.length - 2);
    expect(hello[2]).toBe(1);
  });
});

describe('ServerHello parser', () => {
  it('reads the negotiated version from supported_versions and flags HelloRetryRequest', () => {
    const hrrRandom = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167bbb8c5e079e09e2c8a8339c', 'hex');
    const ext = Buffer.from([0, 43, 0, 2, 3, 4]);
    const body = Buffer.concat([Buffer.from([3, 3]), hrrRandom, Buffer.from([0, 0x13, 0x01, 0, 0, ext.length]), ext]);
    const parsed = parseServerHello(body)!;
    expect(parsed.version).toBe(0x0304);
    expect(parsed.cipherSuite).toBe(0x1301);
    expect(parsed.helloRetryRequest).toBe(true);
  });

  it('returns undefined for a truncated body instead of throwing', () => {
    expect(parseServerHello(Buffer.from([3, 3, 1, 2]))).toBeUndefined();
  });
});

describe('cipher suite table', () => {
  it('derives strength flags from the IANA names', () => {
    expect(cipherSuite(0x000a).flags).toContain('3des');
    expect(cipherSuite(0x0005).strength).toBe('insecure');
    expect(cipherSuite(0x0003).flags).toEqual(expect.arrayContaining(['export', 'rc4']));
    expect(cipherSuite(0x0034).flags).toContain('anonymous');
    expect(cipherSuite(0xc02f)).toMatchObject({ strength: 'strong', forwardSecrecy: true, bits: 128 });
    expect(cipherSuite(0x009c)).toMatchObject({ strength: 'weak', forwardSecrecy: false });
    expect(cipherSuite(0x1302)).toMatchObject({ tls13: true, forwardSecrecy: true, bits: 256 });
  });

  it('offers only TLS 1.3 suites in TLS 1.3 hellos and no TLS 1.2-only suites below 1.2', () => {
    expect(suitesForProtocol('TLSv1.3').every((id) => id >> 8 === 0x13)).toBe(true);
    expect(suitesForProtocol('TLSv1.0').some((id) => CIPHER_SUITES.get(id)!.tls12Only)).toBe(false);
    expect(suitesForProtocol('TLSv1.2').length).toBeGreaterThan(100);
  });
});
