// Issue 19's HTTP- and certificate-side checks: BREACH (compression on a page with secrets), certificate
// transparency, CAA through a configured resolver (a fake DNS server on 127.0.0.1), and the
// certificate-expiry window from the policy file.
import dgram from 'node:dgram';
import { execFileSync, spawn } from 'node:child_process';
import type http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { CertificateFactory, startFakeTlsServer, startHttpServer, startHttpsServer, type CertificateFiles, type RunningServer } from '../../test/support/local-test-servers.ts';
import { parsePolicy } from '../policy/schema.ts';
import { checkCaa } from './caa-check.ts';
import { certificateTransparency } from './certificate-transparency.ts';
import { inspectCertificate } from './certificate-inspection.ts';
import { scanTarget } from './scan-target.ts';
import { certificateFindings, DEFAULT_EXPIRY_WARNING_DAYS, transparencyFindings } from './tls-findings.ts';
import { X509Certificate } from 'node:crypto';

const certs = new CertificateFactory();
afterAll(() => certs.cleanup());

const LOGIN = '<html><body><form method="post"><input type="hidden" name="_csrf" value="k3y"><input name="email"></form></body></html>';
const PLAIN = '<html><body>Opening hours 10–18</body></html>';

function page(body: string, compress: boolean) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const gzip = compress && /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, { 'content-type': 'text/html', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(gzip ? gzipSync(body) : body);
  };
}

describe('BREACH (CVE-2013-3587)', () => {
  const scan = async (body: string, compress: boolean) => {
    const server = await startHttpServer(page(body, compress));
    try { return (await scanTarget(`http://127.0.0.1:${server.port}/`, { bounds: { timeoutMs: 2000 } })).findings.find((f) => f.id === 'http-breach'); } finally { await server.close(); }
  };
  it('finds gzip on a page with a CSRF token', async () => {
    expect(await scan(LOGIN, true)).toMatchObject({ cve: ['CVE-2013-3587'], cvss: 5.9, evidence: expect.stringContaining('Content-Encoding: gzip') });
  });
  it('does not flag the same page uncompressed, nor a compressed page without secrets (testssl flags any compression)', async () => {
    expect(await scan(LOGIN, false)).toBeUndefined();
    expect(await scan(PLAIN, true)).toBeUndefined();
  });
});

describe('certificate transparency', () => {
  let plain: CertificateFiles;
  let withSct: Buffer;
  beforeAll(() => {
    plain = certs.make({ cn: 'localhost', san: 'DNS:localhost' });
    // The SCT list extension with an empty list: the check looks for the extension, not the SCTs' signatures.
    const ext = path.join(certs.dir, 'sct.ext');
    writeFileSync(ext, '1.3.6.1.4.1.11129.2.4.2=DER:04020000\n');
    const out = path.join(certs.dir, 'sct.pem');
    execFileSync('openssl', ['x509', '-req', '-in', plain.certPath.replace(/\.pem$/, '.csr'), '-signkey', plain.keyPath, '-out', out, '-days', '30', '-extfile', ext], { stdio: 'ignore' });
    withSct = new X509Certificate(readFileSync(out)).raw;
  });
  it('sees SCTs embedded in the certificate', () => {
    expect(certificateTransparency(withSct, false)).toMatchObject({ source: 'certificate' });
  });
  it('sees SCTs sent in the handshake, and none when neither has them', () => {
    const der = new X509Certificate(plain.cert).raw;
    expect(certificateTransparency(der, true)).toMatchObject({ source: 'handshake' });
    expect(certificateTransparency(der, false)).toMatchObject({ source: 'none' });
  });
});

