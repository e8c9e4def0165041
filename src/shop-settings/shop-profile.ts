// Who the shop is, as customers, receipts, legal pages and mails show it. One function reads it,
// so the legal notice, the invoice on a receipt and the signature of a mail never disagree.
// Today it comes from src/config (SHOP_NAME, SHOP_CONTACT_*); the shop settings page stores the
// merchant's own values in the database, and this function lays them over the configured ones.
import type { ShopConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';

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
  void shop.db; // the settings page's stored values are laid over these once they exist
  return shopProfileFromConfig(shop.config);
}
