// The shop as every customer mail signs it (src/orders/mail-shop.ts), read from the shop profile,
// so a name or address saved on the settings page is in the next mail without a restart.
import type { ShopConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { MailShop } from '../orders/mail-shop.ts';
import { currentShopProfile, type ShopProfile } from './shop-profile.ts';

export function mailShopOfProfile(profile: ShopProfile, publicUrl: string): MailShop {
  const address = profile.address && profile.postalCode ? `〒${profile.postalCode} ${profile.address}` : profile.address;
  return {
    shopName: profile.shopName,
    timeZone: profile.timeZone,
    contact: { address, phone: profile.phone, email: profile.email, hours: profile.hours },
    logoUrl: profile.logoPath ? new URL(`/media/${profile.logoPath}`, publicUrl).href : undefined,
  };
}

export async function currentMailShop(shop: { config: Pick<ShopConfig, 'shopName' | 'timeZone' | 'contact' | 'publicUrl'>; db: DatabaseHandle }): Promise<MailShop> {
  return mailShopOfProfile(await currentShopProfile(shop), shop.config.publicUrl);
}
