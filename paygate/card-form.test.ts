import { describe, expect, it } from 'vitest';
import { validateCardForm } from './card-form.ts';

const now = new Date('2026-11-25T12:00:00Z');
const good = { cardNumber: '4242 4242 4242 4242', expiry: '12/30', securityCode: '123', cardholderName: 'TARO YAMADA' };

describe('validateCardForm', () => {
  it('accepts a test card and keeps only what the gateway needs', () => {
    const r = validateCardForm(good, now);
    expect(r).toMatchObject({ ok: true, card: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, outcome: 'approve', cardholderName: 'TARO YAMADA' } });
  });

  it.each([
    [{ cardNumber: '' }, 'cardNumber', 'CARD_NUMBER_REQUIRED'],
    [{ cardNumber: '4242 4242 4242 4241' }, 'cardNumber', 'CARD_NUMBER_INVALID'],
    [{ cardNumber: '4242-abcd' }, 'cardNumber', 'CARD_NUMBER_INVALID'],
    [{ cardNumber: '4111 1111 1111 1111' }, 'cardNumber', 'CARD_NOT_A_TEST_CARD'],
    [{ expiry: '' }, 'expiry', 'EXPIRY_REQUIRED'],
    [{ expiry: '13/30' }, 'expiry', 'EXPIRY_INVALID'],
    [{ expiry: '10/26' }, 'expiry', 'EXPIRY_PAST'],
    [{ securityCode: '' }, 'securityCode', 'SECURITY_CODE_REQUIRED'],
    [{ securityCode: '12' }, 'securityCode', 'SECURITY_CODE_INVALID_3'],
    [{ securityCode: '1234' }, 'securityCode', 'SECURITY_CODE_INVALID_3'],
    [{ cardNumber: '3782 822463 10005', securityCode: '123' }, 'securityCode', 'SECURITY_CODE_INVALID_4'],
    [{ cardholderName: '  ' }, 'cardholderName', 'CARDHOLDER_NAME_REQUIRED'],
    [{ cardholderName: 'A\u0000B' }, 'cardholderName', 'CARDHOLDER_NAME_INVALID'],
  ] as const)('%j → %s %s', (change, field, code) => {
    const r = validateCardForm({ ...good, ...change }, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toBe(code);
  });

  it.each([
    ['4000 0000 0000 0002', 'decline'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000 0000 0000 3220', 'challenge'],
  ])('maps test card %s to %s', (cardNumber, outcome) => {
    expect(validateCardForm({ ...good, cardNumber }, now)).toMatchObject({ ok: true, card: { outcome } });
  });

  it('reports every field at once', () => {
    const r = validateCardForm({ cardNumber: '', expiry: '', securityCode: '', cardholderName: '' }, now);
    expect(r.ok === false && Object.keys(r.errors).sort()).toEqual(['cardNumber', 'cardholderName', 'expiry', 'securityCode']);
  });
});
