import { describe, expect, it } from 'vitest';
import { expiryInFuture, expiryPlausible, parseCardExpiry } from './card-expiry.ts';

describe('parseCardExpiry', () => {
  it.each([
    ['12/30', { month: 12, year: 2030 }],
    ['01 / 27', { month: 1, year: 2027 }],
    ['1/27', { month: 1, year: 2027 }],
    ['0727', { month: 7, year: 2027 }],
    ['07/2031', { month: 7, year: 2031 }],
    ['13/30', null],
    ['00/30', null],
    ['727', null],
    ['12-30', null],
    ['', null],
    ['ab/cd', null],
  ])('%s → %j', (input, expected) => expect(parseCardExpiry(input)).toEqual(expected));
});

describe('expiryInFuture', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it.each([
    [{ month: 11, year: 2026 }, true], // valid through the end of the month
    [{ month: 12, year: 2026 }, true],
    [{ month: 10, year: 2026 }, false],
    [{ month: 12, year: 2025 }, false],
    [{ month: 1, year: 2027 }, true],
  ])('%j → %s', (expiry, expected) => expect(expiryInFuture(expiry, now)).toBe(expected));
  it('expires at the first instant of the following month', () => {
    expect(expiryInFuture({ month: 11, year: 2026 }, new Date('2026-11-30T23:59:59Z'))).toBe(true);
    expect(expiryInFuture({ month: 11, year: 2026 }, new Date('2026-12-01T00:00:00Z'))).toBe(false);
  });
  it('refuses implausibly far years', () => {
    expect(expiryPlausible({ month: 1, year: 2099 }, now)).toBe(false);
    expect(expiryPlausible({ month: 1, year: 2040 }, now)).toBe(true);
  });
});
