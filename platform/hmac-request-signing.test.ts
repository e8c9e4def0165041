import { describe, expect, it } from 'vitest';
import { createSignedRequestHeaders, SIGNED_REQUEST_HEADERS as H, verifyRequestSignature } from './hmac-request-signing.ts';

const secret = 'sk_test_0123456789';
const now = new Date('2026-11-25T12:00:00Z');

function signed(body = '{"amount":1200}', at = now) {
  const h = createSignedRequestHeaders({ keyId: 'mch_1', secret, method: 'POST', path: '/v1/payments', body, now: at });
  return { method: 'POST', path: '/v1/payments', timestamp: h[H.timestamp]!, nonce: h[H.nonce]!, signature: h[H.signature]!, body, secret, now };
}

describe('verifyRequestSignature', () => {
  it('accepts a correctly signed request', () => {
    expect(verifyRequestSignature(signed())).toEqual({ ok: true });
  });

  it.each([
    ['body changed', { body: '{"amount":1}' }],
    ['path changed', { path: '/v1/payments/tx_other/refunds' }],
    ['method changed', { method: 'GET' }],
    ['nonce changed', { nonce: 'ffffffffffffffffffffffffffffffff' }],
    ['wrong secret', { secret: 'sk_test_other' }],
    ['garbage signature', { signature: 'zz' }],
    ['empty signature', { signature: '' }],
  ])('refuses a bad signature (%s)', (_name, change) => {
    const r = verifyRequestSignature({ ...signed(), ...change });
    expect(r).toMatchObject({ ok: false, error: 'BAD_SIGNATURE' });
  });

  it('refuses a timestamp older or newer than five minutes', () => {
    const old = signed('{}', new Date(now.getTime() - 5 * 60_000 - 1000));
    expect(verifyRequestSignature(old)).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
    const future = signed('{}', new Date(now.getTime() + 5 * 60_000 + 1000));
    expect(verifyRequestSignature(future)).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
    const edge = signed('{}', new Date(now.getTime() - 4 * 60_000));
    expect(verifyRequestSignature(edge)).toEqual({ ok: true });
  });

  it('refuses malformed timestamps and nonces before computing anything', () => {
    expect(verifyRequestSignature({ ...signed(), timestamp: '2026-11-25' })).toMatchObject({ ok: false, error: 'MALFORMED' });
    expect(verifyRequestSignature({ ...signed(), nonce: 'x' })).toMatchObject({ ok: false, error: 'MALFORMED' });
  });
});
