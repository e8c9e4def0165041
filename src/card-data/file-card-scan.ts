// Whether an uploaded file holds a card number, looking through the encodings and containers a
// merchant's files come in: a latin1/UTF-8 read misses UTF-16 ("Unicode text" exports), full-width
// digits (NFKC makes ４ a 4) and anything compressed (PDF text streams, DOCX/XLSX/ZIP). A file
// that cannot be looked into (encrypted, an unknown compressed container, a PDF pdftotext cannot
// read) is "could not scan", and callers refuse it: unscanned is not clean.
import { execFile } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { containsCardNumber } from './card-number-guard.ts';

export type FileCardScan = { ok: true; cardNumber: boolean } | { ok: false; reason: 'encrypted' | 'unsupported-container' | 'pdf-unreadable' | 'too-large' };

export interface FileCardScanOptions {
  /** pdftotext (poppler-utils); a missing binary means PDFs cannot be scanned, so they are refused. */
  pdftotextPath?: string;
  pdftotextTimeoutMs?: number;
}

/** Inflated bytes over all members of a container (zip bombs stop here). */
const MAX_INFLATED_BYTES = 200 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 5000;
const MAX_DEPTH = 3;
const PDF_TEXT_MAX_BYTES = 64 * 1024 * 1024;

const CLEAN: FileCardScan = { ok: true, cardNumber: false };
const FOUND: FileCardScan = { ok: true, cardNumber: true };

/** Compressed containers the scanner cannot open: 7z, RAR, bzip2, xz, zstd, CAB. */
const UNSCANNABLE_MAGIC = [
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), Buffer.from('Rar!\x1a\x07', 'latin1'), Buffer.from('BZh', 'latin1'),
  Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from('MSCF', 'latin1'),
];

function textHolds(text: string): boolean {
  return containsCardNumber(text) || containsCardNumber(text.normalize('NFKC'));
}

/** UTF-16 when there is a BOM or any NUL (decoded both ways: LE at an odd offset reads as BE). */
function plainBytesHold(bytes: Buffer): boolean {
  if (containsCardNumber(bytes.toString('latin1')) || textHolds(bytes.toString('utf8'))) return true;
  const bom = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (!bom && !bytes.includes(0)) return false;
  const le = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (textHolds(le.toString('utf16le'))) return true;
  const be = Buffer.from(le).swap16();
  return textHolds(be.toString('utf16le'));
}

/** Markup split into runs (`<w:t>4111</w:t><w:t>1111…`) is read with its tags removed as well. */
function markupHolds(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  return text.includes('<') && textHolds(text.replace(/<[^>]*>/g, ''));
}

export async function scanFileForCardNumber(bytes: Buffer, options: FileCardScanOptions = {}): Promise<FileCardScan> {
  return scan(bytes, options, 0, { inflated: 0 });
}

async function scan(bytes: Buffer, options: FileCardScanOptions, depth: number, budget: { inflated: number }): Promise<FileCardScan> {
  const head = bytes.subarray(0, 8);
  const zip = head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')) || head.subarray(0, 4).equals(Buffer.from('PK\x05\x06', 'latin1'));
  const pdf = !zip && bytes.subarray(0, 1024).includes('%PDF-');
  if ((zip || pdf) && depth > MAX_DEPTH) return { ok: false, reason: 'unsupported-container' };
  if (zip) return scanZip(bytes, options, depth, budget);
  // A PDF is judged by its text only: its raw bytes hold the xref table, whose space-separated
  // zero-padded offsets can look like a card number.
  if (pdf) return scanPdf(bytes, options);
  if (plainBytesHold(bytes) || markupHolds(bytes)) return FOUND;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (depth > MAX_DEPTH) return { ok: false, reason: 'unsupported-container' };
    let inner: Buffer;
    try {
      inner = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES - budget.inflated });
    } catch {
      return { ok: false, reason: 'too-large' };
    }
    budget.inflated += inner.length;
    return scan(inner, options, depth + 1, budget);
  }
  if (UNSCANNABLE_MAGIC.some((magic) => head.subarray(0, magic.length).equals(magic))) return { ok: false, reason: 'unsupported-container' };
  return CLEAN;
}

function scanPdf(bytes: Buffer, options: FileCardScanOptions): Promise<FileCardScan> {
  return new Promise((resolve) => {
    const child = execFile(options.pdftotextPath ?? 'pdftotext', ['-q', '-enc', 'UTF-8', '-', '-'],
      { timeout: options.pdftotextTimeoutMs ?? 30_000, maxBuffer: PDF_TEXT_MAX_BYTES, encoding: 'utf8' },
      (err, stdout) => resolve(err ? { ok: false, reason: 'pdf-unreadable' } : textHolds(stdout) ? FOUND : CLEAN));
    child.stdin?.on('error', () => {}); // a pdftotext that exits early closes its stdin; the callback reports it
    child.stdin?.end(bytes);
  });
}

/** ZIP and the Office formats built on it (DOCX, XLSX, PPTX, ODF): every member, inflated and scanned. */
function scanZip(bytes: Buffer, options: FileCardScanOptions, depth: number, budget: { inflated: number }): Promise<FileCardScan> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (openErr, zip) => {
      if (openErr || !zip) return resolve({ ok: false, reason: 'unsupported-container' });
      let entries = 0;
      let done = false;
      const finish = (r: FileCardScan) => { if (!done) { done = true; zip.close(); resolve(r); } };
      zip.on('error', () => finish({ ok: false, reason: 'unsupported-container' }));
      zip.on('end', () => finish(CLEAN));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++entries > MAX_ZIP_ENTRIES) return finish({ ok: false, reason: 'too-large' });
        if (entry.isEncrypted()) return finish({ ok: false, reason: 'encrypted' });
        if (textHolds(entry.fileName)) return finish(FOUND);
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return finish({ ok: false, reason: 'unsupported-container' });
        if (budget.inflated + entry.uncompressedSize > MAX_INFLATED_BYTES) return finish({ ok: false, reason: 'too-large' });
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return finish({ ok: false, reason: 'unsupported-container' });
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', () => finish({ ok: false, reason: 'unsupported-container' }));
          stream.on('end', () => {
            const member = Buffer.concat(chunks);
            budget.inflated += member.length;
            scan(member, options, depth + 1, budget).then((r) => (!r.ok || r.cardNumber ? finish(r) : zip.readEntry()), () => finish({ ok: false, reason: 'unsupported-container' }));
          });
        });
      });
      zip.readEntry();
    });
  });
}
