// HTTP checks against small Node servers on 127.0.0.1: a careless one that exposes everything,
// and a hardened one that must pass.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFactory, startHttpServer, startHttpsServer, type CertificateFiles, type RunningServer } from '../../test/support/local-test-servers.ts';
import { extractBanners } from './http-checks.ts';
import { scanTarget } from './scan-target.ts';

const certs = new CertificateFactory();
let ca: CertificateFiles;
let leaf: CertificateFiles;
beforeAll(() => {
  ca = certs.make({ cn: 'Mamori Test CA', isCa: true });
  leaf = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca });
});
afterAll(() => certs.cleanup());

const CARELESS: Record<string, [number, string, string]> = {
  '/': [200, 'text/html', '<html><head><meta name="generator" content="EC-CUBE 2.13.5"><title>Shop</title></head><body>shop</body></html>'],
  '/.git/HEAD': [200, 'text/plain', 'ref: refs/heads/main\n'],
  '/.env': [200, 'text/plain', 'DATABASE_URL=postgres://shop:hunter2@db/shop\nSTRIPE_KEY=sk_live_x\n'],
  '/index.php.bak': [200, 'application/octet-stream', '<?php $db_password = "x"; ?>'],
  '/uploads/': [200, 'text/html', '<html><head><title>Index of /uploads</title></head><body><h1>Index of /uploads</h1></body></html>'],
  '/server-status': [200, 'text/html', '<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for shop</h1></body></html>'],
  '/admin/': [200, 'text/html', '<html><head><title>管理画面 ログイン</title></head><body><form><input type="password" name="p"></form></body></html>'],
};

function careless(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method === 'TRACE') {
    res.writeHead(200, { 'content-type': 'message/http' });
    res.end(`TRACE ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n`);
    return;
  }
  const page = CARELESS[req.url ?? ''];
  res.setHeader('server', 'Apache/2.4.29 (Ubuntu)');
  res.setHeader('x-powered-by', 'PHP/5.6.40');
  res.setHeader('set-cookie', ['PHPSESSID=abc; path=/', 'pref=ja; path=/; Secure; HttpOnly; SameSite=Lax']);
  if (!page) { res.writeHead(404, { 'content-type': 'text/html' }); res.end('<html>not found</html>'); return; }
  res.writeHead(page[0], { 'content-type': page[1] });
  res.end(page[2]);
}

function hardened(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  res.setHeader('content-security-policy', "default-src 'self'; frame-ancestors 'none'");
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
  // A catch-all SPA page: 200 everywhere, which must not be mistaken for exposures.
  res.setHeader('set-cookie', 'sid=1; Path=/; Secure; HttpOnly; SameSite=Lax');
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><html><head><title>Mamori shop</title></head><body><div id="app"></div></body></html>');
}

describe('HTTP checks', () => {
  let plain: RunningServer;
  beforeAll(async () => { plain = await startHttpServer(careless); });
  afterAll(async () => { await plain.close(); });

  it('finds every planted exposure on a careless plain-HTTP server', async () => {
    const r = await scanTarget(`http://127.0.0.1:${plain.port}/`);
    const ids = new Set(r.findings.map((f) => f.id));
    for (const id of ['http-git-exposed', 'http-env-exposed', 'http-backup-exposed', 'http-directory-listing', 'http-debug-page', 'http-admin-exposed', 'http-trace-enabled', 'http-no-https-redirect', 'http-no-csp', 'http-no-frame-protection', 'http-no-content-type-options', 'http-cookie-no-httponly', 'http-cookie-no-samesite', 'http-version-banner']) {
      expect(ids, id).toContain(id);
    }
    expect(ids).not.toContain('http-no-hsts'); // HSTS means nothing over plain HTTP
    expect(r.findings.filter((f) => f.id === 'http-cookie-no-httponly').map((f) => f.title)).toEqual(['Cookie "PHPSESSID" without the HttpOnly flag']);
    expect(r.findings.find((f) => f.id === 'http-env-exposed')!.evidence).not.toContain('hunter2');
    expect(r.http!.banners.map((b) => `${b.product} ${b.version}`)).toEqual(['Apache 2.4.29', 'PHP 5.6.40', 'EC-CUBE 2.13.5']);
    expect(r.verdict).toBe('fail');
  });

  it('asks the advisory lookup about each banner and reports its matches', async () => {
    const asked: string[] = [];
    const r = await scanTarget(`http://127.0.0.1:${plain.port}/`, {
      advisoryLookup: async (c) => { asked.push(`${c.name}@${c.version}`); return c.name === 'PHP' ? [{ id: 'CVE-2019-11043', cvss: 9.8, cve: ['CVE-2019-11043'] }] : []; },
    });
    expect(asked).toEqual(['Apache@2.4.29', 'PHP@5.6.40', 'EC-CUBE@2.13.5']);
    expect(r.findings.find((f) => f.id === 'http-vulnerable-component')).toMatchObject({ cvss: 9.8, severity: 'critical', cve: ['CVE-2019-11043'] });
  });

  it('passes a hardened HTTPS server with a redirecting plain-HTTP port, ignoring its catch-all page', async () => {
    const https = await startHttpsServer({ key: leaf.key, cert: leaf.cert, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305' }, hardened);
    const redirect = await startHttpServer((req, res) => { res.writeHead(301, { location: `https://127.0.0.1:${https.port}${req.url}` }); res.end(); });
    try {
      const r = await scanTarget(`https://127.0.0.1:${https.port}/`, { trustedCa: [ca.cert], plainHttpPort: redirect.port });
      expect(r.findings.filter((f) => f.cvss > 0)).toEqual([]);
      expect(r.verdict).toBe('pass');
      expect(r.connections).toBeLessThan(120);
    } finally { await https.close(); await redirect.close(); }
  });

  it('flags a plain-HTTP port that serves the shop instead of redirecting', async () => {
    const https = await startHttpsServer({ key: leaf.key, cert: leaf.cert }, hardened);
    try {
      const r = await scanTarget(`https://127.0.0.1:${https.port}/`, { trustedCa: [ca.cert], plainHttpPort: plain.port });
      expect(r.findings.find((f) => f.id === 'http-no-https-redirect')?.evidence).toMatch(/without a redirect/);
    } finally { await https.close(); }
  });

  it('reads versions from Server, X-Powered-By and generator tags', () => {
    const banners = extractBanners({ url: 'http://x/', method: 'GET', status: 200, headers: { server: 'nginx/1.18.0 (Ubuntu)', 'x-aspnet-version': '4.0.30319' }, body: Buffer.from('<meta content="WordPress 6.4.2" name="generator">') });
    expect(banners.map((b) => [b.product, b.version])).toEqual([['nginx', '1.18.0'], ['aspnet', '4.0.30319'], ['WordPress', '6.4.2']]);
  });
});
