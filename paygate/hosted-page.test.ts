import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyQuerySignature } from '../platform/hmac-query-signing.ts';
import { verifyEventSignature } from '../platform/hmac-event-signing.ts';
import { paymentRequest, startTestPaygate, type TestPaygate } from './paygate-test-fixture.ts';

let t: TestPaygate;
beforeEach(async () => { t = await startTestPaygate(); });
afterEach(async () => { await t.close(); });

async function newPayment(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/v1/payments', paymentRequest(overrides));
  return (res.json() as { transactionId: string }).transactionId;
}

async function openPage(url: string, sendCookie?: string) {
  const res = await t.paygate.app.inject({ method: 'GET', url, headers: sendCookie ? { cookie: sendCookie } : {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const cookie = sendCookie ?? String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  return { res, token, cookie };
}

async function submit(url: string, fields: Record<string, string>, page: { token?: string; cookie: string }) {
  return t.paygate.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookie },
    payload: new URLSearchParams({ _csrf: page.token ?? '', ...fields }).toString(),
  });
}

const card = (cardNumber: string) => ({ cardNumber, expiry: '12/30', securityCode: '123', cardholderName: 'TARO YAMADA' });

function resultParams(location: string) {
  const u = new URL(location);
  const { tx, status, ts, sig } = Object.fromEntries(u.searchParams);
  return { url: u, signed: { tx: tx!, status: status!, ts: ts!, sig: sig! } };
}

