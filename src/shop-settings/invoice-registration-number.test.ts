import { describe, expect, it } from 'vitest';
import { corporateNumberCheckDigit, parseInvoiceRegistrationNumber } from './invoice-registration-number.ts';

describe('qualified-invoice registration number', () => {
  it('computes the 法人番号 check digit as the ministerial ordinance defines it', () => {
    // The worked example of the ordinance's formula: base 123456789012 → 7.
    expect(corporateNumberCheckDigit('123456789012')).toBe(7);
    // 日本税理士会連合会's published number 7010705000725 (base 010705000725).
    expect(corporateNumberCheckDigit('010705000725')).toBe(7);
  });

  it('accepts a corporation number with its check digit, normalising what people type', () => {
    expect(parseInvoiceRegistrationNumber('T7010705000725', 'corporation')).toEqual({ ok: true, value: 'T7010705000725' });
    expect(parseInvoiceRegistrationNumber('ｔ７－０１０７－０５００－０７２５', 'corporation')).toEqual({ ok: true, value: 'T7010705000725' });
    expect(parseInvoiceRegistrationNumber('T 7 0107 0500 0725', 'corporation')).toEqual({ ok: true, value: 'T7010705000725' });
  });

  it('refuses a wrong check digit for a corporation, every other digit tried', () => {
    for (let d = 1; d <= 9; d++) {
      if (d === 7) continue;
      expect(parseInvoiceRegistrationNumber(`T${d}010705000725`, 'corporation')).toEqual({ ok: false, error: 'CHECK_DIGIT' });
    }
    // One mistyped digit in the base is caught too.
    expect(parseInvoiceRegistrationNumber('T7010705000726', 'corporation')).toEqual({ ok: false, error: 'CHECK_DIGIT' });
  });

  it('checks only the format for a sole proprietor (no published check-digit rule)', () => {
    expect(parseInvoiceRegistrationNumber('T1234567890123', 'individual')).toEqual({ ok: true, value: 'T1234567890123' });
    expect(parseInvoiceRegistrationNumber('T1234567890123', 'corporation')).toEqual({ ok: false, error: 'CHECK_DIGIT' });
  });

  it('refuses anything that is not T and 13 digits', () => {
    for (const bad of ['7010705000725', 'T701070500072', 'T70107050007250', 'X7010705000725', 'T70107050007a5', '']) {
      expect(parseInvoiceRegistrationNumber(bad, 'individual')).toEqual({ ok: false, error: 'FORMAT' });
    }
  });
});
