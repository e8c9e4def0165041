// The merchant's payment methods, as set on /admin/settings/payments: which are on, how long a
// bank transfer or konbini payment may take, and the cash-on-delivery fee table. Stored as one
// JSON document that goes through PaymentSettingsSchema on every read and write, so a row that
// no longer parses can never switch on a method with nonsense terms: the defaults apply instead.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { CARD_NUMBER_ERROR, containsCardNumber } from '../card-data/card-number-guard.ts';
import { paymentMethodDb } from './payment-method-tables.ts';
import { shopSettingsDb } from '../shop-settings/shop-settings-tables.ts';

export const PAYMENT_METHOD_IDS = ['card', 'bank_transfer', 'cod', 'konbini'] as const;
export type PaymentMethodId = (typeof PAYMENT_METHOD_IDS)[number];
export const PaymentMethodIdSchema = z.enum(PAYMENT_METHOD_IDS);

/** One band of the COD fee table: orders up to `upTo` yen (tax-inclusive, before the fee) pay `fee`. */
export const CodFeeBand = z.object({ upTo: z.number().int().min(1).max(99_999_999), fee: z.number().int().min(0).max(100_000) });
export type CodFeeBand = z.infer<typeof CodFeeBand>;

export const PaymentSettingsSchema = z.object({
  enabled: z.array(PaymentMethodIdSchema).min(1, { error: 'noMethod' })
    .refine((a) => new Set(a).size === a.length, { error: 'duplicate' }),
  bankTransferDays: z.number().int().min(1, { error: 'days' }).max(30, { error: 'days' }),
  // Shown to bank-transfer customers beside the account ("振込手数料はお客様のご負担となります").
  bankTransferNote: z.string().max(500, { error: 'tooLong' }).refine((s) => !containsCardNumber(s), { error: CARD_NUMBER_ERROR }),
  // Bands ascending; an order over the last band cannot be paid on delivery (carriers cap 代引 amounts).
  codFees: z.array(CodFeeBand).min(1, { error: 'codFees' }).max(10, { error: 'codFees' })
    .refine((bands) => bands.every((b, i) => i === 0 || b.upTo > bands[i - 1]!.upTo), { error: 'codOrder' }),
  konbiniDeadlineDays: z.number().int().min(1, { error: 'days' }).max(30, { error: 'days' }),
});
export type PaymentSettings = z.infer<typeof PaymentSettingsSchema>;

/** A shop that never opened the settings page takes cards only, as before this feature. */
export const DEFAULT_PAYMENT_SETTINGS: PaymentSettings = {
  enabled: ['card'],
  bankTransferDays: 7,
  bankTransferNote: '',
  // Typical carrier 代引 fees (tax-inclusive) by amount collected.
  codFees: [{ upTo: 10_000, fee: 330 }, { upTo: 30_000, fee: 440 }, { upTo: 100_000, fee: 660 }, { upTo: 300_000, fee: 1_100 }],
  konbiniDeadlineDays: 3,
};

export async function loadPaymentSettings(db: Kysely<Database> | Kysely<any>): Promise<PaymentSettings> {
  const row = await paymentMethodDb(db).selectFrom('payment_method_settings').where('id', '=', 1).select('settings').executeTakeFirst();
  if (!row) return DEFAULT_PAYMENT_SETTINGS;
  let json: unknown;
  try {
    json = JSON.parse(row.settings);
  } catch {
    return DEFAULT_PAYMENT_SETTINGS;
  }
  const parsed = PaymentSettingsSchema.safeParse(json);
  return parsed.success ? parsed.data : DEFAULT_PAYMENT_SETTINGS;
}

export type SaveSettingsResult = { ok: true } | { ok: false; errors: { field: string; code: string }[] };

/**
 * Validates and stores the settings with their audit entry in one transaction. The bank account
 * (given from the settings page) lives in the shop profile (shop_settings.bank_transfer_account),
 * where mails and the order page read it; it is written in the same transaction and audited here
 * too. The caller announces the profile change after the commit (announceShopProfileChange).
 */
export async function savePaymentSettings(
  db: Kysely<Database>,
  input: unknown,
  p: { actor: string; ip?: string; now: Date; konbiniSupported: boolean; bankTransferAccount?: string },
): Promise<SaveSettingsResult> {
  const parsed = PaymentSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'enabled'), code: i.message })) };
  const settings = parsed.data;
  // Konbini needs a gateway that issues payment numbers (payment-provider.ts createKonbiniPayment).
  if (settings.enabled.includes('konbini') && !p.konbiniSupported) return { ok: false, errors: [{ field: 'enabled', code: 'konbiniUnsupported' }] };
  const pdb = paymentMethodDb(db);
  await pdb.transaction().execute(async (trx) => {
    const before = await loadPaymentSettings(trx);
    const ts = p.now.toISOString();
    await trx.insertInto('payment_method_settings').values({ id: 1, settings: JSON.stringify(settings), updated_at: ts })
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: ts })).execute();
    let account: { before: string | null; after: string } | undefined;
    if (p.bankTransferAccount !== undefined) {
      const sdb = shopSettingsDb(trx);
      const row = await sdb.selectFrom('shop_settings').where('id', '=', 1).select('bank_transfer_account').executeTakeFirst();
      account = { before: row?.bank_transfer_account ?? null, after: p.bankTransferAccount };
      const stamp = { bank_transfer_account: p.bankTransferAccount, updated_by: p.actor, updated_at: ts };
      if (row) await sdb.updateTable('shop_settings').set(stamp).where('id', '=', 1).execute();
      else await sdb.insertInto('shop_settings').values({ id: 1, ...stamp }).execute();
    }
    await appendAuditEntry(trx, {
      actor: p.actor, action: 'settings.payments.updated', target: 'settings:payments', ...(p.ip ? { ip: p.ip } : {}),
      before: account ? { ...before, bankTransferAccount: account.before } : before,
      after: account ? { ...settings, bankTransferAccount: account.after } : settings, at: p.now,
    });
  });
  return { ok: true };
}
