import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { InjectOptions } from 'fastify';
import { loggerOptions, redactUrl } from './logger.ts';
import { containsCardNumber } from '../../platform/card-number-detector.ts';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: pino(loggerOptions('info'), stream), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('keeps personal data, secrets and card numbers out of log lines', () => {
    const { log, text } = capture();
    log.info({ email: 'hanako@example.jp', customer: { name: '山田 花子', phone: '09012345678', shippingAddress: { line1: '千代田1-1' } }, headers: { cookie: 'cart=abc', Authorization: 'Bearer xyz' }, payment: { card_number: '4242424242424242' } }, 'checkout');
    log.warn({ note: 'customer typed 4242 4242 4242 4242 into the name field' }, 'odd input');
    log.info('pan in message 4000-0000-0000-0002');
    log.info({ req: { method: 'GET', url: '/orders/x?token=secret-token-value&lang=en' } }, 'req');
    const out = text();
    for (const leaked of ['hanako@example.jp', '山田', '09012345678', '千代田', 'cart=abc', 'Bearer xyz', '4242424242424242', '4242 4242 4242 4242', '4000-0000-0000-0002']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('checkout');
    expect(out).toContain('[redacted]');
  });

  it('redacts every query value except harmless ones', () => {
    expect(redactUrl('/orders/1?token=abc&lang=en')).toBe('/orders/1?token=%5Bredacted%5D&lang=en');
    expect(redactUrl('/?q=matcha&page=2')).toBe('/?q=matcha&page=2');
  });
});

// The promise end to end: a shop with the real pino logger, requests carrying card numbers in
// every part and spelling (including the ones that end in 400, 404 and bad JSON), and a sweep
// of everything that reached the log.
const CARDS = ['4242424242424242', '5555555555554444', '4111111111111111', '378282246310005', '3530111333300000'];
const SPELLINGS = (d: string) => [d, d.replace(/(\d{4})(?=\d)/g, '$1 '), d.replace(/(\d{4})(?=\d)/g, '$1-'), d.replace(/(\d{4})(?=\d)/g, '$1.')];

for (const database of DATABASES) {
  describe(`the shop's request log on ${database.name}`, () => {
    let shop: TestShop;
    const lines: string[] = [];
    beforeAll(async () => {
      const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
      shop = await startTestShop(database, { logger: pino(loggerOptions('debug'), stream) });
    });
    afterAll(async () => { await shop?.dispose(); });

    it('never holds a card-number-shaped string from any part of any request', async () => {
      const inject = (o: InjectOptions) => shop.app.inject(o);
      let requests = 0;
      for (const card of CARDS) {
        for (const s of SPELLINGS(card)) {
          const enc = encodeURIComponent(s);
          const plus = s.replace(/ /g, '+');
          for (const url of [`/?q=${enc}`, `/?q=${plus}`, `/?q=${s.replace(/ /g, '%20')}`, `/api/store/products?q=${plus}`, `/api/store/products?q=${enc}&limit=${enc}`,
            `/products/${enc}`, `/nope/${enc}?x=${enc}`, `/orders/${enc}?token=${enc}`, `/api/store/carts/${enc}`, `/static/${enc}`, `/?${enc}=1`]) {
            await inject({ method: 'GET', url, headers: { 'user-agent': `ua ${s}`, referer: `https://example.jp/?q=${enc}`, 'x-note': s, cookie: `cart=${enc}` } });
            requests++;
          }
          await inject({ method: 'POST', url: '/api/store/carts/00000000-0000-4000-8000-000000000000/checkout', headers: { 'content-type': 'application/json' }, payload: `{"name":"${s}", broken` });
          await inject({ method: 'POST', url: '/api/store/carts/00000000-0000-4000-8000-000000000000/checkout', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: s, email: 'a@b.jp', phone: s, shippingAddress: { city: s, line1: s } }) });
          await inject({ method: 'POST', url: '/api/store/carts', headers: { 'content-type': 'text/plain' }, payload: s });
          await inject({ method: 'POST', url: '/checkout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `name=${plus}&line1=${enc}&_csrf=${enc}` });
          await inject({ method: 'POST', url: '/orders/lookup', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `orderNumber=${enc}&email=${enc}` });
          requests += 5;
        }
      }
      const text = lines.join('');
      expect(text).toContain('request completed');
      // One line per request, carrying the (redacted) URL, method and status together.
      expect(text).not.toContain('incoming request');
      expect(lines.length).toBeGreaterThanOrEqual(requests);
      for (const line of lines) {
        // pino's timestamp and Fastify's response time are numbers of its own making (the
        // latter a 17-digit float that can pass Luhn); everything else came from the request.
        const rest = line.replace(/"time":\d+,?/, '').replace(/"responseTime":[\d.e-]+,?/, '');
        const digitsOnly = rest.replace(/\D/g, '');
        for (const card of CARDS) expect(digitsOnly, line).not.toContain(card);
        expect(containsCardNumber(rest), line).toBe(false);
      }
    });
  });
}
