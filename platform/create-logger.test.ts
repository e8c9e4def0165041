import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts card fields and secrets at several nesting levels', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    log.info({ cardNumber: '4242424242424242', body: { cvc: '123', securityCode: '123', expiry: '12/30' }, req: { headers: { 'x-mamori-signature': 'abc', cookie: 'paygate_csrf=zzz' } }, merchant: { secret: 's3cr3t' } }, 'hello');
    const out = lines.join('');
    expect(out).toContain('hello');
    expect(out).not.toContain('4242424242424242');
    expect(out).not.toContain('"123"');
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('zzz');
    expect(out).toContain('[redacted]');
  });

  it('keeps ordinary fields and error codes', () => {
    const { lines, destination } = capture();
    createLogger({ name: 't', destination, redactFields: ['email'] }).warn({ err: { code: 'E_X' }, orderReference: 'A-1', email: 'a@b.jp' }, 'x');
    const out = lines.join('');
    expect(out).toContain('E_X');
    expect(out).toContain('A-1');
    expect(out).not.toContain('a@b.jp');
  });
});

describe('createLogger and card numbers without a field name', () => {
  it('redacts card-number-shaped strings in any value, message, URL and error', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    log.info({ note: 'typed 4242 4242 4242 4242 in the name', deep: { a: ['5555-5555-5555-4444'] }, n: 4111111111111111 }, 'x');
    log.info('message 4242.4242.4242.4242');
    log.info({ req: Object.assign(Object.create({}), { method: 'GET', url: '/pay/x?q=4242+4242+4242+4242&r=%34%32%34%32%34%32%34%32%34%32%34%32%34%32%34%32' }) }, 'incoming request');
    log.error({ err: new Error('Unexpected token in "4242424242424242"') }, 'failed');
    const digits = lines.map((l) => l.replace(/"time":\d+/, '').replace(/\D/g, '')).join(' ');
    expect(lines.length).toBe(4);
    for (const card of ['4242424242424242', '5555555555554444', '4111111111111111']) expect(digits).not.toContain(card);
  });
});
