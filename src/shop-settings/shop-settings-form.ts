// The shop settings form: what the owner typed, checked field by field. Every free-text field goes
// through the card-number guard (a card number typed here would be printed on every legal page,
// receipt and mail); errors are codes the page words in ja/en, listed in form order.
import { z } from 'zod';
import { containsCardNumber, phoneHoldsCardNumber } from '../card-data/card-number-guard.ts';
import { parseInvoiceRegistrationNumber } from './invoice-registration-number.ts';
import type { InvoiceRegistrant } from './shop-settings-tables.ts';
import type { TaxDisplay } from './shop-profile.ts';

export const SETTINGS_FIELDS = [
  'shopName', 'companyName', 'representative', 'postalCode', 'address', 'phone', 'email', 'hours',
  'invoiceRegistrant', 'invoiceRegistrationNumber', 'timeZone', 'taxDisplay', 'bankTransferAccount', 'logo',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export type SettingsFormValues = Record<Exclude<SettingsField, 'logo'>, string> & { removeLogo: string };

export type SettingsErrorCode =
  | 'required' | 'tooLong' | 'cardNumber' | 'postalCode' | 'phone' | 'email' | 'invoiceFormat' | 'invoiceCheckDigit'
  | 'timeZone' | 'choice' | 'logoTooLarge' | 'logoType' | 'logoMalware' | 'logoScanUnavailable';
export interface SettingsFieldError { field: SettingsField; code: SettingsErrorCode; max?: number }

export interface ShopSettingsInput {
  shopName: string;
  companyName: string;
  representative: string;
  postalCode: string;
  address: string;
  phone: string;
  email: string;
  hours: string;
  invoiceRegistrant: InvoiceRegistrant;
  invoiceRegistrationNumber: string;
  timeZone: string;
  taxDisplay: TaxDisplay;
  bankTransferAccount: string;
}

const MAX: Record<Exclude<SettingsField, 'logo' | 'invoiceRegistrant' | 'taxDisplay'>, number> = {
  shopName: 100, companyName: 100, representative: 100, postalCode: 10, address: 200, phone: 30, email: 254, hours: 100,
  invoiceRegistrationNumber: 30, timeZone: 64, bankTransferAccount: 500,
};

const text = z.string().catch('').transform((s) => s.replace(/\u0000/g, '').replace(/\r\n?/g, '\n').trim());
const RawForm = z.object(Object.fromEntries([...SETTINGS_FIELDS.filter((f) => f !== 'logo'), 'removeLogo'].map((f) => [f, text])) as Record<keyof SettingsFormValues, typeof text>);
const EmailCheck = z.email();

/** IANA zone names as this Node's ICU knows them (what Intl.DateTimeFormat will accept when the shop formats dates). */
export function isIanaTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  return Intl.supportedValuesOf('timeZone').includes(zone);
}

export function settingsFormValues(body: unknown): SettingsFormValues {
  return RawForm.parse(body && typeof body === 'object' ? body : {}) as SettingsFormValues;
}

export function parseShopSettingsForm(raw: SettingsFormValues): { ok: true; value: ShopSettingsInput } | { ok: false; errors: SettingsFieldError[] } {
  const errors: SettingsFieldError[] = [];
  const value = { ...raw } as Record<string, string>;
  for (const field of Object.keys(MAX) as (keyof typeof MAX)[]) {
    const v = raw[field];
    if (field === 'phone' ? phoneHoldsCardNumber(v) : containsCardNumber(v)) errors.push({ field, code: 'cardNumber' });
    else if (v.length > MAX[field]) errors.push({ field, code: 'tooLong', max: MAX[field] });
  }
  const bad = (f: SettingsField) => errors.some((e) => e.field === f);
  if (!bad('shopName') && !raw.shopName) errors.push({ field: 'shopName', code: 'required' });
  if (!bad('postalCode') && raw.postalCode) {
    const digits = raw.postalCode.normalize('NFKC').replace(/[-‐ー−\s]/g, '');
    if (/^[0-9]{7}$/.test(digits)) value.postalCode = `${digits.slice(0, 3)}-${digits.slice(3)}`;
    else errors.push({ field: 'postalCode', code: 'postalCode' });
  }
  if (!bad('phone') && raw.phone) {
    const phone = raw.phone.normalize('NFKC');
    if (/^\+?[0-9][0-9\- ()]{5,}$/.test(phone) && phone.replace(/[^0-9]/g, '').length <= 15) value.phone = phone;
    else errors.push({ field: 'phone', code: 'phone' });
  }
  if (!bad('email') && raw.email && !EmailCheck.safeParse(raw.email).success) errors.push({ field: 'email', code: 'email' });
  const registrant = raw.invoiceRegistrant === 'individual' ? 'individual' : raw.invoiceRegistrant === 'corporation' ? 'corporation' : undefined;
  if (!registrant) errors.push({ field: 'invoiceRegistrant', code: 'choice' });
  if (!bad('invoiceRegistrationNumber') && raw.invoiceRegistrationNumber) {
    const parsed = parseInvoiceRegistrationNumber(raw.invoiceRegistrationNumber, registrant ?? 'individual');
    if (parsed.ok) value.invoiceRegistrationNumber = parsed.value;
    else errors.push({ field: 'invoiceRegistrationNumber', code: parsed.error === 'FORMAT' ? 'invoiceFormat' : 'invoiceCheckDigit' });
  }
  if (!bad('timeZone') && !raw.timeZone) errors.push({ field: 'timeZone', code: 'required' });
  else if (!bad('timeZone') && !isIanaTimeZone(raw.timeZone)) errors.push({ field: 'timeZone', code: 'timeZone' });
  if (raw.taxDisplay !== 'inclusive' && raw.taxDisplay !== 'exclusive') errors.push({ field: 'taxDisplay', code: 'choice' });
  if (errors.length) return { ok: false, errors: inFormOrder(errors) };
  const { removeLogo: _removeLogo, ...input } = value;
  return { ok: true, value: { ...input, invoiceRegistrant: registrant!, taxDisplay: raw.taxDisplay as TaxDisplay } as ShopSettingsInput };
}

export function inFormOrder(errors: SettingsFieldError[]): SettingsFieldError[] {
  return [...errors].sort((a, b) => SETTINGS_FIELDS.indexOf(a.field) - SETTINGS_FIELDS.indexOf(b.field));
}
