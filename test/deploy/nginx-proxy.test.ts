// The nginx configuration of deploy/nginx/ in front of two shop instances, with a certificate from a
// throw-away local CA: Mamori's own external scan passes with no finding of CVSS >= 4.0; plain HTTP
// redirects to the configured origin; the shop sees the client's address (a forged X-Forwarded-For
// changes nothing); oversized bodies stop at the proxy; a dead instance is routed around. And a
// weakened copy of the same file (TLS 1.0 allowed, HSTS dropped) fails the scan, so the scan test
// really reads the configuration.
import https from 'node:https';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { startShop, type RunningShop } from '../../src/start-shop.ts';
import { scanTarget } from '../../src/scanner/index.ts';
import { DATABASES, TEST_DIR_PREFIX } from '../support/databases.ts';
import { freePort, makeThrowawayCa, NGINX_BINARY, NGINX_SITE_TEMPLATE, renderNginxSite, startNginx, type RunningNginx, type ThrowawayCa } from '../support/nginx-proxy.ts';

const sqlite = DATABASES.find((d) => d.name === 'sqlite');
// nginx is in .ci/run's packages: on CI a missing nginx fails here instead of skipping.
const run = NGINX_BINARY || process.env.CI ? describe : describe.skip;

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(url: string, opts: { ca?: string; method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(u, { method: opts.method ?? 'GET', headers: opts.headers, ...(opts.ca ? { ca: opts.ca } : {}), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

run('nginx in front of two shop instances (deploy/nginx/mamori.conf.template)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));
  let ca: ThrowawayCa;
  let httpsPort: number;
  let httpPort: number;
  const shops: RunningShop[] = [];
  let nginx: RunningNginx;
  const origin = () => `https://127.0.0.1:${httpsPort}`;

  beforeAll(async () => {
    ca = makeThrowawayCa(path.join(dir, 'ca'));
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    for (let i = 0; i < 2; i++) {
      const created = await sqlite!.create(); // one SQLite file per instance is enough for what the proxy does
      const loaded = loadConfig({
        DATA_DIR: created.dataDir, DATABASE_URL: created.url, HOST: '127.0.0.1', PORT: String(await freePort()),
        PUBLIC_URL: origin(), TRUST_PROXY: '127.0.0.1', ADMIN_ALLOWED_IPS: '10.0.0.0/8', LOG_LEVEL: 'silent',
        PAGE_MONITOR_INTERVAL_SECONDS: '0', INTEGRITY_CHECK_INTERVAL_SECONDS: '0',
      });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      shops.push(await startShop({ config: loaded.config, logger: false, listen: true, securityCheck: false, auditAnchoring: false, reconcileAtStart: false, jobPollMs: 0 }));
    }
    const site = renderNginxSite({ httpsPort, httpPort, shops: shops.map((s) => new URL(s.url).host), ca });
    nginx = await startNginx(path.join(dir, 'nginx'), site, httpsPort);
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const s of shops) await s.close().catch(() => {});
  });

  it('passes Mamori\'s own external scan: no finding of CVSS 4.0 or more', async () => {
    const result = await scanTarget(`${origin()}/`, { plainHttpPort: httpPort, trustedCa: [ca.caPem] });
    const serious = result.findings.filter((f) => f.cvss >= 4 || f.autoFail);
    expect(result.error).toBeUndefined();
    expect(serious.map((f) => `${f.id} (${f.cvss}): ${f.evidence}`)).toEqual([]);
    expect(result.verdict).toBe('pass');
    expect(result.tls.protocols).toEqual({ SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    // Only AEAD suites with forward secrecy (Mozilla intermediate).
    for (const cipher of result.tls.ciphers['TLSv1.2']?.accepted ?? []) {
      expect(cipher.forwardSecrecy, cipher.name).toBe(true);
      expect(cipher.name, cipher.name).toMatch(/GCM|CHACHA20/);
    }
    // The throw-away CA has no OCSP responder: stapling is off, reported as informational only.
    expect(result.tls.ocspStapling).toBe(false);
  }, 180_000);

  it('answers over HTTPS with one HSTS header of two years, the shop\'s own security headers, no version', async () => {
    const r = await request(`${origin()}/`, { ca: ca.caPem });
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers.server).toBe('nginx');
  });

  it('redirects plain HTTP to the configured origin, whatever Host the client sends', async () => {
    const r = await request(`http://127.0.0.1:${httpPort}/products?page=2`, { headers: { host: 'evil.example' } });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`${origin()}/products?page=2`);
  });

  it('passes the client\'s address: the shop believes the proxy\'s hop only, so a forged X-Forwarded-For opens nothing', async () => {
    // The admin allow-list is 10.0.0.0/8; the client is 127.0.0.1 and claims to be 10.1.2.3.
    const forged = await request(`${origin()}/admin/login`, { ca: ca.caPem, headers: { 'x-forwarded-for': '10.1.2.3', forwarded: 'for=10.1.2.3', 'x-real-ip': '10.1.2.3' } });
    expect(forged.status).toBe(403);
    // Proof that the allow-list reads the forwarded address at all: straight to an instance (which
    // trusts 127.0.0.1 as its proxy), the same header is believed.
    const direct = await request(`${shops[0]!.url}/admin/login`, { headers: { 'x-forwarded-for': '10.1.2.3' } });
    expect(direct.status).toBe(200);
  });

  it('refuses a body over the shop\'s 64 KiB limit at the proxy, and methods the shop never answers', async () => {
    const big = await request(`${origin()}/api/store/carts`, { ca: ca.caPem, method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(100 * 1024, 0x20) });
    expect(big.status).toBe(413);
    expect((await request(`${origin()}/`, { ca: ca.caPem, method: 'TRACE' })).status).toBe(405);
  });

  it('fails a weakened copy of the same configuration (TLS 1.0 allowed, HSTS removed)', async () => {
    const [wHttps, wHttp] = [await freePort(), await freePort()];
    const weakened = renderNginxSite({ httpsPort: wHttps, httpPort: wHttp, shops: shops.map((s) => new URL(s.url).host), ca }, readFileSync(NGINX_SITE_TEMPLATE, 'utf8')
      .replace('ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_protocols TLSv1 TLSv1.2 TLSv1.3;')
      .replace(/ssl_ciphers ([^;]+);/, 'ssl_ciphers $1:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0;')
      .replace(/\n\s*add_header Strict-Transport-Security[^\n]+/, ''));
    const weak = await startNginx(path.join(dir, 'nginx-weak'), weakened, wHttps);
    try {
      const result = await scanTarget(`https://127.0.0.1:${wHttps}/`, { plainHttpPort: wHttp, trustedCa: [ca.caPem] });
      expect(result.verdict).toBe('fail');
      expect(result.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['tls-tls10']));
      // The shop's own HSTS header is hidden by the proxy, so without nginx's none is left.
      expect(result.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['http-no-hsts']));
    } finally {
      await weak.stop();
    }
  }, 180_000);

  it('routes around an instance that stopped (passive health check: max_fails / fail_timeout)', async () => {
    await shops[1]!.close();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(`${origin()}/healthz`, { ca: ca.caPem })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(nginx.stderr()).toMatch(/connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
  });
});
