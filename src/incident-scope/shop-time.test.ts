import { describe, expect, it } from 'vitest';
import { shopLocalToUtc, utcToShopLocal } from './shop-time.ts';

describe('shop time for the scope form', () => {
  it('reads a datetime-local value in the shop zone and shows UTC back in it', () => {
    expect(shopLocalToUtc('2026-11-01T00:00', 'Asia/Tokyo')).toBe('2026-10-31T15:00:00.000Z');
    expect(utcToShopLocal('2026-10-31T15:00:00.000Z', 'Asia/Tokyo')).toBe('2026-11-01T00:00');
    // A zone with summer time: New York is UTC-4 in July, UTC-5 in December.
    expect(shopLocalToUtc('2026-07-01T12:00', 'America/New_York')).toBe('2026-07-01T16:00:00.000Z');
    expect(shopLocalToUtc('2026-12-01T12:00', 'America/New_York')).toBe('2026-12-01T17:00:00.000Z');
  });

  it('refuses what a datetime-local input cannot send', () => {
    for (const bad of ['', '2026-11-01', '2026-13-01T00:00', '2026-11-01T00:00:00Z', "2026-11-01T00:00' or 1=1"]) expect(shopLocalToUtc(bad, 'Asia/Tokyo'), bad).toBeUndefined();
  });
});
