// Who the shop is, as customers, receipts, legal pages and mails show it. One function reads it,
// so the legal notice, the invoice on a receipt and the signature of a mail never disagree.
// The configured values (SHOP_NAME, SHOP_CONTACT_*, SHOP_TIME_ZONE) are the base; the shop settings
// page (/admin/settings) stores the merchant's own values in `shop_settings`, laid over them field
// by field (NULL: the configured value; '': cleared by the merchant).
//
// The stored row is cached per database handle: mails and every storefront page read it. A save
// drops this process's copy at once and, on PostgreSQL, NOTIFYs SHOP_PROFILE_CHANNEL so every other
// instance drops its copy through its one listener (src/db/notification-listener.ts, subscribed in
// start-shop.ts); the TTL bounds the staleness when a notification is lost.
import { sql, type Kysely } from 'kysely';
import type { ShopConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { NotificationSubscriber } from '../db/notification-listener.ts';
import { shopSettingsDb, type ShopSettingsRow } from './shop-settings-tables.ts';

export type TaxDisplay = 'inclusive' | 'exclusive';

export interface ShopProfile {
  shopName: string;
  /** 販売業者: the legal name of the seller (company or sole proprietor). */
  companyName: string | undefined;
  /** 運営責任者. */
  representative: string | undefined;
  postalCode: string | undefined;
  address: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  /** When the shop answers the phone or mail, as the merchant writes it ("平日 10:00–17:00"). */
  hours: string | undefined;
  /** 適格請求書発行事業者登録番号: `T` and 13 digits; printed on receipts when set. */
  invoiceRegistrationNumber: string | undefined;
  timeZone: string;
  /** Prices shown tax-inclusive (総額表示, required for consumers in Japan) or exclusive (B2B). */
  taxDisplay: TaxDisplay;
  /** Path under the shop's media of the logo, when one is uploaded. */
  logoPath: string | undefined;
  /** Where a bank-transfer customer pays: lines as the merchant writes them (bank, branch, type, number, holder). */
  bankTransferAccount: string | undefined;
}

/** The profile from configuration alone: what a shop without saved settings shows. */
export function shopProfileFromConfig(config: Pick<ShopConfig, 'shopName' | 'timeZone' | 'contact'>): ShopProfile {
  return {
    shopName: config.shopName,
    companyName: undefined,
    representative: undefined,
    postalCode: undefined,
    address: config.contact.address,
    phone: config.contact.phone,
    email: config.contact.email,
    hours: config.contact.hours,
    invoiceRegistrationNumber: undefined,
    timeZone: config.timeZone,
    taxDisplay: 'inclusive',
    logoPath: undefined,
    bankTransferAccount: undefined,
  };
}

/** The shop's profile now: saved settings over configuration. */
export async function currentShopProfile(shop: { config: Pick<ShopConfig, 'shopName' | 'timeZone' | 'contact'>; db: DatabaseHandle }): Promise<ShopProfile> {
  return shopProfileFromSettings(shop.config, await storedShopSettings(shop.db.db));
}

/** The PostgreSQL notification channel of a saved shop profile. */
export const SHOP_PROFILE_CHANNEL = 'mamori_shop_profile';

/** How long a process trusts its copy of the stored row without being told of a change. */
export const SHOP_PROFILE_CACHE_TTL_MS = 5000;

const cache = new WeakMap<object, { at: number; row: Promise<ShopSettingsRow | undefined> }>();

/** The stored settings row (cached), undefined while the merchant never saved the settings page. */
export function storedShopSettings(db: Kysely<any>): Promise<ShopSettingsRow | undefined> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < SHOP_PROFILE_CACHE_TTL_MS) return hit.row;
  const row = shopSettingsDb(db).selectFrom('shop_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  // A failed read must not be served from the cache.
  row.catch(() => { if (cache.get(db)?.row === row) cache.delete(db); });
  cache.set(db, { at: Date.now(), row });
  return row;
}

/** Drops this process's copy (after a save, or when another instance announced one). */
export function forgetShopProfile(db: Kysely<any>): void {
  cache.delete(db);
}

/** After a save has committed: drop the local copy and tell the other instances (PostgreSQL). */
export async function announceShopProfileChange(handle: DatabaseHandle): Promise<void> {
  forgetShopProfile(handle.db);
  if (handle.kind === 'postgres') await sql`select pg_notify(${SHOP_PROFILE_CHANNEL}, '')`.execute(handle.db);
}

/** What start-shop.ts subscribes to SHOP_PROFILE_CHANNEL: any news (or a reconnect) drops the copy. */
export function shopProfileSubscriber(db: Kysely<any>): NotificationSubscriber {
  return { notify: () => forgetShopProfile(db), resync: () => forgetShopProfile(db) };
}

/** The stored row laid over configuration, field by field. */
export function shopProfileFromSettings(config: Pick<ShopConfig, 'shopName' | 'timeZone' | 'contact'>, row: ShopSettingsRow | undefined): ShopProfile {
  const base = shopProfileFromConfig(config);
  if (!row) return base;
  const over = (stored: string | null, fallback: string | undefined): string | undefined => (stored === null ? fallback : stored === '' ? undefined : stored);
  return {
    shopName: row.shop_name || base.shopName,
    companyName: over(row.company_name, base.companyName),
    representative: over(row.representative, base.representative),
    postalCode: over(row.postal_code, base.postalCode),
    address: over(row.address, base.address),
    phone: over(row.phone, base.phone),
    email: over(row.email, base.email),
    hours: over(row.hours, base.hours),
    invoiceRegistrationNumber: over(row.invoice_registration_number, base.invoiceRegistrationNumber),
    timeZone: row.time_zone || base.timeZone,
    taxDisplay: row.tax_display ?? base.taxDisplay,
    logoPath: over(row.logo_path, base.logoPath),
    bankTransferAccount: over(row.bank_transfer_account, base.bankTransferAccount),
  };
}

/** The items 特定商取引法 requires of the seller that the profile lacks (the invoice number is optional). */
export type LegalNoticeItem = 'companyName' | 'representative' | 'address' | 'phone' | 'email';
export const LEGAL_NOTICE_REQUIRED_ITEMS: readonly LegalNoticeItem[] = ['companyName', 'representative', 'address', 'phone', 'email'];

export function missingLegalNoticeItems(profile: ShopProfile): LegalNoticeItem[] {
  return LEGAL_NOTICE_REQUIRED_ITEMS.filter((k) => !profile[k]?.trim());
}
