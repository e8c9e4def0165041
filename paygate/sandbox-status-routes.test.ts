import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capturedPayment, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';
import { loadOrCreateInspectionToken } from './sandbox-inspection-token.ts';

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

describe('sandbox inspection pages and closed payments', () => {
  it('the notification log needs the inspection token; without it no transaction id is shown', async () => {
    const tx = await capturedPayment(t);
    await t.paygate.deliverDueNotifications();
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token-wrong-token' }] as Record<string, string>[]) {
      for (const url of ['/_sandbox/notifications', '/_sandbox/notifications?format=json', '/_sandbox/notifications?token=nope']) {
        const res = await t.paygate.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode).toBe(401);
        expect(res.body).not.toContain(tx);
      }
    }
    const token = t.paygate.sandboxInspectionToken;
    const page = await t.paygate.app.inject({ method: 'GET', url: `/_sandbox/notifications?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(tx);
    const json = await t.paygate.app.inject({ method: 'GET', url: '/_sandbox/notifications?format=json', headers: { authorization: `Bearer ${token}` } });
    expect(json.json().notifications[0].transactionId).toBe(tx);
    expect(t.logLines.join('')).not.toContain(token);
  });

  it('a payment that is no longer open shows no order, status or freshly signed return URL', async () => {
    const tx = await capturedPayment(t);
    const res = await t.paygate.app.inject({ method: 'GET', url: `/pay/${tx}` });
    expect(res.statusCode).toBe(409);
    for (const leaked of ['MMR-000123', 'sig=', 'status=captured', '/checkout/return', 'tx=']) expect(res.body).not.toContain(leaked);
    expect(res.body).toContain('href="http://127.0.0.1:3000/"');
  });

  it('keeps the token in a 0600 file and reuses it on the next start', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'paygate-token-')), 'paygate-sandbox-token');
    const first = loadOrCreateInspectionToken(file);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(loadOrCreateInspectionToken(file)).toBe(first);
  });
});
