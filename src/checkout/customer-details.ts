// One schema for the customer's details, used by the HTML checkout form and the JSON API,
// so both refuse exactly the same input. Error messages are codes; each surface words them.
// Fields are parsed as plain strings first and checked together afterwards, so a customer
// sees every problem at once rather than one field per submit.
import { z } from 'zod';
import { normalizePrefecture } from './prefectures.ts';
import { containsCardNumber, phoneHoldsCardNumber } from '../card-data/card-number-guard.ts';
import { formatPostalCode, parsePostalCode } from './postal-code.ts';
import { isFurigana, normalizeFurigana, normalizeNamePart } from './furigana.ts';

export type FieldErrorCode = 'required' | 'email' | 'phone' | 'postalCode' | 'prefecture' | 'tooLong' | 'cardNumber' | 'kana';

/**
 * Which name fields a surface insists on. The HTML form asks for 姓/名 and, for a Japanese
 * address, their フリガナ; the Store API keeps accepting a single `name` (existing clients),
 * and checks the parts and kana only when they are sent.
 */
export interface DetailsRequirements { nameParts: boolean; kanaForJapan: boolean }
const API_REQUIREMENTS: DetailsRequirements = { nameParts: false, kanaForJapan: false };
export const FORM_REQUIREMENTS: DetailsRequirements = { nameParts: true, kanaForJapan: true };

// NUL never belongs in a name or address, and PostgreSQL refuses it in text columns.
const str = z.string({ error: 'required' }).transform((s) => s.replace(/\u0000/g, '').trim());

const RawDetails = z.object({
  email: str,
  name: str.default(''),
  familyName: str.default(''),
  givenName: str.default(''),
  familyNameKana: str.default(''),
  givenNameKana: str.default(''),
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
const MAX = { email: 254, name: 100, namePart: 50, phone: 20, postalCode: 16, prefecture: 40, city: 100, line1: 200, line2: 200 } as const;

export const customerDetailsSchema = (req: DetailsRequirements) => RawDetails.transform((d, ctx) => {
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
  for (const k of ['familyName', 'givenName', 'familyNameKana', 'givenNameKana'] as const) refuseCard([k], containsCardNumber(d[k]));
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
  // 姓・名: when either part is sent both are required, and `name` becomes the two joined
  // (family first, as Japanese addresses write it). A lone `name` stays what it was.
  const familyName = normalizeNamePart(d.familyName);
  const givenName = normalizeNamePart(d.givenName);
  const withParts = req.nameParts || familyName !== '' || givenName !== '';
  let name = d.name;
  if (withParts) {
    const a = checkText(['familyName'], familyName, MAX.namePart);
    const b = checkText(['givenName'], givenName, MAX.namePart);
    if (a && b) name = `${familyName} ${givenName}`;
  } else {
    checkText(['name'], d.name, MAX.name);
  }
  checkText(['shippingAddress', 'city'], a.city, MAX.city);
  checkText(['shippingAddress', 'line1'], a.line1, MAX.line1);
  checkText(['shippingAddress', 'line2'], a.line2, MAX.line2, false);

  const country = a.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) && !cardFields.has('shippingAddress.country')) fail(['shippingAddress', 'country'], 'required');
  const japan = country === 'JP';

  // フリガナ: hiragana and half-width katakana are normalised to katakana; anything else
  // (latin, kanji) is refused. Both or neither, unless this surface requires them: the form asks
  // for them for a delivery in Japan to a name written in Japanese script (a kanji name needs its
  // reading; a name in Latin letters is read as written).
  const familyNameKana = normalizeFurigana(d.familyNameKana);
  const givenNameKana = normalizeFurigana(d.givenNameKana);
  const japaneseScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(`${d.familyName}${d.givenName}`);
  const withKana = (req.kanaForJapan && japan && japaneseScript) || familyNameKana !== '' || givenNameKana !== '';
  if (withKana) {
    for (const [k, v] of [['familyNameKana', familyNameKana], ['givenNameKana', givenNameKana]] as const) {
      if (checkText([k], v, MAX.namePart) && !isFurigana(v)) fail([k], 'kana');
    }
  }

  const phone = d.phone.normalize('NFKC').replace(/[\s\-()]/g, '');
  if (checkText(['phone'], d.phone, MAX.phone) && !(japan ? /^0\d{9,10}$/ : /^\+?\d{6,15}$/).test(phone)) fail(['phone'], 'phone');

  let postalCode = a.postalCode;
  let prefecture = a.prefecture;
  if (japan) {
    // Full-width digits, 〒 and long-vowel/minus signs are common from Japanese input methods.
    const digits = parsePostalCode(a.postalCode);
    if (cardFields.has('shippingAddress.postalCode')) { /* already refused */ } else if (!digits) fail(['shippingAddress', 'postalCode'], a.postalCode ? 'postalCode' : 'required');
    else postalCode = formatPostalCode(digits);
    const p = normalizePrefecture(a.prefecture);
    if (cardFields.has('shippingAddress.prefecture')) { /* already refused */ } else if (!p) fail(['shippingAddress', 'prefecture'], 'prefecture');
    else prefecture = p;
  } else {
    checkText(['shippingAddress', 'postalCode'], a.postalCode, MAX.postalCode, false);
    checkText(['shippingAddress', 'prefecture'], a.prefecture, MAX.prefecture, false);
  }
  return {
    email: d.email.toLowerCase(), name, phone,
    familyName: withParts ? familyName : null, givenName: withParts ? givenName : null,
    familyNameKana: withKana ? familyNameKana : null, givenNameKana: withKana ? givenNameKana : null,
    shippingAddress: { country, postalCode, prefecture, city: a.city, line1: a.line1, line2: a.line2 },
  };
});

export const CustomerDetailsSchema = customerDetailsSchema(API_REQUIREMENTS);
const FormDetailsSchema = customerDetailsSchema(FORM_REQUIREMENTS);

export type CustomerDetails = z.output<typeof CustomerDetailsSchema>;

export interface DetailsFieldError { field: string; code: FieldErrorCode; max?: number }

const KNOWN_CODES: FieldErrorCode[] = ['required', 'email', 'phone', 'postalCode', 'prefecture', 'tooLong', 'cardNumber', 'kana'];

/** `requirements`: the Store API's (default; a single `name` is enough) or FORM_REQUIREMENTS. */
export function parseCustomerDetails(input: unknown, requirements: DetailsRequirements = API_REQUIREMENTS): { ok: true; value: CustomerDetails } | { ok: false; errors: DetailsFieldError[] } {
  const r = (requirements === FORM_REQUIREMENTS ? FormDetailsSchema : customerDetailsSchema(requirements)).safeParse(input);
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
