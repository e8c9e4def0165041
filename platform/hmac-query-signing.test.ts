import { describe, expect, it } from 'vitest';
import { signQueryParams, verifyQuerySignature } from './hmac-query-signing.ts';

const now = new Date('2026-11-25T12:00:00Z');

describe('signed query parameters', () => {
  it('round-trips through a URL', () => {
    const url = new URL('http://127.0.0.1:3000/checkout/return?order=A-1');
    for (const [k, v] of Object.entries(signQueryParams('s', { tx: 'tx_1', status: 'captured' }, now))) url.searchParams.set(k, v);
    const params = Object.fromEntries(new URL(url.href).searchParams);
    const { order: _order, ...signed } = params;
    expect(verifyQuerySignature('s', signed, now)).toEqual({ ok: true });
  });
  it('refuses an edited status, an added parameter, a stale ts and a missing sig', () => {
    const p = signQueryParams('s', { tx: 'tx_1', status: 'declined' }, now);
    expect(verifyQuerySignature('s', { ...p, status: 'captured' }, now)).toMatchObject({ error: 'BAD_SIGNATURE' });
    expect(verifyQuerySignature('s', { ...p, amount: '1' }, now)).toMatchObject({ error: 'BAD_SIGNATURE' });
    expect(verifyQuerySignature('s', p, new Date(now.getTime() + 3_600_000))).toMatchObject({ error: 'STALE_TIMESTAMP' });
    const { sig: _sig, ...unsigned } = p;
    expect(verifyQuerySignature('s', unsigned, now)).toMatchObject({ error: 'MALFORMED' });
  });
});
