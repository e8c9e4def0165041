import { describe, expect, it } from 'vitest';
import { parseCustomerDetails } from './customer-details.ts';

const good = {
  email: 'Hanako@Example.jp',
  name: '山田 花子',
  phone: '090-1234-5678',
  shippingAddress: { country: 'JP', postalCode: '１００−０００１', prefecture: 'Tokyo', city: '千代田区', line1: '千代田1-1', line2: '' },
};

describe('parseCustomerDetails', () => {
  it('normalises a Japanese address', () => {
    const r = parseCustomerDetails(good);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.email).toBe('hanako@example.jp');
    expect(r.value.phone).toBe('09012345678');
    expect(r.value.shippingAddress.postalCode).toBe('100-0001');
    expect(r.value.shippingAddress.prefecture).toBe('東京都');
  });

  it.each([
    ['postal code of 6 digits', { shippingAddress: { ...good.shippingAddress, postalCode: '100-001' } }, 'shippingAddress.postalCode', 'postalCode'],
    ['unknown prefecture', { shippingAddress: { ...good.shippingAddress, prefecture: 'Atlantis' } }, 'shippingAddress.prefecture', 'prefecture'],
    ['bad e-mail', { email: 'not-an-email' }, 'email', 'email'],
    ['empty name', { name: '   ' }, 'name', 'required'],
    ['short phone', { phone: '12345' }, 'phone', 'phone'],
    ['huge name', { name: 'x'.repeat(101) }, 'name', 'tooLong'],
  ])('refuses %s', (_label, patch, field, code) => {
    const r = parseCustomerDetails({ ...good, ...patch });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('takes a free-form foreign address without prefecture or Japanese postal code', () => {
    const r = parseCustomerDetails({ ...good, phone: '+44 20 7946 0958', shippingAddress: { country: 'gb', city: 'London', line1: '10 Downing St', postalCode: 'SW1A 2AA' } });
    expect(r.ok).toBe(true);
  });

  it('refuses a missing body without throwing', () => {
    const r = parseCustomerDetails(undefined);
    expect(r.ok).toBe(false);
  });
});