// A synthetic SignedCertificateTimestampList (one 8-byte "SCT") in the RFC 6962 extension: the scanner
// looks for the list, it does not verify the logs' signatures.
const SCT_EXTENSION = '1.3.6.1.4.1.11129.2.4.2=DER:040c000a00080102030405060708';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('certificate transparency in a scan (cert-no-sct only for a publicly trusted certificate)', () => {
  let ca: CertificateFiles;
  let bare: CertificateFiles;
  let logged: CertificateFiles;
  beforeAll(() => {
    ca = certs.make({ cn: 'Mamori CT Test CA', isCa: true });
    bare = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca });
    logged = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca, extensions: [SCT_EXTENSION] });
  });

  it('`mamori scan`, trusting the CA like a system root (NODE_EXTRA_CA_CERTS): no SCT anywhere is a finding, an embedded SCT list is not', async () => {
    const hello = (_req: http.IncomingMessage, res: http.ServerResponse) => res.end('shop');
    const servers: RunningServer[] = [await startHttpsServer({ key: bare.key, cert: bare.cert }, hello), await startHttpsServer({ key: logged.key, cert: logged.cert }, hello)];
    try {
      const child = spawn('tsx', [path.join(ROOT, 'src/cli/mamori.ts'), 'scan', ...servers.map((s) => `https://127.0.0.1:${s.port}/`), '--format', 'json', '--timeout', '3'], {
        cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.certPath }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      await new Promise((resolve) => child.on('exit', resolve));
      const [none, embedded] = JSON.parse(stdout).targets;
      expect(none.tls.certificate.trusted, stderr).toBe(true);
      expect(none.tls.certificateTransparency).toMatchObject({ source: 'none', evidence: expect.stringContaining('signed_certificate_timestamp asked for, none in the ServerHello') });
      expect(none.findings.find((f: { id: string }) => f.id === 'cert-no-sct')).toMatchObject({ cvss: 0, severity: 'info' });
      expect(embedded.tls.certificate.trusted).toBe(true);
      expect(embedded.tls.certificateTransparency).toMatchObject({ source: 'certificate' });
      expect(embedded.findings.some((f: { id: string }) => f.id === 'cert-no-sct')).toBe(false);
    } finally { for (const s of servers) await s.close(); }
  });

  it('reads SCTs sent in the TLS extension, and their absence, from our own handshake', async () => {
    const scan = async (handshakeScts: boolean) => {
      const server = await startFakeTlsServer(bare, { handshakeScts });
      try { return (await scanTarget(`https://127.0.0.1:${server.port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 2000 } })).tls.certificateTransparency; } finally { await server.close(); }
    };
    expect(await scan(true)).toMatchObject({ source: 'handshake' });
    expect(await scan(false)).toMatchObject({ source: 'none' });
  });

  it('asks SCTs only of a trusted certificate outside a private CA', () => {
    const trusted = inspectCertificate([new X509Certificate(bare.cert).raw], 'localhost', { authorized: true, authorizationError: null }, null, 'node-tls')!;
    const untrusted = inspectCertificate([new X509Certificate(bare.cert).raw], 'localhost', { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' }, null, 'node-tls')!;
    const none = certificateTransparency(new X509Certificate(bare.cert).raw, false);
    expect(transparencyFindings(none, trusted, false).map((f) => f.id)).toEqual(['cert-no-sct']);
    expect(transparencyFindings(certificateTransparency(new X509Certificate(bare.cert).raw, true), trusted, false)).toEqual([]);
    expect(transparencyFindings(certificateTransparency(new X509Certificate(logged.cert).raw, false), trusted, false)).toEqual([]);
    expect(transparencyFindings(none, trusted, true)).toEqual([]);
    expect(transparencyFindings(none, untrusted, false)).toEqual([]);
  });
});

/** A DNS server answering CAA (type 257) queries from a table; NOERROR with no answer otherwise. */
async function fakeDns(zone: Record<string, Array<[number, string, string]>>): Promise<{ address: string; close(): void }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    let at = 12;
    const labels: string[] = [];
    while (query[at]! > 0) { labels.push(query.subarray(at + 1, at + 1 + query[at]!).toString('ascii')); at += 1 + query[at]!; }
    const questionEnd = at + 5;
    const type = query.readUInt16BE(at + 1);
    const records = type === 257 ? zone[labels.join('.').toLowerCase()] ?? [] : [];
    const answers = records.map(([flags, tag, value]) => {
      const rdata = Buffer.concat([Buffer.from([flags, tag.length]), Buffer.from(tag), Buffer.from(value)]);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(257, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(300, 6); rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180, 2); header.writeUInt16BE(1, 4); header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

describe('CAA (RFC 8659)', () => {
  it('is "not checked" without a configured resolver', async () => {
    expect(await checkCaa('shop.example.test', undefined, 1000)).toMatchObject({ checked: false, evidence: expect.stringContaining('not checked') });
  });
  it("finds the parent domain's CAA set through the configured resolver, and reports a name without any", async () => {
    const dns = await fakeDns({ 'example.test': [[0, 'issue', 'letsencrypt.org']] });
    try {
      expect(await checkCaa('shop.example.test', dns.address, 2000)).toMatchObject({ checked: true, name: 'example.test', records: [{ critical: 0, tag: 'issue', value: 'letsencrypt.org' }] });
      expect(await checkCaa('shop.other.test', dns.address, 2000)).toMatchObject({ checked: true, records: [] });
    } finally { dns.close(); }
  });
});

describe('certificate-expiry window (policy scanner.certificateExpiryWarningDays)', () => {
  it('defaults to 30 days in the policy and the scanner, and warns earlier when the policy says so', () => {
    expect(parsePolicy({}).scanner.certificateExpiryWarningDays).toBe(30);
    expect(DEFAULT_EXPIRY_WARNING_DAYS).toBe(30);
    const cert = certs.make({ cn: 'localhost', san: 'DNS:localhost', days: 45 });
    const report = inspectCertificate([new X509Certificate(cert.cert).raw], 'localhost', null, null, 'raw-handshake')!;
    expect(certificateFindings(report).some((f) => f.id === 'cert-expiring-soon')).toBe(false);
    const warned = certificateFindings(report, parsePolicy({ scanner: { certificateExpiryWarningDays: 60 } }).scanner.certificateExpiryWarningDays).find((f) => f.id === 'cert-expiring-soon');
    expect(warned).toMatchObject({ title: 'Certificate expires within 60 days', cvss: 0 });
  });
  it('rejects a nonsense window', () => {
    expect(() => parsePolicy({ scanner: { certificateExpiryWarningDays: 0 } })).toThrow(/scanner\.certificateExpiryWarningDays/);
  });
});
