// Whether a vendor's sign-in falls inside the hours configured for vendors (ADMIN_VENDOR_HOURS,
// ADMIN_VENDOR_DAYS, read in SHOP_TIME_ZONE). Vendors (a payment integrator, a web agency) work
// to a contract; a vendor account signing in at 03:00 is what a stolen vendor password looks like.
import type { ShopConfig } from '../../config/config.ts';
import { shopLocalTime, type ShopLocalTime } from './shop-local-time.ts';

export type VendorHoursCheck = { within: boolean; local: ShopLocalTime };

export function vendorHoursCheck(at: Date, timeZone: string, policy: Pick<ShopConfig['accessSignals'], 'vendorHours' | 'vendorDays'>): VendorHoursCheck {
  const local = shopLocalTime(at, timeZone);
  const hours = policy.vendorHours;
  if (!hours) return { within: true, local };
  const m = local.minuteOfDay;
  if (hours.startMinute < hours.endMinute) {
    return { within: policy.vendorDays.includes(local.weekday) && m >= hours.startMinute && m < hours.endMinute, local };
  }
  // Past midnight (22:00-06:00): the early hours belong to the shift that began the day before.
  if (m >= hours.startMinute) return { within: policy.vendorDays.includes(local.weekday), local };
  return { within: m < hours.endMinute && policy.vendorDays.includes((local.weekday + 6) % 7), local };
}
