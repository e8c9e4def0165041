// CORS claims: a listed storefront origin gets Access-Control-Allow-Origin on the Store API (and a
// working preflight), any other origin gets none, credentials are never allowed, the back office
// never answers with CORS headers, and product images are loadable cross-origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { loadConfig } from '../config/config.ts';

const STOREFRONT = 'https://store.example.jp';
const OTHER = 'https://evil.example.com';
const database = DATABASES[0]!; // no stored data is involved: headers only

describe('Store API CORS', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database, { reconcileAtStart: false, env: { STORE_API_CORS_ORIGINS: `${STOREFRONT}, http://localhost:5173/` } });
    mkdirSync(shop.config.mediaDir, { recursive: true });
    writeFileSync(path.join(shop.config.mediaDir, 'cors-test.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  });
  afterAll(async () => { await shop?.dispose(); });

  it('gives a listed origin ACAO (never credentials) and another origin none', async () => {
    const ok = await shop.app.inject({ url: '/api/store/products', headers: { origin: STOREFRONT } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(STOREFRONT);
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const local = await shop.app.inject({ url: '/api/store/products', headers: { origin: 'http://localhost:5173' } });
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const bad = await shop.app.inject({ url: '/api/store/products', headers: { origin: OTHER } });
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight for a listed origin and refuses one for another', async () => {
    const pre = await shop.app.inject({ method: 'OPTIONS', url: '/api/store/carts', headers: { origin: STOREFRONT, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(STOREFRONT);
    expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(pre.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const bad = await shop.app.inject({ method: 'OPTIONS', url: '/api/store/carts', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a listed origin send the Authorization header to the customer routes, still without credentials mode', async () => {
    for (const [url, method] of [['/api/store/customers/me', 'GET'], ['/api/store/customers/token', 'DELETE'], ['/api/store/customers/me/orders', 'GET']] as const) {
      const pre = await shop.app.inject({ method: 'OPTIONS', url, headers: { origin: STOREFRONT, 'access-control-request-method': method, 'access-control-request-headers': 'authorization' } });
      expect(pre.statusCode, url).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(STOREFRONT);
      expect(String(pre.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      expect(String(pre.headers['access-control-allow-methods'])).toContain(method);
      expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    }
    // The refusal itself carries ACAO, so the storefront's script can read the 401 problem.
    const r = await shop.app.inject({ url: '/api/store/customers/me', headers: { origin: STOREFRONT, authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(r.statusCode).toBe(401);
    expect(r.headers['access-control-allow-origin']).toBe(STOREFRONT);
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('never sends CORS headers from the back office, the storefront pages or the other /api routes', async () => {
    for (const url of ['/admin/login', '/', '/api/postal-codes/1000001', '/api/csp-reports']) {
      const r = await shop.app.inject({ url, headers: { origin: STOREFRONT } });
      expect(r.headers['access-control-allow-origin'], url).toBeUndefined();
      const pre = await shop.app.inject({ method: 'OPTIONS', url, headers: { origin: STOREFRONT, 'access-control-request-method': 'POST' } });
      expect(pre.headers['access-control-allow-origin'], url).toBeUndefined();
    }
  });

  it('serves product images cross-origin: CORP cross-origin, ACAO only for a listed origin', async () => {
    const ok = await shop.app.inject({ url: '/media/cors-test.png', headers: { origin: STOREFRONT } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(ok.headers['access-control-allow-origin']).toBe(STOREFRONT);
    const bad = await shop.app.inject({ url: '/media/cors-test.png', headers: { origin: OTHER } });
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
    // Other pages keep helmet's same-origin policy.
    const page = await shop.app.inject({ url: '/' });
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('STORE_API_CORS_ORIGINS', () => {
  it('takes origins only', () => {
    const ok = loadConfig({ STORE_API_CORS_ORIGINS: 'https://store.example.jp, http://localhost:5173/' });
    expect(ok.ok && ok.config.storeApi.corsOrigins).toEqual(['https://store.example.jp', 'http://localhost:5173']);
    for (const bad of ['https://store.example.jp/path', 'ftp://x.example', 'not a url', '*']) {
      expect(loadConfig({ STORE_API_CORS_ORIGINS: bad }).ok, bad).toBe(false);
    }
  });
});
