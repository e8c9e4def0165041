// Table types of the shop settings and legal texts (migration 0600).
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const LEGAL_PAGES = ['tokushoho', 'privacy', 'terms'] as const;
export type LegalPageKind = (typeof LEGAL_PAGES)[number];
export type InvoiceRegistrant = 'corporation' | 'individual';

/** NULL: not set here, the configured value (SHOP_NAME, SHOP_CONTACT_*) applies; '': cleared. */
export interface ShopSettingsTable {
  id: number;
  shop_name: string | null;
  company_name: string | null;
  representative: string | null;
  postal_code: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  hours: string | null;
  invoice_registration_number: string | null;
  invoice_registrant: InvoiceRegistrant | null;
  time_zone: string | null;
  tax_display: 'inclusive' | 'exclusive' | null;
  logo_path: string | null;
  bank_transfer_account: string | null;
  updated_by: string;
  updated_at: string;
}

export interface LegalTextTable {
  page: LegalPageKind;
  section: string;
  locale: 'ja' | 'en';
  body: string;
  updated_by: string;
  updated_at: string;
}

export type ShopSettingsTables = { shop_settings: ShopSettingsTable; legal_texts: LegalTextTable };
export type ShopSettingsRow = Selectable<ShopSettingsTable>;
export type LegalTextRow = Selectable<LegalTextTable>;

export function shopSettingsDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & ShopSettingsTables> {
  return (db as Kysely<Database>).withTables<ShopSettingsTables>();
}
