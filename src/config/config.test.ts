import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has safe defaults: localhost, port 3000, the sandbox gateway, no secrets', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.host).toBe('127.0.0.1');
    expect(r.config.port).toBe(3000);
    expect(r.config.https).toBe(false);
    expect(r.config.payment.provider).toBe('sandbox');
    expect(r.config.payment.stripe).toBeUndefined();
  });
  it('refuses Stripe without its keys, and bad values, with messages naming the variable', () => {
    const r = loadConfig({ PAYMENT_PROVIDER: 'stripe', PORT: 'eighty' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/PORT/);
    const s = loadConfig({ PAYMENT_PROVIDER: 'stripe' });
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.errors.join('\n')).toMatch(/STRIPE_SECRET_KEY/);
  });
  it('treats an https PUBLIC_URL as served over HTTPS', () => {
    const r = loadConfig({ PUBLIC_URL: 'https://shop.example.jp/' });
    expect(r.ok && r.config.https && r.config.publicUrl).toBe('https://shop.example.jp');
  });
});

// Issue 17 (bugs): the Store API's return origins are origins only, so a returnUrl check is exact.
describe('STORE_API_RETURN_ORIGINS', () => {
  it('takes comma-separated http(s) origins and refuses paths, other schemes and junk', () => {
    const ok = loadConfig({ STORE_API_RETURN_ORIGINS: 'https://store.example.jp, http://localhost:5173/' });
    expect(ok.ok && ok.config.storeApi.returnOrigins).toEqual(['https://store.example.jp', 'http://localhost:5173']);
    const none = loadConfig({});
    expect(none.ok && none.config.storeApi.returnOrigins).toEqual([]);
    for (const bad of ['https://store.example.jp/thanks', 'javascript:alert(1)', 'store.example.jp', 'https://a.example?x=1']) {
      const r = loadConfig({ STORE_API_RETURN_ORIGINS: bad });
      expect(r.ok, bad).toBe(false);
    }
  });
});
