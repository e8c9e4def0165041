// One schema for the customer's details, used by the HTML checkout form and the JSON API,
// so both refuse exactly the same input. Error messages are codes; each surface words them.
// Fields are parsed as plain strings first and checked together afterwards, so a customer
// sees every problem at once rather than one field per submit.
import { z } from 'zod';
import { normalizePrefecture } from './prefectures.ts';
import { containsCardNumber, phoneHoldsCardNumber } from '../card-data/card-number-guard.ts';

export type FieldErrorCode = 'required' | 'email' | 'phone' | 'postalCode' | 'prefecture' | 'tooLong' | 'cardNumber';

// NUL never belongs in a name or address, and PostgreSQL refuses it in text columns.
const str = z.string({ error: 'required' }).transform((s) => s.replace(/\u0000/g, '').trim());

const RawDetails = z.object({
  email: str,
  name: str,
  phone: str,
  shippingAddress: z.object({
    country: str.default('JP'),
    postalCode: str.default(''),
    prefecture: str.default(''),
    city: str,
    line1: str,
    line2: str.default(''),
  }, { error: 'required' }),
}, { error: 'required' });

const EmailCheck = z.email();
const MAX = { email: 254, name: 100, phone: 20, postalCode: 16, prefecture: 40, city: 100, line1: 200, line2: 200 } as const;

export const CustomerDetailsSchema = RawDetails.transform((d, ctx) => {
  const a = d.shippingAddress;
  const fail = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  // A card number in any field is refused before any other check, so it is never stored,
  // mailed or echoed as "valid" elsewhere (see card-number-guard.ts).
  const cardFields = new Set<string>();
  const refuseCard = (path: string[], holds: boolean) => {
    if (!holds) return false;
    cardFields.add(path.join('.'));
    fail(path, 'cardNumber');
    return true;
  };
  refuseCard(['email'], containsCardNumber(d.email));
  refuseCard(['name'], containsCardNumber(d.name));
  refuseCard(['phone'], phoneHoldsCardNumber(d.phone));
  for (const k of ['country', 'postalCode', 'prefecture', 'city', 'line1', 'line2'] as const) refuseCard(['shippingAddress', k], containsCardNumber(a[k]));
  const checkText = (path: string[], value: string, max: number, required = true) => {
    if (cardFields.has(path.join('.'))) return false;
    if (required && value.length === 0) fail(path, 'required');
    else if (value.length > max) fail(path, `tooLong:${max}`);
    else return true;
    return false;
  };

  if (checkText(['email'], d.email, MAX.email) && !EmailCheck.safeParse(d.email).success) fail(['email'], 'email');
  checkText(['name'], d.name, MAX.name);
  checkText(['shippingAddress', 'city'], a.city, MAX.city);
  checkText(['shippingAddress', 'line1'], a.line1, MAX.line1);
  checkText(['shippingAddress', 'line2'], a.line2, MAX.line2, false);

  const country = a.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) && !cardFields.has('shippingAddress.country')) fail(['shippingAddress', 'country'], 'required');
  const japan = country === 'JP';

  const phone = d.phone.normalize('NFKC').replace(/[\s\-()]/g, '');
  if (checkText(['phone'], d.phone, MAX.phone) && !(japan ? /^0\d{9,10}$/ : /^\+?\d{6,15}$/).test(phone)) fail(['phone'], 'phone');

  let postalCode = a.postalCode;
  let prefecture = a.prefecture;
  if (japan) {
    // Full-width digits and long-vowel/minus signs are common from Japanese input methods.
    const m = /^(\d{3})-?(\d{4})$/.exec(a.postalCode.normalize('NFKC').replace(/[ー−‐]/g, '-'));
    if (cardFields.has('shippingAddress.postalCode')) { /* already refused */ } else if (!m) fail(['shippingAddress', 'postalCode'], a.postalCode ? 'postalCode' : 'required');
    else postalCode = `${m[1]}-${m[2]}`;
    const p = normalizePrefecture(a.prefecture);
    if (cardFields.has('shippingAddress.prefecture')) { /* already refused */ } else if (!p) fail(['shippingAddress', 'prefecture'], 'prefecture');
    else prefecture = p;
  } else {
    checkText(['shippingAddress', 'postalCode'], a.postalCode, MAX.postalCode, false);
    checkText(['shippingAddress', 'prefecture'], a.prefecture, MAX.prefecture, false);
  }
  return { email: d.email.toLowerCase(), name: d.name, phone, shippingAddress: { country, postalCode, prefecture, city: a.city, line1: a.line1, line2: a.line2 } };
});

export type CustomerDetails = z.output<typeof CustomerDetailsSchema>;

export interface DetailsFieldError { field: string; code: FieldErrorCode; max?: number }

const KNOWN_CODES: FieldErrorCode[] = ['required', 'email', 'phone', 'postalCode', 'prefecture', 'tooLong', 'cardNumber'];

export function parseCustomerDetails(input: unknown): { ok: true; value: CustomerDetails } | { ok: false; errors: DetailsFieldError[] } {
  const r = CustomerDetailsSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const seen = new Set<string>();
  const errors: DetailsFieldError[] = [];
  for (const issue of r.error.issues) {
    const field = issue.path.join('.') || 'body';
    if (seen.has(field)) continue;
    seen.add(field);
    const [code, max] = issue.message.split(':');
    errors.push({ field, code: KNOWN_CODES.includes(code as FieldErrorCode) ? (code as FieldErrorCode) : 'required', ...(max ? { max: Number(max) } : {}) });
  }
  return { ok: false, errors };
}
