// The admin form of a shipping method, parsed with zod into what service.ts saves. Every problem is
// reported at once, per field, so the merchant loses nothing they typed.
import { z } from 'zod';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { normalizePrefecture } from '../checkout/prefectures.ts';
import { REGIONS } from './regions.ts';
import { isTimeSlotCode } from './time-slots.ts';
import { isValidTrackingTemplate } from './tracking-template.ts';
import type { ShippingMethodInput } from './service.ts';
import type { ShippingFeeRow, ShippingMethod } from './shipping-method.ts';
import { sizeClassesOf } from './shipping-method.ts';

export type MethodFormErrorCode = 'required' | 'tooLong' | 'yen' | 'days' | 'window' | 'template' | 'slots' | 'sizes' | 'overrides' | 'cardNumber';

/** The form as typed (strings), to re-render it. */
export type MethodFormValues = Record<string, string>;

const str = z.string().transform((s) => s.replace(/\u0000/g, '').trim()).catch('');
const FormShape = z.record(z.string(), z.union([z.string(), z.array(z.string()).transform((a) => a[a.length - 1] ?? '')]).pipe(str));

export const feeField = (area: string, size: number) => `fee_${area}_${size}`;

/** The form's values for an existing method (or the blank form for a new one). */
export function methodFormValues(m: ShippingMethod | undefined): MethodFormValues {
  if (!m) return { nameJa: '', nameEn: '', carrier: '', trackingUrlTemplate: '', freeOver: '', dateSelectable: '', dateMinDays: '2', dateMaxDays: '14', timeSlots: 'am, 14-16, 16-18, 18-20, 19-21', enabled: 'on', position: '10', sizeClasses: '60, 80, 100', overrides: '' };
  const v: MethodFormValues = {
    nameJa: m.nameJa, nameEn: m.nameEn, carrier: m.carrier, trackingUrlTemplate: m.trackingUrlTemplate ?? '', freeOver: m.freeOver === null ? '' : String(m.freeOver),
    dateSelectable: m.dateSelectable ? 'on' : '', dateMinDays: String(m.dateMinDays), dateMaxDays: String(m.dateMaxDays), timeSlots: m.timeSlots.join(', '),
    enabled: m.enabled ? 'on' : '', position: String(m.position), sizeClasses: sizeClassesOf(m).join(', '),
    overrides: m.fees.filter((f) => !REGIONS.some((r) => r.code === f.area)).map((f) => `${f.area} ${f.sizeClass} ${f.fee}`).join('\n'),
  };
  for (const f of m.fees) if (REGIONS.some((r) => r.code === f.area)) v[feeField(f.area, f.sizeClass)] = String(f.fee);
  return v;
}

/** The size classes a (possibly invalid) form names, for drawing its fee grid. */
export function formSizeClasses(v: MethodFormValues): number[] {
  return [...new Set((v.sizeClasses ?? '').split(/[,、\s]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 1000))].sort((a, b) => a - b);
}

export function parseMethodForm(body: unknown): { values: MethodFormValues } & ({ ok: true; method: ShippingMethodInput } | { ok: false; errors: Record<string, MethodFormErrorCode> }) {
  const values = FormShape.catch({}).parse(body && typeof body === 'object' ? body : {});
  delete values._csrf;
  const errors: Record<string, MethodFormErrorCode> = {};
  const get = (k: string) => values[k] ?? '';
  for (const [k, v] of Object.entries(values)) if (containsCardNumber(v)) errors[k] = 'cardNumber';
  const text = (k: string, max: number, required = true) => {
    const v = get(k);
    if (errors[k]) return v;
    if (required && !v) errors[k] = 'required';
    else if (v.length > max) errors[k] = 'tooLong';
    return v;
  };
  const int = (k: string, code: 'yen' | 'days', max: number, optional = false): number | null => {
    const v = get(k).normalize('NFKC').replace(/[,，円¥]/g, '');
    if (errors[k]) return null;
    if (optional && v === '') return null;
    if (!/^\d{1,9}$/.test(v) || Number(v) > max) { errors[k] = code; return null; }
    return Number(v);
  };
  const nameJa = text('nameJa', 60);
  const nameEn = text('nameEn', 60);
  const carrier = text('carrier', 60);
  const template = text('trackingUrlTemplate', 500, false);
  if (template && !errors.trackingUrlTemplate && !isValidTrackingTemplate(template)) errors.trackingUrlTemplate = 'template';
  const freeOver = int('freeOver', 'yen', 100_000_000, true);
  const dateSelectable = get('dateSelectable') === 'on';
  const dateMinDays = int('dateMinDays', 'days', 90) ?? 0;
  const dateMaxDays = int('dateMaxDays', 'days', 90) ?? 0;
  if (dateSelectable && !errors.dateMinDays && !errors.dateMaxDays && dateMaxDays < dateMinDays) errors.dateMaxDays = 'window';
  const slots = get('timeSlots').normalize('NFKC').split(/[,、\s]+/).filter(Boolean);
  if (!errors.timeSlots && (slots.length > 12 || slots.some((s) => !isTimeSlotCode(s)))) errors.timeSlots = 'slots';
  const position = int('position', 'days', 9999) ?? 0;
  if (errors.position) errors.position = 'yen';
  const sizes = formSizeClasses(values);
  const rawSizes = get('sizeClasses').split(/[,、\s]+/).filter(Boolean);
  if (!errors.sizeClasses && (sizes.length === 0 || sizes.length !== new Set(rawSizes).size || sizes.length > 8)) errors.sizeClasses = 'sizes';

  const fees: ShippingFeeRow[] = [];
  if (!errors.sizeClasses) {
    for (const r of REGIONS) for (const size of sizes) {
      const fee = int(feeField(r.code, size), 'yen', 1_000_000);
      if (fee !== null) fees.push({ sizeClass: size, area: r.code, fee });
    }
    const seen = new Set<string>();
    for (const line of get('overrides').split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^(\S+)\s+(\d{1,3})\s+(\d{1,7})$/.exec(line.normalize('NFKC'));
      const prefecture = m ? normalizePrefecture(m[1]!) : undefined;
      if (!m || !prefecture || !sizes.includes(Number(m[2])) || seen.has(`${prefecture}/${m[2]}`)) { errors.overrides ??= 'overrides'; continue; }
      seen.add(`${prefecture}/${m[2]}`);
      fees.push({ sizeClass: Number(m[2]), area: prefecture, fee: Number(m[3]) });
    }
  }
  if (Object.keys(errors).length) return { values, ok: false, errors };
  return {
    values, ok: true,
    method: {
      nameJa, nameEn, carrier, trackingUrlTemplate: template || null, freeOver, dateSelectable,
      dateMinDays: dateSelectable ? dateMinDays : 0, dateMaxDays: dateSelectable ? dateMaxDays : 0,
      timeSlots: [...new Set(slots)], enabled: get('enabled') === 'on', position, fees,
    },
  };
}
