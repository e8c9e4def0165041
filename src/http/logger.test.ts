import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, redactUrl } from './logger.ts';

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
