// Heartbleed both ways, against a fake TLS server that answers heartbeats like OpenSSL 1.0.1f
// (vulnerable) or like a fixed OpenSSL, and against a real server without heartbeat support.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionBudget, DEFAULT_BOUNDS } from './connection-budget.ts';
import { probeHeartbleed } from './heartbleed-probe.ts';
import { CertificateFactory, startFakeHeartbeatServer, startTlsServer, type CertificateFiles } from '../../test/support/local-test-servers.ts';
import { scanTarget } from './scan-target.ts';

const certs = new CertificateFactory();
let cert: CertificateFiles;
beforeAll(() => { cert = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' }); });
afterAll(() => certs.cleanup());
const budget = () => new ConnectionBudget({ ...DEFAULT_BOUNDS, timeoutMs: 3000 });

describe('Heartbleed probe (CVE-2014-0160)', () => {
  it('finds a server that returns more heartbeat bytes than it was sent', async () => {
    const server = await startFakeHeartbeatServer(cert, 'vulnerable');
    try {
      const r = await probeHeartbleed({ host: '127.0.0.1', port: server.port }, ['TLSv1.2'], budget());
      expect(r).toMatchObject({ vulnerable: true, heartbeatExtension: true, protocol: 'TLSv1.2' });
      expect(r.evidence).toMatch(/more than were sent/);
      expect(r.evidence).not.toContain('secret-session-key'); // leaked memory never lands in a report
    } finally { await server.close(); }
  });

  it('passes a server that negotiates heartbeats but drops the over-long request, without waiting for a timeout', async () => {
    const server = await startFakeHeartbeatServer(cert, 'fixed');
    try {
      const started = Date.now();
      const r = await probeHeartbleed({ host: '127.0.0.1', port: server.port }, ['TLSv1.2'], new ConnectionBudget({ ...DEFAULT_BOUNDS, timeoutMs: 20_000 }));
      expect(r).toMatchObject({ vulnerable: false, heartbeatExtension: true });
      expect(r.evidence).toMatch(/only the honest request was answered/);
      expect(Date.now() - started).toBeLessThan(10_000); // the honest request's reply ends the wait, not the 20 s timeout
    } finally { await server.close(); }
  });

  it('neither hangs nor crashes on a server without heartbeat support', async () => {
    const server = await startTlsServer({ key: cert.key, cert: cert.cert });
    try {
      const r = await probeHeartbleed({ host: '127.0.0.1', port: server.port }, ['TLSv1.2', 'TLSv1.3'], budget());
      expect(r).toMatchObject({ vulnerable: false, heartbeatExtension: false });
    } finally { await server.close(); }
  });

  it('is a failing finding carrying CVE-2014-0160 in a full scan, and absent for the fixed server', async () => {
    const vulnerable = await startFakeHeartbeatServer(cert, 'vulnerable');
    const fixed = await startFakeHeartbeatServer(cert, 'fixed');
    try {
      const bad = await scanTarget(`https://127.0.0.1:${vulnerable.port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 1500 } });
      const finding = bad.findings.find((f) => f.cve.includes('CVE-2014-0160'));
      expect(finding).toMatchObject({ id: 'heartbleed', severity: 'high', autoFail: true });
      expect(bad.tls.protocols['TLSv1.2']).toBe(true);
      expect(bad.verdict).toBe('fail');
      const good = await scanTarget(`https://127.0.0.1:${fixed.port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 1500 } });
      expect(good.tls.heartbleed).toMatchObject({ vulnerable: false, heartbeatExtension: true });
      expect(good.findings.some((f) => f.id === 'heartbleed')).toBe(false);
    } finally { await vulnerable.close(); await fixed.close(); }
  });
});
