// The evidence-upload attack (security review, finding 2): a file holding a card number that a
// latin1 read misses — UTF-16, full-width digits, a PDF text stream, a DOCX/XLSX/ZIP member —
// must be found, and a file that cannot be looked into must be "could not scan", not clean.
import { describe, expect, it } from 'vitest';
import { makeZip } from '../../test/support/zip-writer.ts';
import { pdfWithText } from '../../test/support/pdf-writer.ts';
import { scanFileForCardNumber } from './file-card-scan.ts';

const PAN = '4111111111111111';

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16beNoBom = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('file card scan', () => {
  it('finds a card number in plain, UTF-16 (with and without BOM) and full-width UTF-8 text', async () => {
    for (const bytes of [
      Buffer.from(`order,card\n1,${PAN}\n`), utf16le(`order\tcard\r\n1\t${PAN}\r\n`), utf16beNoBom(`card ${PAN}`),
      Buffer.from(`カード番号：４１１１　１１１１　１１１１　１１１１\n`, 'utf8'), utf16le('カード ４１１１１１１１１１１１１１１１'),
    ]) expect(await scanFileForCardNumber(bytes)).toEqual({ ok: true, cardNumber: true });
    for (const bytes of [Buffer.from('注文 1 件、電話 090-1234-5678\n'), utf16le('注文番号 2026-0001'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])]) {
      expect(await scanFileForCardNumber(bytes)).toEqual({ ok: true, cardNumber: false });
    }
  });

  it('reads the compressed text of a PDF with pdftotext', async () => {
    const withCard = pdfWithText(`Card ${PAN}`);
    expect(withCard.toString('latin1')).not.toContain(PAN); // the text is only in the compressed stream
    expect(await scanFileForCardNumber(withCard)).toEqual({ ok: true, cardNumber: true });
    expect(await scanFileForCardNumber(pdfWithText('Forensic report: no card data'))).toEqual({ ok: true, cardNumber: false });
  });

  it('refuses a PDF it cannot read: pdftotext missing or failing', async () => {
    expect(await scanFileForCardNumber(pdfWithText(`Card ${PAN}`), { pdftotextPath: '/nonexistent/pdftotext' })).toEqual({ ok: false, reason: 'pdf-unreadable' });
    expect(await scanFileForCardNumber(Buffer.from('%PDF-1.7\nnot really a pdf'))).toEqual({ ok: false, reason: 'pdf-unreadable' });
  });

  it('inflates DOCX/XLSX/ZIP members, nested ones and UTF-16 ones too, and markup split into runs', async () => {
    const docx = makeZip([{ name: '[Content_Types].xml', content: '<Types/>' }, { name: 'word/document.xml', content: `<w:body><w:p><w:r><w:t>41111111</w:t></w:r><w:r><w:t>11111111</w:t></w:r></w:p></w:body>` }]);
    expect(docx.toString('latin1')).not.toContain('41111111');
    expect(await scanFileForCardNumber(docx)).toEqual({ ok: true, cardNumber: true });
    const xlsx = makeZip([{ name: 'xl/sharedStrings.xml', content: `<sst><si><t>${PAN}</t></si></sst>` }]);
    expect(await scanFileForCardNumber(xlsx)).toEqual({ ok: true, cardNumber: true });
    expect(await scanFileForCardNumber(makeZip([{ name: 'export.zip', content: makeZip([{ name: 'cards.txt', content: utf16le(PAN) }]) }]))).toEqual({ ok: true, cardNumber: true });
    expect(await scanFileForCardNumber(makeZip([{ name: 'report.pdf', content: pdfWithText(`Card ${PAN}`) }]))).toEqual({ ok: true, cardNumber: true });
    expect(await scanFileForCardNumber(makeZip([{ name: 'word/document.xml', content: '<w:t>調査結果: 漏えいなし</w:t>' }]))).toEqual({ ok: true, cardNumber: false });
  });

  it('refuses an encrypted ZIP member and compressed containers it cannot open', async () => {
    const zip = makeZip([{ name: 'secret.txt', content: 'x'.repeat(100) }]);
    const encrypted = Buffer.from(zip);
    // The general-purpose flag's bit 0 (encrypted), in the local and the central header.
    encrypted.writeUInt16LE(encrypted.readUInt16LE(6) | 1, 6);
    const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(encrypted.readUInt16LE(central + 8) | 1, central + 8);
    expect(await scanFileForCardNumber(encrypted)).toEqual({ ok: false, reason: 'encrypted' });
    expect(await scanFileForCardNumber(Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), Buffer.alloc(50, 7)]))).toEqual({ ok: false, reason: 'unsupported-container' });
    expect(await scanFileForCardNumber(Buffer.from('BZh91AY&SY garbage'))).toEqual({ ok: false, reason: 'unsupported-container' });
  });
});
