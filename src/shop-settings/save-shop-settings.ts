// Saving the shop settings page: one transaction writes the row and its audit entry (before and
// after, field by field), then every cache built from the profile is dropped — this process's, the
// other instances' (NOTIFY), and the catalog's rendered pages, whose header shows the shop name.
import type { ShopContext } from '../shop-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { announceShopProfileChange } from './shop-profile.ts';
import { shopSettingsDb, type ShopSettingsRow, type ShopSettingsTable } from './shop-settings-tables.ts';
import type { ShopSettingsInput } from './shop-settings-form.ts';

type StoredFields = Omit<ShopSettingsTable, 'id' | 'updated_by' | 'updated_at'>;

function auditView(row: ShopSettingsRow | undefined): Partial<StoredFields> | null {
  if (!row) return null;
  const { id: _id, updated_by: _by, updated_at: _at, ...fields } = row;
  return fields;
}

/** `logo`: a newly stored logo's path, `null` to remove the logo, undefined to keep it. */
export async function saveShopSettings(
  shop: Pick<ShopContext, 'db' | 'catalog' | 'logger'>,
  input: ShopSettingsInput,
  logo: string | null | undefined,
  by: { actor: string; ip: string; at: Date },
): Promise<{ changed: (keyof StoredFields)[] }> {
  const changed = await shop.db.db.transaction().execute(async (trx) => {
    const d = shopSettingsDb(trx);
    const before = await d.selectFrom('shop_settings').selectAll().where('id', '=', 1).executeTakeFirst();
    const fields: StoredFields = {
      shop_name: input.shopName,
      company_name: input.companyName,
      representative: input.representative,
      postal_code: input.postalCode,
      address: input.address,
      phone: input.phone,
      email: input.email,
      hours: input.hours,
      invoice_registration_number: input.invoiceRegistrationNumber,
      invoice_registrant: input.invoiceRegistrant,
      time_zone: input.timeZone,
      tax_display: input.taxDisplay,
      logo_path: logo === undefined ? (before?.logo_path ?? null) : logo ?? '',
      bank_transfer_account: input.bankTransferAccount,
    };
    const stamp = { updated_by: by.actor, updated_at: by.at.toISOString() };
    if (before) await d.updateTable('shop_settings').set({ ...fields, ...stamp }).where('id', '=', 1).execute();
    else await d.insertInto('shop_settings').values({ id: 1, ...fields, ...stamp }).execute();
    const prior = auditView(before);
    const diff = (Object.keys(fields) as (keyof StoredFields)[]).filter((k) => (prior?.[k] ?? null) !== fields[k]);
    await appendAuditEntry(trx, { actor: by.actor, action: 'settings.shop_profile_updated', target: 'shop_settings:1', ip: by.ip, before: prior, after: fields, at: by.at });
    return diff;
  });
  await announceShopProfileChange(shop.db).catch((err: unknown) => shop.logger.warn({ err }, 'shop profile change could not be announced to the other instances; they follow within the cache TTL'));
  shop.catalog.invalidate();
  return { changed };
}
