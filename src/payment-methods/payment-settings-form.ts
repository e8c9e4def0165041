// The form of /admin/settings/payments, read into what savePaymentSettings validates. The form keeps
// what the merchant typed (strings) so a refused save re-renders it unchanged, with every problem
// reported per field at once.
import { containsCardNumber, CARD_NUMBER_ERROR } from '../card-data/card-number-guard.ts';
import { PAYMENT_METHOD_IDS, PaymentSettingsSchema, type PaymentMethodId, type PaymentSettings } from './payment-settings.ts';

/** Fee bands the form offers: the stored ones and empty rows up to the schema's limit. */
export const COD_FORM_BANDS = 10;
export const BANK_ACCOUNT_MAX = 500;

export interface PaymentSettingsFormValues {
  enabled: PaymentMethodId[];
  bankTransferDays: string;
  bankTransferNote: string;
  bankTransferAccount: string;
  konbiniDeadlineDays: string;
  codBands: { upTo: string; fee: string }[];
}

/** Field → message code (payment-method-messages.ts admin.errors). */
export type PaymentSettingsFormErrors = Record<string, string>;

export function paymentSettingsFormValues(s: PaymentSettings, bankTransferAccount: string | undefined): PaymentSettingsFormValues {
  return {
    enabled: [...s.enabled],
    bankTransferDays: String(s.bankTransferDays),
    bankTransferNote: s.bankTransferNote,
    bankTransferAccount: bankTransferAccount ?? '',
    konbiniDeadlineDays: String(s.konbiniDeadlineDays),
    codBands: Array.from({ length: COD_FORM_BANDS }, (_, i) => {
      const b = s.codFees[i];
      return b ? { upTo: String(b.upTo), fee: String(b.fee) } : { upTo: '', fee: '' };
    }),
  };
}

const text = (v: unknown): string => {
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof one === 'string' ? one.replace(/\u0000/g, '').trim() : '';
};

/** Whole yen or days as typed in Japan too: full-width digits, 「円」, thousands separators. */
function integer(s: string): number | undefined {
  const v = s.normalize('NFKC').replace(/[,，円¥\s]/g, '');
  return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

export type ParsedPaymentSettingsForm =
  | { ok: true; values: PaymentSettingsFormValues; settings: PaymentSettings; bankTransferAccount: string }
  | { ok: false; values: PaymentSettingsFormValues; errors: PaymentSettingsFormErrors };

export function parsePaymentSettingsForm(body: unknown): ParsedPaymentSettingsForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const enabledRaw = Array.isArray(b.enabled) ? b.enabled : b.enabled === undefined ? [] : [b.enabled];
  const enabled = PAYMENT_METHOD_IDS.filter((id) => enabledRaw.includes(id));
  const values: PaymentSettingsFormValues = {
    enabled,
    bankTransferDays: text(b.bankTransferDays),
    bankTransferNote: text(b.bankTransferNote),
    bankTransferAccount: text(b.bankTransferAccount).replace(/\r\n?/g, '\n'),
    konbiniDeadlineDays: text(b.konbiniDeadlineDays),
    codBands: Array.from({ length: COD_FORM_BANDS }, (_, i) => ({ upTo: text(b[`codUpTo${i + 1}`]), fee: text(b[`codFee${i + 1}`]) })),
  };
  const errors: PaymentSettingsFormErrors = {};
  // A card number in a free-text field is dropped from the re-rendered form too, never echoed.
  for (const k of ['bankTransferNote', 'bankTransferAccount'] as const) {
    if (containsCardNumber(values[k])) { errors[k] = CARD_NUMBER_ERROR; values[k] = ''; }
  }
  if (!errors.bankTransferAccount && values.bankTransferAccount.length > BANK_ACCOUNT_MAX) errors.bankTransferAccount = 'tooLong';
  const days = (k: 'bankTransferDays' | 'konbiniDeadlineDays') => {
    const n = integer(values[k]);
    if (n === undefined) errors[k] = 'days';
    return n ?? 0;
  };
  const bankTransferDays = days('bankTransferDays');
  const konbiniDeadlineDays = days('konbiniDeadlineDays');
  const codFees: { upTo: number; fee: number }[] = [];
  const codRows: number[] = []; // form row of each band kept, to point the schema's messages at it
  values.codBands.forEach((band, i) => {
    if (band.upTo === '' && band.fee === '') return;
    // The schema's bounds (CodFeeBand), checked here to point at the band's own field.
    const upTo = integer(band.upTo);
    const fee = integer(band.fee);
    if (upTo !== undefined && (upTo < 1 || upTo > 99_999_999)) errors[`codUpTo${i + 1}`] = 'codFees';
    if (fee !== undefined && fee > 100_000) errors[`codFee${i + 1}`] = 'codFees';
    if (upTo === undefined) errors[`codUpTo${i + 1}`] = 'codFees';
    if (fee === undefined) errors[`codFee${i + 1}`] = 'codFees';
    if (upTo !== undefined && fee !== undefined) { codFees.push({ upTo, fee }); codRows.push(i + 1); }
  });
  const settings = { enabled, bankTransferDays, bankTransferNote: values.bankTransferNote, codFees, konbiniDeadlineDays };
  // The schema's rules too (ranges, at least one method, ascending bands), so every problem shows at once.
  const checked = PaymentSettingsSchema.safeParse(settings);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const [head, index] = issue.path;
      const field = head === 'codFees' && typeof index === 'number' ? `codUpTo${codRows[index] ?? 1}` : formFieldOf(String(head ?? 'enabled'));
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length) return { ok: false, values, errors };
  return { ok: true, values, settings, bankTransferAccount: values.bankTransferAccount };
}

/** Where on the form a savePaymentSettings error belongs (its field ids). */
export function formFieldOf(field: string): string {
  if (field === 'codFees') return 'codUpTo1';
  if (field === 'enabled') return 'enabled';
  return field;
}
