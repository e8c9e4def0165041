// Protocol, cipher and feature probes against Node TLS servers and Debian's openssl s_server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumerateCiphers } from './cipher-enumeration.ts';
import { ConnectionBudget, DEFAULT_BOUNDS } from './connection-budget.ts';
import { CertificateFactory, opensslAvailable, startOpensslServer, startTlsServer, type CertificateFiles } from '../../test/support/local-test-servers.ts';
import { probeProtocolSupport } from './protocol-support.ts';
import { scanTarget } from './scan-target.ts';
import { probeTlsFeatures } from './tls-features-probe.ts';

const certs = new CertificateFactory();
let cert: CertificateFiles;
beforeAll(() => { cert = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' }); });
afterAll(() => certs.cleanup());

const budget = () => new ConnectionBudget({ ...DEFAULT_BOUNDS, timeoutMs: 3000 });
const at = (port: number) => ({ host: '127.0.0.1', port });

describe('protocol support against Node TLS servers', () => {
  it('sees exactly TLS 1.2 and 1.3 on a default server', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert });
    try {
      const s = await probeProtocolSupport(at(server.port), budget());
      expect(s.protocols).toEqual({ SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    } finally { await server.close(); }
  });

  it('sees TLS 1.0 and 1.1 when the server allows them, and the verdict fails automatically', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    try {
      const result = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(result.tls.protocols).toEqual({ SSLv3: false, 'TLSv1.0': true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true });
      const tls10 = result.findings.find((f) => f.id === 'tls-tls10')!;
      expect(tls10.autoFail).toBe(true);
      expect(result.verdict).toBe('fail');
    } finally { await server.close(); }
  });

  it('sees TLS 1.3 only, and skips what TLS 1.3 does not have', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert, minVersion: 'TLSv1.3' });
    try {
      const result = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(result.tls.protocols).toEqual({ SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': true });
      expect(result.tls.ciphers['TLSv1.3']!.accepted.map((c) => c.name)).toContain('TLS_AES_128_GCM_SHA256');
      expect(result.tls.heartbleed!.vulnerable).toBe(false);
      expect(result.tls.compression).toBeNull();
    } finally { await server.close(); }
  });
});

describe('cipher enumeration', () => {
  it('lists exactly the configured suites, in server order when the server enforces one', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256', honorCipherOrder: true });
    try {
      const c = await enumerateCiphers(at(server.port), 'TLSv1.2', budget());
      expect(c.accepted.map((s) => s.name)).toEqual(['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
      expect(c.serverPreference).toBe(true);
      expect(c.accepted[0]).toMatchObject({ forwardSecrecy: false, strength: 'weak' });
    } finally { await server.close(); }
  });

  it('tells client preference apart', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384', honorCipherOrder: false });
    try {
      const c = await enumerateCiphers(at(server.port), 'TLSv1.2', budget());
      expect(c.accepted).toHaveLength(2);
      expect(c.serverPreference).toBe(false);
    } finally { await server.close(); }
  });

  it('reports secure renegotiation and no compression on a modern server', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert });
    try {
      const f = await probeTlsFeatures(at(server.port), ['TLSv1.2', 'TLSv1.3'], budget());
      expect(f).toMatchObject({ protocol: 'TLSv1.2', secureRenegotiation: true, compression: false, ocspStapled: false });
      expect(f.certificates).toHaveLength(1);
    } finally { await server.close(); }
  });

  it('sees a stapled OCSP response, through Node TLS and in the raw TLS 1.2 handshake', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert });
    // Any bytes will do: the scanner reports whether a response is stapled, not what it says.
    server.onOcspRequest?.((_cert, _issuer, reply) => reply(null, Buffer.from('stapled-ocsp-response')));
    try {
      const f = await probeTlsFeatures(at(server.port), ['TLSv1.2'], budget());
      expect(f.ocspStapled).toBe(true);
      const r = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(r.tls.ocspStapling).toBe(true);
      expect(r.findings.some((x) => x.id === 'tls-no-ocsp-stapling')).toBe(false);
    } finally { await server.close(); }
  });

  it('respects the connection cap', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert });
    try {
      const capped = new ConnectionBudget({ ...DEFAULT_BOUNDS, maxConnections: 3 });
      const c = await enumerateCiphers(at(server.port), 'TLSv1.2', capped);
      expect(capped.used).toBe(3);
      expect(c.accepted).toHaveLength(3);
      expect(c.truncated).toBe(true);
    } finally { await server.close(); }
  });
});

describe.skipIf(!opensslAvailable())("Debian's openssl s_server", () => {
  it('finds TLS 1.0 only on `s_server -tls1 -cipher ALL:@SECLEVEL=0`, with its weak suites', async () => {
    const server = await startOpensslServer(cert, ['-tls1', '-cipher', 'ALL:@SECLEVEL=0']);
    try {
      const result = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(result.tls.protocols).toEqual({ SSLv3: false, 'TLSv1.0': true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false });
      expect(result.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['tls-tls10', 'tls-no-modern-protocol', 'tls-cipher-cbc-tls10']));
      expect(result.tls.certificate?.subject).toContain('localhost');
      expect(result.tls.heartbleed?.vulnerable).toBe(false);
      expect(result.verdict).toBe('fail');
    } finally { await server.close(); }
  });

  it('agrees with a default s_server: TLS 1.2 and 1.3, no heartbeat, secure renegotiation', async () => {
    const server = await startOpensslServer(cert, []);
    try {
      const result = await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9 });
      expect(result.tls.protocols).toMatchObject({ SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
      expect(result.tls.heartbleed).toMatchObject({ vulnerable: false, heartbeatExtension: false });
      expect(result.tls.secureRenegotiation).toBe(true);
      expect(result.http?.reachable).toBe(true); // -www answers GET /
    } finally { await server.close(); }
  });
});
