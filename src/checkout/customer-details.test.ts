import { describe, expect, it } from 'vitest';
import { FORM_REQUIREMENTS, parseCustomerDetails } from './customer-details.ts';

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

  it('asks the form for フリガナ of a name in Japanese script delivered in Japan, not of one in Latin letters', () => {
    const parts = { familyName: '山田', givenName: '花子', familyNameKana: '', givenNameKana: '' };
    const kanji = parseCustomerDetails({ ...good, ...parts }, FORM_REQUIREMENTS);
    expect(kanji.ok).toBe(false);
    if (!kanji.ok) expect(kanji.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['familyNameKana', 'givenNameKana']));
    const latin = parseCustomerDetails({ ...good, ...parts, familyName: 'Yamada', givenName: 'Hanako' }, FORM_REQUIREMENTS);
    expect(latin.ok).toBe(true);
    const read = parseCustomerDetails({ ...good, ...parts, familyNameKana: 'やまだ', givenNameKana: 'ﾊﾅｺ' }, FORM_REQUIREMENTS);
    expect(read.ok && [read.value.familyNameKana, read.value.givenNameKana]).toEqual(['ヤマダ', 'ハナコ']);
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

describe('parseCustomerDetails and card numbers', () => {
  it.each([
    ['name', { name: '4242 4242 4242 4242' }, 'name'],
    ['name with text', { name: 'Hanako 4242-4242-4242-4242' }, 'name'],
    ['line1', { shippingAddress: { ...good.shippingAddress, line1: '5555555555554444' } }, 'shippingAddress.line1'],
    ['line2', { shippingAddress: { ...good.shippingAddress, line2: '4111.1111.1111.1111' } }, 'shippingAddress.line2'],
    ['city', { shippingAddress: { ...good.shippingAddress, city: '３７８２ ８２２４６３ １０００５' } }, 'shippingAddress.city'],
    ['phone', { phone: '378282246310005' }, 'phone'],
    ['foreign phone', { phone: '378282246310005', shippingAddress: { country: 'US', city: 'X', line1: 'Y' } }, 'phone'],
    ['e-mail', { email: '4242424242424242@example.jp' }, 'email'],
    ['foreign postal code', { shippingAddress: { country: 'US', city: 'X', line1: 'Y', postalCode: '4242424242424242' } }, 'shippingAddress.postalCode'],
    ['foreign prefecture', { shippingAddress: { country: 'US', city: 'X', line1: 'Y', prefecture: '4242424242424242' } }, 'shippingAddress.prefecture'],
  ])('refuses a card number in %s', (_label, patch, field) => {
    const r = parseCustomerDetails({ ...good, ...patch });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual({ field, code: 'cardNumber' });
  });

  it.each([
    ['a Japanese mobile', { phone: '090-1234-5678' }], ['a Tokyo landline', { phone: '03-1234-5678' }],
    ['a foreign number with country code', { phone: '+378 2822 4631 0005', shippingAddress: { country: 'SM', city: 'San Marino', line1: 'Via 1' } }],
    ['a UK number', { phone: '+44 20 7946 0958', shippingAddress: { country: 'GB', city: 'London', line1: '10 Downing St', postalCode: 'SW1A 2AA' } }],
    ['a long block number', { shippingAddress: { ...good.shippingAddress, line1: '千代田1-1-1 ABCビル 1203号室' } }],
    ['a postal code', { shippingAddress: { ...good.shippingAddress, postalCode: '100-0001' } }],
  ])('accepts %s', (_label, patch) => {
    expect(parseCustomerDetails({ ...good, ...patch }).ok).toBe(true);
  });
});