describe('hosted payment page', () => {
  it('shows merchant, amount and the four card fields with standard autocomplete tokens', async () => {
    const tx = await newPayment();
    const { res } = await openPage(`/pay/${tx}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tokiwa Test Shop');
    expect(res.body).toMatch(/¥12,800|JP¥12,800/);
    for (const [label, auto] of [['Card number', 'cc-number'], ['Expiry (MM/YY)', 'cc-exp'], ['Security code', 'cc-csc'], ['Cardholder name', 'cc-name']]) {
      expect(res.body).toContain(`>${label}</label>`);
      expect(res.body).toContain(`autocomplete="${auto}"`);
    }
    expect(res.body).toContain('>Pay</button>');
    expect(res.body).toContain(`href="/pay/${tx}/cancel">Cancel</a>`);
  });

  it('is in Japanese when the payment asks for it', async () => {
    const tx = await newPayment({ locale: 'ja' });
    const { res } = await openPage(`/pay/${tx}`);
    expect(res.body).toContain('<html lang="ja">');
    for (const label of ['カード番号', '有効期限 (MM/YY)', 'セキュリティコード', 'カード名義人']) expect(res.body).toContain(`>${label}</label>`);
    expect(res.body).toContain('>支払う</button>');
  });

  it('sends a strict nonce CSP, no framing, no caching and no script at all', async () => {
    const tx = await newPayment();
    const { res } = await openPage(`/pay/${tx}`);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:3000");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(res.body).not.toMatch(/<script|<iframe|https?:\/\/(?!127\.0\.0\.1)/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const second = await openPage(`/pay/${tx}`);
    expect(second.res.headers['content-security-policy']).not.toBe(csp); // fresh nonce per response
  });

  it('refuses a form post without the CSRF token', async () => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, card('4242 4242 4242 4242'), { cookie: page.cookie, token: 'forged' });
    expect(res.statusCode).toBe(403);
    const noCookie = await submit(`/pay/${tx}`, card('4242 4242 4242 4242'), { cookie: '', token: page.token });
    expect(noCookie.statusCode).toBe(403);
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ status: 'pending' });
  });

  it('re-renders field errors without echoing the card number or security code', async () => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, { cardNumber: '4242 4242 4242 4241', expiry: '10/26', securityCode: '98', cardholderName: 'HANAKO SATO' }, page);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This card number is not valid');
    expect(res.body).toContain('This card has expired');
    expect(res.body).toContain('The security code is 3 digits');
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(res.body).toContain('value="HANAKO SATO"');
    expect(res.body).toContain('value="10/26"');
    expect(res.body).not.toContain('4241');
    expect(res.body).not.toContain('"98"');
  });

  it('refuses a real-looking card that is not a published test card', async () => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, card('4111 1111 1111 1111'), page);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('only the published test cards');
  });

  it('4242… captures, redirects 303 with a signed result and sends a signed notification', async () => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, card('4242 4242 4242 4242'), page);
    expect(res.statusCode).toBe(303);
    const { url, signed } = resultParams(String(res.headers.location));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:3000/checkout/return');
    expect(url.searchParams.get('order')).toBe('MMR-000123');
    expect(signed).toMatchObject({ tx, status: 'captured' });
    expect(verifyQuerySignature(t.secret, signed, t.clock.now)).toEqual({ ok: true });
    expect(verifyQuerySignature(t.secret, { ...signed, status: 'declined' }, t.clock.now)).toMatchObject({ ok: false });

    await t.paygate.deliverDueNotifications();
    expect(t.sent).toHaveLength(1);
    const n = t.sent[0]!;
    expect(n.url).toBe('http://127.0.0.1:3000/payments/sandbox/notifications');
    const body = JSON.parse(n.body);
    expect(body).toMatchObject({ type: 'payment.captured', transactionId: tx, orderReference: 'MMR-000123', status: 'captured', amount: 12_800, currency: 'JPY' });
    expect(n.headers['x-mamori-event-id']).toBe(body.eventId);
    expect(verifyEventSignature({ secret: t.secret, timestamp: n.headers['x-mamori-timestamp']!, eventId: body.eventId, body: n.body, signature: n.headers['x-mamori-signature']!, now: t.clock.now })).toEqual({ ok: true });

    const state = (await t.api('GET', `/v1/payments/${tx}`)).json();
    expect(state).toMatchObject({ status: 'captured', card: { brand: 'visa', last4: '4242' } });
    // the page is closed now: a second submit cannot pay twice
    const again = await submit(`/pay/${tx}`, card('4242 4242 4242 4242'), page);
    expect(again.statusCode).toBe(409);
  });

  it.each([
    ['4000 0000 0000 0002', 'card_declined'],
    ['4000 0000 0000 9995', 'insufficient_funds'],
  ])('%s declines (%s) and returns to the shop', async (number, reason) => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, card(number), page);
    expect(res.statusCode).toBe(303);
    expect(resultParams(String(res.headers.location)).signed.status).toBe('declined');
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ status: 'declined', failureReason: reason });
  });

  it.each([
    ['123456', 'captured'],
    ['654321', 'declined'],
  ])('3-D Secure card with one-time code %s ends %s', async (code, status) => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}`, card('4000 0000 0000 3220'), page);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/pay/${tx}/challenge?lang=en`);
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ status: 'pending' });
    const challenge = await openPage(`/pay/${tx}/challenge`, page.cookie);
    expect(challenge.res.body).toContain('3-D Secure');
    expect(challenge.res.body).toContain('•••• 3220');
    expect(challenge.res.body).toContain('autocomplete="one-time-code"');
    const answer = await submit(`/pay/${tx}/challenge`, { oneTimeCode: code }, { token: challenge.token, cookie: page.cookie });
    expect(answer.statusCode).toBe(303);
    expect(resultParams(String(answer.headers.location)).signed.status).toBe(status);
    await t.paygate.deliverDueNotifications();
    expect(t.sent.map((s) => JSON.parse(s.body).status)).toEqual([status]);
  });

  it('Cancel link cancels the open payment and returns to the cancel URL', async () => {
    const tx = await newPayment();
    const res = await t.paygate.app.inject({ method: 'GET', url: `/pay/${tx}/cancel` });
    expect(res.statusCode).toBe(303);
    const { url, signed } = resultParams(String(res.headers.location));
    expect(url.pathname).toBe('/checkout/cancelled');
    expect(signed.status).toBe('cancelled');
    expect(verifyQuerySignature(t.secret, signed, t.clock.now)).toEqual({ ok: true });
    expect((await openPage(`/pay/${tx}`)).res.statusCode).toBe(409);
  });

  it('Japanese field errors after a failed submit', async () => {
    const tx = await newPayment({ locale: 'ja' });
    const page = await openPage(`/pay/${tx}`);
    const res = await submit(`/pay/${tx}?lang=ja`, { cardNumber: '', expiry: '', securityCode: '', cardholderName: '' }, page);
    expect(res.statusCode).toBe(422);
    for (const text of ['カード番号を入力してください。', '有効期限を MM/YY の形式で入力してください。', 'セキュリティコードを入力してください。', 'カードに記載されている名義を入力してください。']) expect(res.body).toContain(text);
  });

  it('an expired payment can no longer be paid on its page', async () => {
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    t.clock.advance(31 * 60_000);
    const res = await submit(`/pay/${tx}`, card('4242 4242 4242 4242'), page);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('no longer open');
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ status: 'expired', card: null });
  });

  it('shows a not-found page for an unknown transaction', async () => {
    const { res } = await openPage('/pay/tx_000000000000000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('pauses card submissions from one client after the rate limit (card-testing defence)', async () => {
    await t.close();
    t = await startTestPaygate({ cardSubmitRateLimit: { max: 3, timeWindowMs: 60_000 } });
    const tx = await newPayment();
    const page = await openPage(`/pay/${tx}`);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await submit(`/pay/${tx}`, card('4242 4242 4242 4241'), page)).statusCode);
    expect(statuses).toEqual([422, 422, 422, 429]);
    const limited = await submit(`/pay/${tx}?lang=en`, card('4242 4242 4242 4242'), page);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many attempts');
    expect(limited.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(t.logLines.join('')).toContain('card_submit_rate_limited');
    expect((await t.api('GET', `/v1/payments/${tx}`)).json()).toMatchObject({ status: 'pending' });
  });

  it('never stores or logs the card number or security code', async () => {
    const numbers = ['4242424242424242', '4000000000000002', '4000000000003220'];
    for (const n of numbers) {
      const tx = await newPayment();
      const page = await openPage(`/pay/${tx}`);
      await submit(`/pay/${tx}`, { ...card(n.replace(/(\d{4})/g, '$1 ').trim()), securityCode: '737' }, page);
    }
    await t.paygate.deliverDueNotifications();
    await t.paygate.close();
    const files = readdirSync(t.dir).map((f) => readFileSync(path.join(t.dir, f)));
    const haystacks = [...files.map((b) => b.toString('latin1')), t.logLines.join('\n')];
    for (const h of haystacks) {
      for (const n of numbers) {
        expect(h).not.toContain(n);
        expect(h).not.toContain(n.replace(/(\d{4})/g, '$1 ').trim());
        expect(h).not.toContain(n.replace(/(\d{4})/g, '$1+').replace(/\+$/, ''));
      }
    }
    // The CVC is only three digits, so look for it as a value, not as a substring of random ids.
    expect(t.logLines.join('\n')).not.toMatch(/[:=]"?737\b/);
    expect(t.logLines.join('')).toContain('card payment processed');
  });
});

describe('the cardholder name and card numbers', () => {
  it('refuses a card number typed into the name field and does not echo it in the re-rendered form', async () => {
    const tx = await newPayment({ locale: 'ja' });
    const page = await openPage(`/pay/${tx}`);
    for (const name of ['4242 4242 4242 4242', 'TARO 5555-5555-5555-4444', '4111.1111.1111.1111']) {
      const res = await submit(`/pay/${tx}?lang=ja`, { cardNumber: '4242 4242 4242 4241', expiry: '12/30', securityCode: '123', cardholderName: name }, page);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('カード番号はここに入力しないでください');
      expect(res.body.replace(/[^0-9]/g, '')).not.toContain(name.replace(/[^0-9]/g, ''));
    }
    const en = await submit(`/pay/${tx}?lang=en`, { ...card('4242424242424242'), cardholderName: '4242424242424242' }, page);
    expect(en.statusCode).toBe(422);
    expect(en.body).toContain('Do not enter card numbers here');
  });
});
