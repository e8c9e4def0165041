// Certificates made with the openssl CLI in the test, served by Node TLS servers on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFactory, startTlsServer, type CertificateFiles } from '../../test/support/local-test-servers.ts';
import { inspectCertificate } from './certificate-inspection.ts';
import { scanTarget } from './scan-target.ts';

const certs = new CertificateFactory();
let ca: CertificateFiles;
beforeAll(() => { ca = certs.make({ cn: 'Mamori Test CA', isCa: true, days: 30 }); });
afterAll(() => certs.cleanup());

async function scanWith(cert: CertificateFiles, host = '127.0.0.1', extra: Record<string, unknown> = {}) {
  const server = await startTlsServer({ key: cert.key, cert: cert.cert, ...extra });
  try {
    return await scanTarget(`https://${host}:${server.port}/`, { plainHttpPort: 9, trustedCa: [ca.cert] });
  } finally { await server.close(); }
}
const ids = (r: Awaited<ReturnType<typeof scanWith>>) => r.findings.map((f) => f.id);

describe('certificate checks', () => {
  it('accepts a CA-signed, matching, long-lived certificate', async () => {
    const r = await scanWith(certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca }));
    expect(r.tls.certificate).toMatchObject({ trusted: true, selfSigned: false, hostnameMatches: true, keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', expired: false });
    expect(r.tls.certificate!.daysLeft).toBeGreaterThanOrEqual(88);
    expect(r.tls.certificate!.chain[0]!.fingerprint256).toMatch(/^[0-9A-F:]+$/);
    expect(ids(r).filter((id) => id.startsWith('cert-'))).toEqual([]);
  });

  it('reports an expired certificate with the days since', async () => {
    // openssl x509 only back-dates self-signed certificates (`-days -1` at most).
    const r = await scanWith(certs.make({ cn: 'localhost', san: 'IP:127.0.0.1', days: -1 }));
    expect(r.tls.certificate).toMatchObject({ expired: true, trusted: false });
    expect(r.tls.certificate!.daysLeft).toBeLessThan(0);
    expect(ids(r)).toContain('cert-expired');
  });

  it('reports a host name mismatch', async () => {
    const r = await scanWith(certs.make({ cn: 'shop.example.jp', san: 'DNS:shop.example.jp', ca }), 'localhost');
    expect(r.tls.certificate).toMatchObject({ hostname: 'localhost', hostnameMatches: false });
    expect(ids(r)).toContain('cert-hostname-mismatch');
  });

  it('reports a self-signed certificate', async () => {
    const r = await scanWith(certs.make({ cn: 'localhost', san: 'IP:127.0.0.1' }));
    expect(r.tls.certificate).toMatchObject({ selfSigned: true, trusted: false });
    expect(ids(r)).toContain('cert-self-signed');
    expect(r.verdict).toBe('fail');
  });

  it('reports a certificate signed by an unknown CA as untrusted', async () => {
    const otherCa = certs.make({ cn: 'Unknown CA', isCa: true });
    const server = await startTlsServer({ ...((c) => ({ key: c.key, cert: c.cert }))(certs.make({ cn: 'localhost', san: 'IP:127.0.0.1', ca: otherCa })) });
    try {
      const r = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(r.tls.certificate).toMatchObject({ selfSigned: false, trusted: false });
      expect(ids(r)).toContain('cert-untrusted');
    } finally { await server.close(); }
  });

  it('reports a 1024-bit RSA key (Node serves it only at security level 0)', async () => {
    const r = await scanWith(certs.make({ cn: 'localhost', san: 'IP:127.0.0.1', ca, rsaBits: 1024 }), '127.0.0.1', { ciphers: 'DEFAULT:@SECLEVEL=0' });
    expect(r.tls.certificate).toMatchObject({ keyType: 'rsa', keyBits: 1024 });
    expect(r.findings.find((f) => f.id === 'cert-weak-key')?.evidence).toMatch(/1024 bits/);
  });

  it('returns null instead of throwing on certificate bytes that are not DER', () => {
    expect(inspectCertificate([Buffer.from('not a certificate')], 'localhost', null, null, 'raw-handshake')).toBeNull();
  });
});
