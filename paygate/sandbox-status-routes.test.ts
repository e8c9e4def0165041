import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate;
beforeEach(async () => { t = await startTestPaygate(); });
afterEach(async () => { await t.close(); });

describe('sandbox pages', () => {
  it('the front page lists the test cards under the strict page CSP', async () => {
    const res = await t.paygate.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('4000 0000 0000 3220');
    expect(res.body).toContain('123456');
    expect(res.headers['content-security-policy']).toContain("script-src 'none'");
  });

  it('health answers for launchers', async () => {
    expect((await t.paygate.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true, service: 'mamori-paygate-sandbox' });
  });

  it('API responses carry a CSP that allows nothing', async () => {
    const res = await t.paygate.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['content-security-policy']).toContain("style-src 'none'");
  });
});
