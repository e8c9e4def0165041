import { describe, expect, it } from 'vitest';
import { createSignedEventHeaders, SIGNED_EVENT_HEADERS as H, verifyEventSignature } from './hmac-event-signing.ts';

const secret = 'sk_test_abc';
const now = new Date('2026-11-25T12:00:00Z');
const body = Buffer.from('{"eventId":"evt_1","status":"captured"}');

function signed(at = now) {
  const h = createSignedEventHeaders({ secret, eventId: 'evt_1', body, now: at });
  return { secret, now, body, eventId: h[H.eventId]!, timestamp: h[H.timestamp]!, signature: h[H.signature]! };
}

describe('verifyEventSignature', () => {
  it('accepts the signed event', () => {
    expect(verifyEventSignature(signed())).toEqual({ ok: true });
  });
  it('refuses a changed body, event id or timestamp', () => {
    expect(verifyEventSignature({ ...signed(), body: Buffer.from('{"eventId":"evt_1","status":"refunded"}') })).toMatchObject({ error: 'BAD_SIGNATURE' });
    expect(verifyEventSignature({ ...signed(), eventId: 'evt_2' })).toMatchObject({ error: 'BAD_SIGNATURE' });
    const s = signed();
    expect(verifyEventSignature({ ...s, timestamp: String(Number(s.timestamp) - 1) })).toMatchObject({ error: 'BAD_SIGNATURE' });
  });
  it('refuses a stale replay even with a valid signature', () => {
    const old = signed(new Date(now.getTime() - 10 * 60_000));
    expect(verifyEventSignature(old)).toMatchObject({ ok: false, error: 'STALE_TIMESTAMP' });
  });
  it('refuses a malformed event id', () => {
    expect(verifyEventSignature({ ...signed(), eventId: 'evt 1\n' })).toMatchObject({ error: 'MALFORMED' });
  });
});
