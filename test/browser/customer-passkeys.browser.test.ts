// Customer passkeys in Chromium with its virtual authenticator (WebAuthn over CDP): register a
// passkey from the account page after a password sign-in, sign out, sign in with the passkey
// alone; then the attacks: the captured sign-in response replayed (its challenge is spent), a
// response signed for another origin, and a disabled account's passkey. Permissions-Policy lets
// only /account use WebAuthn. The shop runs at http://localhost:PORT, since an RP ID must be a
// domain (an IP address is not one); localhost is a secure context.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { scryptHasher } from '../../src/customer-accounts/account-runtime.ts';
import { passkeyDb } from '../../src/customer-accounts/passkey-tables.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'passkey@example.jp';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describeWithChromium('customer passkeys in Chromium', () => {
  let shop: TestShop;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let customerId: number;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    shop = await startTestShop(DATABASES[0]!, { listen: true, reconcileAtStart: false, env: { PORT: String(port), PUBLIC_URL: base, CUSTOMER_AUTH_PER_MINUTE: '100000' }, customerAccounts: { waitMs: async () => {} } });
    const at = new Date().toISOString();
    customerId = (await shop.db.db.insertInto('customers').values({
      email: EMAIL, name: '鍵 花子', password_hash: await scryptHasher.hash(PASSWORD), locale: 'ja', email_verified_at: at, disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
    browser = await launchHeadlessChromium();
    context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  it('registers a passkey, signs in with it alone, and refuses a replayed or foreign response', async () => {
    // Password sign-in, then the account page offers a passkey (the button is the script's).
    await page.goto(`${base}/account/login?lang=ja`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/account\?/), page.click('form[action="/account/login"] button[type="submit"]')]);
    const add = page.locator('button[data-passkey="register"]');
    await add.waitFor({ state: 'visible' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/done=passkeyRegistered/), add.click()]);
    expect(await page.locator('#passkeys ~ ul.account-passkeys li, section[aria-labelledby="passkeys"] li').count()).toBe(1);
    const stored = await passkeyDb(shop.db.db).selectFrom('customer_passkeys').where('customer_id', '=', customerId).selectAll().execute();
    expect(stored).toHaveLength(1);
    // Spent at once: the registration challenge is gone.
    expect(await passkeyDb(shop.db.db).selectFrom('customer_webauthn_challenges').where('purpose', '=', 'register').selectAll().execute()).toEqual([]);

    // Sign out; sign in with the passkey, capturing what the browser sent.
    await Promise.all([page.waitForURL(/\/\?lang=/), page.click('form[action="/account/logout"] button[type="submit"]')]);
    await page.goto(`${base}/account/login?lang=ja`);
    let captured = '';
    page.on('request', (r) => { if (r.url().endsWith('/account/login/passkey') && r.method() === 'POST') captured = r.postData() ?? ''; });
    const signIn = page.locator('button[data-passkey="sign-in"]');
    await signIn.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL(/\/account\?lang=ja$/), signIn.click()]);
    expect(await page.textContent('h1')).toBeTruthy();
    expect(await page.content()).toContain(EMAIL);
    expect(captured).toContain('"credential"');
    const last = await passkeyDb(shop.db.db).selectFrom('customer_passkeys').where('customer_id', '=', customerId).select('last_used_at').executeTakeFirstOrThrow();
    expect(last.last_used_at).not.toBeNull();

    // The same signed response again (its challenge was spent): refused, no session. The stored
    // counter is set back to 0 first, as a synced passkey that does not count would have it, so
    // only the single-use challenge stands in the way.
    await passkeyDb(shop.db.db).updateTable('customer_passkeys').set({ counter: 0 }).where('customer_id', '=', customerId).execute();
    const replay = await page.evaluate(async (body) => {
      const r = await fetch('/account/login/passkey', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: r.status, type: r.headers.get('content-type'), json: await r.json() as { code: string }, cookie: document.cookie };
    }, captured);
    expect(replay.status).toBe(401);
    expect(replay.type).toMatch(/^application\/problem\+json/);
    expect(replay.json.code).toBe('MAMORI_ERR_PASSKEY_SIGN_IN_FAILED');

    // A response whose clientData names another origin (a phishing page relaying it) is refused,
    // even with a live challenge of the shop's.
    const foreign = await page.evaluate(async (captured) => {
      const body = JSON.parse(captured) as { _csrf: string; credential: { response: { clientDataJSON: string } } };
      const options = await (await fetch('/account/login/passkey/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: body._csrf }) })).json() as { challenge: string };
      const decode = (s: string) => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, string>;
      const encode = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const clientData = decode(body.credential.response.clientDataJSON);
      body.credential.response.clientDataJSON = encode({ ...clientData, challenge: options.challenge, origin: 'https://shop-login.example' });
      const r = await fetch('/account/login/passkey', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return r.status;
    }, captured);
    expect(foreign).toBe(401);

    // A disabled account's passkey signs nobody in.
    await shop.db.db.updateTable('customers').set({ disabled_at: new Date().toISOString() }).where('id', '=', customerId).execute();
    await context.clearCookies();
    await page.goto(`${base}/account/login?lang=ja`);
    await signIn.waitFor({ state: 'visible' });
    await signIn.click();
    await page.locator('#passkey-status[role="alert"]').waitFor();
    expect(await page.textContent('#passkey-status')).toContain('パスキーでログインできませんでした');
    expect(page.url()).toContain('/account/login');
    await shop.db.db.updateTable('customers').set({ disabled_at: null }).where('id', '=', customerId).execute();
  }, 120_000);

  it('lets only the account pages use WebAuthn (Permissions-Policy), and keeps it off on the way to payment', async () => {
    const account = await fetch(`${base}/account/login`);
    expect(account.headers.get('permissions-policy')).toContain('publickey-credentials-get=(self)');
    expect(account.headers.get('permissions-policy')).toContain('publickey-credentials-create=(self)');
    expect(account.headers.get('permissions-policy')).toContain('payment=()');
    for (const path of ['/', '/cart', '/checkout']) {
      const r = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(r.headers.get('permissions-policy'), path).toContain('publickey-credentials-get=()');
      expect(r.headers.get('permissions-policy'), path).toContain('publickey-credentials-create=()');
    }
    // And the browser obeys it: on the cart page WebAuthn is refused before any prompt.
    await page.goto(`${base}/cart`);
    const refused = await page.evaluate(async () => {
      try {
        await navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), rpId: location.hostname, userVerification: 'required' } });
        return 'allowed';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(refused).toBe('NotAllowedError');
  }, 60_000);
});
