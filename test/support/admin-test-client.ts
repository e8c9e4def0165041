// Test support: a cookie jar and CSRF-aware form poster for /admin, like a browser without
// JavaScript, plus shortcuts to make enrolled accounts. Used by the back-office API and browser tests.
import type { LightMyRequestResponse } from 'fastify';
import type { TestShop } from './test-shop.ts';
import { adminDb, type AdminAccount, type AdminRole } from '../../src/admin/admin-tables.ts';
import { createAccount } from '../../src/admin/admin-accounts.ts';
import { newTotpSecret, totpCodeAt } from '../../src/admin/totp.ts';
import { loadTotpKey, totpSecretBox } from '../../src/admin/totp-secret-box.ts';
import { openSession, type SessionStage } from '../../src/admin/admin-sessions.ts';
import { csrfTokenFor } from '../../src/admin/admin-csrf.ts';

/** The admin forms' `_csrf` field, '' on a page without one (the shared reader in csrf.ts). */
export { csrfTokenIfAny as csrfOf } from './csrf.ts';
import { csrfTokenIfAny as csrfOf } from './csrf.ts';

export function adminBrowser(shop: TestShop, opts: { remoteAddress?: string } = {}) {
  const jar = new Map<string, string>();
  const remember = (r: LightMyRequestResponse) => {
    for (const c of r.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
      else jar.set(c.name, c.value);
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let lastCsrf = '';
  const client = {
    jar,
    async get(url: string) {
      const r = await shop.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader() }, ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}) });
      remember(r);
      const token = csrfOf(r.body);
      if (token) lastCsrf = token;
      return r;
    },
    /** Posts a form with the CSRF token of the last page seen (or `csrf: false` for none). */
    async post(url: string, form: Record<string, string>, o: { csrf?: string | false } = {}) {
      if (!lastCsrf && o.csrf === undefined) await client.get('/admin/login');
      const body = new URLSearchParams(form);
      if (o.csrf !== false) body.set('_csrf', o.csrf ?? lastCsrf);
      const r = await shop.app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString(), ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}) });
      remember(r);
      const token = csrfOf(r.body);
      if (token) lastCsrf = token;
      return r;
    },
  };
  return client;
}

export const TEST_PASSWORD = 'Kumo-no-ue-no-niwa-42';

/** An account with MFA already enrolled (its TOTP secret returned for computing codes). */
export async function enrolledAccount(shop: TestShop, email: string, role: AdminRole, extra: Partial<AdminAccount> = {}) {
  const db = adminDb(shop.db.db);
  const created = await createAccount(db, { email, password: TEST_PASSWORD, role, refundLimit: role === 'staff' ? 5000 : null }, new Date());
  if (!created.ok) throw new Error(created.error);
  const secret = newTotpSecret();
  const sealed = totpSecretBox(loadTotpKey({ ADMIN_TOTP_KEY: shop.config.admin.totpKey }, shop.config.dataDir)).seal(secret);
  await db.updateTable('admin_accounts').set({ totp_secret: sealed, mfa_enrolled_at: new Date().toISOString(), ...extra }).where('id', '=', created.account.id).execute();
  return { account: created.account, secret };
}

/** A code the replay guard accepts: each login in a test may fall in the same 30-second step. */
export async function freshTotp(shop: TestShop, accountId: number, secret: string): Promise<string> {
  await adminDb(shop.db.db).updateTable('admin_accounts').set({ totp_last_step: null }).where('id', '=', accountId).execute();
  return totpCodeAt(secret, new Date());
}

/** Password then TOTP; returns the signed-in browser. */
export async function signIn(shop: TestShop, email: string, accountId: number, secret: string, opts: { remoteAddress?: string } = {}) {
  const b = adminBrowser(shop, opts);
  await b.get('/admin/login');
  const pw = await b.post('/admin/login', { email, password: TEST_PASSWORD });
  if (pw.statusCode !== 303) throw new Error(`password step: ${pw.statusCode}`);
  await b.get('/admin/mfa');
  const mfa = await b.post('/admin/mfa/verify', { code: await freshTotp(shop, accountId, secret) });
  if (mfa.statusCode !== 303 || mfa.headers.location !== '/admin') throw new Error(`second factor: ${mfa.statusCode}`);
  return b;
}

/** A session made directly in the table, with its cookie header part and a CSRF token of its own. */
export async function directSession(shop: TestShop, accountId: number, stage: SessionStage): Promise<{ cookie: string; token: string }> {
  const opened = await openSession(adminDb(shop.db.db), accountId, stage, { ip: '127.0.0.1', userAgent: 'test' }, new Date());
  return { cookie: `${shop.config.https ? '__Secure-' : ''}mamori_admin=${opened.id}`, token: csrfTokenFor(opened.csrfSecret) };
}
