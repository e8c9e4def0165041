// One schema for the customer's details, used by the HTML checkout form and the JSON API,
// so both refuse exactly the same input. Error messages are codes; each surface words them.
import { z } from 'zod';
import { normalizePrefecture } from './prefectures.ts';

export type FieldErrorCode = 'required' | 'email' | 'phone' | 'postalCode' | 'prefecture' | 'tooLong';

const text = (max: number, required = true) =>
  z.string({ error: 'required' }).trim().max(max, { error: `tooLong:${max}` }).refine((s) => !required || s.length > 0, { error: 'required' });

export const ShippingAddressSchema = z
  .object({
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { error: 'required' }).default('JP'),
    postalCode: z.string().trim().max(16, { error: 'tooLong:16' }).default(''),
    prefecture: z.string().trim().max(40, { error: 'tooLong:40' }).default(''),
    city: text(100),
    line1: text(200),
    line2: text(200, false).default(''),
  })
  .transform((a, ctx) => {
    if (a.country !== 'JP') return a;
    // Full-width digits and hyphens are common in Japanese input methods.
    const postal = a.postalCode.normalize('NFKC').replace(/[ー−‐]/g, '-');
    const m = /^(\d{3})-?(\d{4})$/.exec(postal);
    if (!m) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: a.postalCode ? 'postalCode' : 'required' });
    const prefecture = normalizePrefecture(a.prefecture);
    if (!prefecture) ctx.addIssue({ code: 'custom', path: ['prefecture'], message: 'prefecture' });
    return { ...a, postalCode: m ? `${m[1]}-${m[2]}` : a.postalCode, prefecture: prefecture ?? a.prefecture };
  });

export const CustomerDetailsSchema = z
  .object({
    email: z.string({ error: 'required' }).trim().max(254, { error: 'tooLong:254' }).pipe(z.email({ error: 'email' })),
    name: text(100),
    phone: z.string({ error: 'required' }).trim().max(20, { error: 'tooLong:20' }),
    shippingAddress: ShippingAddressSchema,
  })
  .transform((d, ctx) => {
    const digits = d.phone.normalize('NFKC').replace(/[\s\-()]/g, '');
    const ok = d.shippingAddress.country === 'JP' ? /^0\d{9,10}$/.test(digits) : /^\+?\d{6,15}$/.test(digits);
    if (!ok) ctx.addIssue({ code: 'custom', path: ['phone'], message: d.phone ? 'phone' : 'required' });
    return { ...d, email: d.email.toLowerCase(), phone: digits };
  });

export type CustomerDetails = z.output<typeof CustomerDetailsSchema>;

export interface DetailsFieldError { field: string; code: FieldErrorCode; max?: number }

export function parseCustomerDetails(input: unknown): { ok: true; value: CustomerDetails } | { ok: false; errors: DetailsFieldError[] } {
  const r = CustomerDetailsSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const seen = new Set<string>();
  const errors: DetailsFieldError[] = [];
  for (const issue of r.error.issues) {
    const field = issue.path.join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    const [code, max] = issue.message.split(':');
    const known: FieldErrorCode[] = ['required', 'email', 'phone', 'postalCode', 'prefecture', 'tooLong'];
    errors.push({ field, code: known.includes(code as FieldErrorCode) ? (code as FieldErrorCode) : 'required', ...(max ? { max: Number(max) } : {}) });
  }
  return { ok: false, errors };
}
