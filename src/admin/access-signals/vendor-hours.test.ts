// Vendor hours and the shop's wall clock: read in SHOP_TIME_ZONE (not the server's, not UTC),
// wrapping past midnight, weekdays; day boundaries across a DST change. Pure functions, no database.
import { describe, expect, it } from 'vitest';
import { loadConfig, parseVendorHours, parseWeekdays } from '../../config/config.ts';
import { vendorHoursCheck } from './vendor-hours.ts';
import { lastShopDays, localMidnight, shopLocalTime } from './shop-local-time.ts';

const office = { vendorHours: { startMinute: 9 * 60, endMinute: 18 * 60 }, vendorDays: [1, 2, 3, 4, 5] };

describe('vendor hours', () => {
  it('reads the hours in the shop\'s zone', () => {
    // 2026-06-10 is a Wednesday. 01:00 UTC = 10:00 Tokyo; 18:00 UTC = 03:00 Thursday in Tokyo.
    expect(vendorHoursCheck(new Date('2026-06-10T01:00:00Z'), 'Asia/Tokyo', office).within).toBe(true);
    expect(vendorHoursCheck(new Date('2026-06-10T18:00:00Z'), 'Asia/Tokyo', office)).toMatchObject({ within: false, local: { clock: '03:00', weekday: 4 } });
    expect(vendorHoursCheck(new Date('2026-06-10T18:00:00Z'), 'UTC', office).within).toBe(false); // 18:00 is the end, exclusive
    expect(vendorHoursCheck(new Date('2026-06-10T08:59:00Z'), 'Asia/Tokyo', office).within).toBe(true); // 17:59
    expect(vendorHoursCheck(new Date('2026-06-10T09:00:00Z'), 'Asia/Tokyo', office).within).toBe(false); // 18:00
  });

  it('refuses a weekday outside ADMIN_VENDOR_DAYS', () => {
    // Saturday 2026-06-13 10:00 in Tokyo.
    expect(vendorHoursCheck(new Date('2026-06-13T01:00:00Z'), 'Asia/Tokyo', office).within).toBe(false);
    expect(vendorHoursCheck(new Date('2026-06-13T01:00:00Z'), 'Asia/Tokyo', { ...office, vendorDays: [6] }).within).toBe(true);
  });

  it('a night shift wraps past midnight and belongs to the day it began', () => {
    const night = { vendorHours: { startMinute: 22 * 60, endMinute: 6 * 60 }, vendorDays: [5] }; // Friday nights
    expect(vendorHoursCheck(new Date('2026-06-12T14:00:00Z'), 'Asia/Tokyo', night).within).toBe(true); // Fri 23:00
    expect(vendorHoursCheck(new Date('2026-06-12T19:00:00Z'), 'Asia/Tokyo', night).within).toBe(true); // Sat 04:00
    expect(vendorHoursCheck(new Date('2026-06-13T19:00:00Z'), 'Asia/Tokyo', night).within).toBe(false); // Sun 04:00
    expect(vendorHoursCheck(new Date('2026-06-12T03:00:00Z'), 'Asia/Tokyo', night).within).toBe(false); // Fri 12:00
  });

  it('`off` leaves vendors unrestricted; malformed settings stop the shop with the variable named', () => {
    expect(vendorHoursCheck(new Date('2026-06-10T18:00:00Z'), 'Asia/Tokyo', { vendorHours: undefined, vendorDays: [] }).within).toBe(true);
    expect(parseVendorHours('off')).toEqual({ ok: true, value: undefined });
    expect(parseVendorHours('08:30-17:15')).toEqual({ ok: true, value: { startMinute: 510, endMinute: 1035 } });
    expect(parseVendorHours('9-18').ok).toBe(false);
    expect(parseVendorHours('09:00-09:00').ok).toBe(false);
    expect(parseWeekdays('mon-fri')).toEqual({ ok: true, value: [1, 2, 3, 4, 5] });
    expect(parseWeekdays('fri-mon')).toEqual({ ok: true, value: [0, 1, 5, 6] });
    expect(parseWeekdays('sat,sun')).toEqual({ ok: true, value: [0, 6] });
    expect(parseWeekdays('weekends').ok).toBe(false);
    const bad = loadConfig({ ADMIN_VENDOR_HOURS: '25:00-26:00', ADMIN_VENDOR_DAYS: 'someday' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.join('\n')).toMatch(/ADMIN_VENDOR_HOURS[\s\S]*ADMIN_VENDOR_DAYS|ADMIN_VENDOR_DAYS[\s\S]*ADMIN_VENDOR_HOURS/);
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.accessSignals).toEqual({
      failureBurst: { windowMinutes: 10, perAddress: 10, perAddressNames: 3, total: 50 },
      vendorHours: { startMinute: 540, endMinute: 1080 }, vendorDays: [1, 2, 3, 4, 5],
    });
  });
});

describe('shop days', () => {
  it('start at local midnight, also across a DST change', () => {
    expect(localMidnight(2026, 6, 10, 'Asia/Tokyo').toISOString()).toBe('2026-06-09T15:00:00.000Z');
    // New York: 2026-03-08 is the spring-forward day (23 hours), 2026-11-01 the fall-back day (25).
    expect(localMidnight(2026, 3, 8, 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localMidnight(2026, 3, 9, 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(localMidnight(2026, 11, 2, 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    const days = lastShopDays(new Date('2026-11-02T12:00:00Z'), 'America/New_York', 3);
    expect(days.map((d) => [d.date, (d.end.getTime() - d.start.getTime()) / 3_600_000])).toEqual([['2026-10-31', 24], ['2026-11-01', 25], ['2026-11-02', 24]]);
    expect(shopLocalTime(new Date('2026-06-09T15:00:00Z'), 'Asia/Tokyo')).toMatchObject({ year: 2026, month: 6, day: 10, clock: '00:00', weekday: 3 });
  });
});
