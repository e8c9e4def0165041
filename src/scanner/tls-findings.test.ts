// Findings that need a server Debian's OpenSSL can no longer be: SSLv2, SSLv3, RC4/DES/3DES/EXPORT/
// NULL/anonymous suites, TLS compression, no secure renegotiation. The fake TLS server plays them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFactory, startFakeTlsServer, type CertificateFiles, type FakeTlsOptions } from '../../test/support/local-test-servers.ts';
import { scanTarget } from './scan-target.ts';

const certs = new CertificateFactory();
let cert: CertificateFiles;
beforeAll(() => { cert = certs.make({ cn: 'localhost', san: 'IP:127.0.0.1' }); });
afterAll(() => certs.cleanup());

async function scanFake(options: FakeTlsOptions) {
  const server = await startFakeTlsServer(cert, options);
  try {
    return await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 1000 } });
  } finally { await server.close(); }
}

describe('legacy TLS findings', () => {
  it('finds SSLv3 and TLS 1.0 with RC4, DES, 3DES, EXPORT, NULL and anonymous suites, in server order', async () => {
    const suites = [0x0005, 0x000a, 0x0009, 0x0003, 0x0002, 0x0034, 0xc013];
    const r = await scanFake({ versions: [0x0300, 0x0301], suites });
    expect(r.tls.protocols).toEqual({ SSLv3: true, 'TLSv1.0': true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false });
    for (const protocol of ['SSLv3', 'TLSv1.0'] as const) {
      expect(r.tls.ciphers[protocol]!.accepted.map((c) => Number(c.id))).toEqual(suites);
      expect(r.tls.ciphers[protocol]!.serverPreference).toBe(true);
    }
    const ids = r.findings.map((f) => f.id);
    for (const id of ['tls-sslv3', 'tls-tls10', 'tls-no-modern-protocol', 'tls-cipher-rc4', 'tls-cipher-des', 'tls-cipher-export', 'tls-cipher-null', 'tls-cipher-anonymous', 'tls-cipher-cbc-tls10', 'tls-no-forward-secrecy']) {
      expect(ids, id).toContain(id);
    }
    expect(r.findings.find((f) => f.id === 'tls-sslv3')).toMatchObject({ autoFail: true, cve: ['CVE-2014-3566'] });
    expect(r.tls.certificate?.source).toBe('raw-handshake'); // Node's TLS refuses this server; the raw handshake still shows the certificate
    expect(r.verdict).toBe('fail');
  });

  it('finds TLS compression (CRIME) and missing secure renegotiation', async () => {
    const r = await scanFake({ compression: true, secureRenegotiation: false });
    expect(r.tls).toMatchObject({ compression: true, secureRenegotiation: false });
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['tls-compression', 'tls-insecure-renegotiation']));
  });

  it('finds SSLv2', async () => {
    const r = await scanFake({ sslv2: true });
    expect(r.tls.sslv2).toBe(true);
    expect(r.findings.find((f) => f.id === 'tls-sslv2')).toMatchObject({ severity: 'critical', autoFail: true });
  });

  it('reports a port that does not speak TLS as an error, not as a pass', async () => {
    const net = await import('node:net');
    const server = net.createServer((s) => { s.on('error', () => {}); s.end('HTTP/1.1 400 Bad Request\r\n\r\n'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as import('node:net').AddressInfo).port;
      const r = await scanTarget(`https://127.0.0.1:${port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 1000 } });
      expect(r.error?.code).toBe('NOT_TLS');
      expect(r.verdict).toBe('fail');
    } finally { server.close(); }
  });
});
