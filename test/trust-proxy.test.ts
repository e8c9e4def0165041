// X-Forwarded-For is believed only as far as TRUST_PROXY says: a client that sends the header
// itself must not pass the admin allow-list or pick the address the per-address limits count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy } from '../src/config/config.ts';
import { DATABASES } from './support/databases.ts';
import { startTestShop, type TestShop } from './support/test-shop.ts';

const ALLOWED = '10.1.2.3';
const PROXY = '127.0.0.1';
const OUTSIDER = '198.51.100.7';

describe('TRUST_PROXY setting', () => {
  it('refuses "true" with a message that says what to write instead', () => {
    const r = loadConfig({ TRUST_PROXY: 'true' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/TRUST_PROXY/);
    expect(r.errors.join('\n')).toMatch(/TRUST_PROXY=127\.0\.0\.1/);
  });
  it('takes addresses and CIDRs (IPv4 and IPv6), and refuses anything else, hop counts included', () => {
    expect(parseTrustProxy(undefined)).toEqual({ ok: true, value: false });
    expect(parseTrustProxy('false')).toEqual({ ok: true, value: false });
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8')).toEqual({ ok: true, value: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'] });
    for (const bad of ['1', 'yes', '10.0.0.0/33', '::1/129', 'proxy.example.jp', '10.0.0.1/8/2', '*']) {
      expect(parseTrustProxy(bad).ok, bad).toBe(false);
    }
  });
});

for (const database of DATABASES) {
  describe(`client address behind a proxy on ${database.name}`, () => {
    let direct: TestShop;
    let proxied: TestShop;
    beforeAll(async () => {
      const env = { ADMIN_ALLOWED_IPS: ALLOWED };
      direct = await startTestShop(database, { seedDemoCatalog: false, env });
      proxied = await startTestShop(database, { seedDemoCatalog: false, env: { ...env, TRUST_PROXY: PROXY }, rateLimits: { cart: 10_000, checkout: 10_000, lookup: 5, notifications: 10_000 } });
    });
    afterAll(async () => {
      await direct?.dispose();
      await proxied?.dispose();
    });

    const login = (shop: TestShop, remoteAddress: string, xff?: string) =>
      shop.app.inject({ url: '/admin/login', remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {} });

    it('without TRUST_PROXY ignores X-Forwarded-For entirely', async () => {
      expect((await login(direct, OUTSIDER, ALLOWED)).statusCode).toBe(403);
      expect((await login(direct, ALLOWED)).statusCode).toBe(200);
    });

    it('with the proxy named, believes only the hop the proxy appended', async () => {
      // What a client forging the header sends straight to the shop: the socket is not the proxy.
      expect((await login(proxied, OUTSIDER, ALLOWED)).statusCode).toBe(403);
      // Through an appending proxy: the forged first entry is followed by the real client address.
      expect((await login(proxied, PROXY, `${ALLOWED}, ${OUTSIDER}`)).statusCode).toBe(403);
      // The real allowed client behind the proxy.
      expect((await login(proxied, PROXY, ALLOWED)).statusCode).toBe(200);
      expect((await login(proxied, PROXY, `${OUTSIDER}, ${ALLOWED}`)).statusCode).toBe(200);
    });

    it('a rotating forged header does not reset per-address rate limits', async () => {
      const lookup = (xff: string) => proxied.app.inject({ url: '/orders/00000000-0000-4000-8000-000000000000', remoteAddress: PROXY, headers: { 'x-forwarded-for': xff } });
      const statuses: number[] = [];
      // The attacker rotates the part of the header it controls; the proxy appends its real address.
      for (let i = 0; i < 8; i++) statuses.push((await lookup(`203.0.113.${i}, ${OUTSIDER}`)).statusCode);
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // Another real client behind the same proxy has its own budget.
      expect((await lookup('192.0.2.10')).statusCode).not.toBe(429);
    });
  });
}
