// The card-number scanner must itself be able to fail: check it finds every encoding.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findCardNumber, scanDirectory } from './support/card-data-scan.ts';

describe('card-number scan', () => {
  it.each([
    'cardNumber=4242424242424242',
    'cardNumber=4242+4242+4242+4242',
    '{"pan":"4242 4242 4242 4242"}',
    '/pay?n=4242%204242%204242%204242',
    'n=4242-4242-4242-4242',
  ])('finds the number in %s', (text) => {
    expect(findCardNumber(text, ['4242424242424242'])).toBeDefined();
  });
  it('finds it in a file below a folder, and not where it is absent', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scan-'));
    writeFileSync(path.join(dir, 'clean.log'), 'order MA-1234 paid, card ending 4242');
    expect(scanDirectory(dir, ['4242424242424242'])).toEqual([]);
    writeFileSync(path.join(dir, 'leak.log'), 'oops 4242424242424242');
    expect(scanDirectory(dir, ['4242424242424242'])).toHaveLength(1);
  });
});
