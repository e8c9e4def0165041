// Reads the shop's files for card numbers: logs, the e-mail outbox, uploads, everything under
// DATA_DIR. Files are streamed (a chunk at a time, lines split as they come), never read whole.
//
// Binary files: images are skipped (pixel data is random bytes: its printable runs would only
// produce noise, and an image holding a card number as pixels is beyond any text search), and so
// are SQLite files (read through SQL instead, see isSqliteFile). Every other binary file —
// archives, PDFs, dumps — is read as its printable ASCII runs, like `strings`.
import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { findingsIn, type FileArea, type PanFinding } from './pan-scan-report.ts';

export interface FileScanStats { files: number; lines: number; bytes: number; binaryFiles: number; imagesSkipped: number; sqliteFilesSkipped: number; byArea: Partial<Record<FileArea, number>> }

export function newFileScanStats(): FileScanStats {
  return { files: 0, lines: 0, bytes: 0, binaryFiles: 0, imagesSkipped: 0, sqliteFilesSkipped: 0, byArea: {} };
}

/** A line longer than this is searched in windows (overlapping by a card's length), not buffered whole. */
const MAX_LINE_CHARS = 1 << 20;
const WINDOW_OVERLAP = 64;
const MIN_RUN = 13;

/** Printable ASCII runs of at least 13 characters (what `strings` shows), for binary data, with where each starts. */
export function printableRuns(buf: Buffer): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = -1;
  for (let i = 0; i <= buf.length; i++) {
    const b = i < buf.length ? buf[i]! : 0;
    const printable = (b >= 0x20 && b <= 0x7e) || b === 0x09;
    if (printable && start < 0) start = i;
    else if (!printable && start >= 0) {
      if (i - start >= MIN_RUN) out.push({ text: buf.toString('latin1', start, i), offset: start });
      start = -1;
    }
  }
  return out;
}

export function isImage(head: Buffer): boolean {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return true;
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return true;
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return true;
  // ISO base media (AVIF, HEIC): "ftyp" then an image brand.
  return head.subarray(4, 8).toString('latin1') === 'ftyp' && /^(avif|avis|heic|heix|mif1)/.test(head.subarray(8, 12).toString('latin1'));
}

/**
 * SQLite databases and their write-ahead logs are read through SQL, column by column, not as
 * bytes: a record stores its fields back to back, so a UUID's last group and the timestamp after
 * it ("…-236141242921" + "2026-12-02…") read as one 16-digit run, one in ten Luhn-valid.
 */
export function isSqliteFile(head: Buffer): boolean {
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return true;
  return head.length >= 4 && (head.readUInt32BE(0) === 0x377f0682 || head.readUInt32BE(0) === 0x377f0683);
}

/** Git's rule: a NUL byte in the first 8 KiB makes a file binary. */
function isBinary(head: Buffer): boolean {
  return head.includes(0);
}

export interface FileSource {
  /** A file or a directory (walked recursively; symbolic links are not followed). */
  path: string;
  /** How files under it are counted when their name does not say (see `areaOf`). */
  area: FileArea;
}

export interface FileScanOptions {
  /** Absolute paths never read (the payment gateway's own files). */
  exclude: string[];
  /** The SQLite database file, counted as such (it and its -wal/-shm are binary-scanned). */
  databaseFile?: string | undefined;
  signal?: AbortSignal | undefined;
  onFinding(f: PanFinding): void;
  onError(message: string): void;
  stats: FileScanStats;
}

function excluded(file: string, exclude: string[]): boolean {
  return exclude.some((e) => file === e || file.startsWith(e.endsWith(path.sep) ? e : e + path.sep));
}

function areaOf(file: string, source: FileSource, databaseFile: string | undefined): FileArea {
  if (databaseFile && (file === databaseFile || file === `${databaseFile}-wal` || file === `${databaseFile}-shm` || file === `${databaseFile}-journal`)) return 'database-file';
  if (/\.log(\.\d+)?$/.test(file)) return 'log';
  if (source.area !== 'data') return source.area;
  const rel = path.relative(source.path, file).split(path.sep);
  if (rel[0] === 'outbox') return 'outbox';
  if (rel[0] === 'media') return 'uploads';
  return 'data';
}

async function* walk(p: string, opts: FileScanOptions): AsyncGenerator<string> {
  if (excluded(p, opts.exclude)) return;
  let st;
  try {
    st = await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.onError(`${p}: ${(err as Error).message}`);
    return;
  }
  if (st.isFile()) {
    yield p;
    return;
  }
  if (!st.isDirectory()) return;
  let names: string[];
  try {
    names = (await readdir(p)).sort();
  } catch (err) {
    opts.onError(`${p}: ${(err as Error).message}`);
    return;
  }
  for (const name of names) yield* walk(path.join(p, name), opts);
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Streams a text file line by line; a line over MAX_LINE_CHARS is searched in overlapping windows. */
async function scanTextFile(file: string, area: FileArea, opts: FileScanOptions): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 1;
  /** Characters of the current (over-long) line already searched and dropped. */
  let lineOffset = 0;
  const report = (text: string, maxColumn = Infinity) => {
    for (const f of findingsIn(text)) {
      if (f.column > maxColumn) continue;
      opts.onFinding({ masked: f.masked, brand: f.brand, location: { kind: 'file', path: file, line, column: lineOffset + f.column, area } });
    }
  };
  const eml = file.endsWith('.eml');
  const mime = eml ? new MimeBodyDecoder() : undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    if (opts.signal?.aborted) throw new Error('pan-scan aborted');
    opts.stats.bytes += (chunk as Buffer).length;
    pending += decoder.decode(chunk as Buffer, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, nl);
      report(text);
      if (mime) for (const decoded of mime.line(text)) reportDecoded(decoded, file, area, opts);
      pending = pending.slice(nl + 1);
      line++;
      lineOffset = 0;
      opts.stats.lines++;
    }
    if (pending.length > MAX_LINE_CHARS) {
      // Report what starts before the last WINDOW_OVERLAP characters; those are searched again
      // with what follows, so a number cut by the window is still seen whole.
      const cut = pending.length - WINDOW_OVERLAP;
      report(pending, cut);
      lineOffset += cut;
      pending = pending.slice(cut);
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) {
    report(pending);
    if (mime) for (const decoded of mime.line(pending)) reportDecoded(decoded, file, area, opts);
    opts.stats.lines++;
  }
  if (mime) for (const decoded of mime.end()) reportDecoded(decoded, file, area, opts);
}

/** A card in a decoded mail body is reported at the line where its MIME part's body starts. */
function reportDecoded(decoded: { text: string; line: number }, file: string, area: FileArea, opts: FileScanOptions): void {
  for (const text of decoded.text.split(/\r?\n/)) {
    for (const f of findingsIn(text)) opts.onFinding({ masked: f.masked, brand: f.brand, location: { kind: 'file', path: file, line: decoded.line, column: 1, area } });
  }
}

/**
 * The bodies of an .eml file as the reader sees them: nodemailer writes Japanese text as base64 or
 * quoted-printable, where a card number's digits are not visible to a line search. Hand-written
 * (about 40 lines) because mailparser is not among the project's packages; it decodes the two
 * transfer encodings and RFC 2047 encoded words in headers, which is all the outbox holds.
 */
export class MimeBodyDecoder {
  private lineNo = 0;
  private inHeaders = true;
  private encoding: 'base64' | 'quoted-printable' | undefined;
  private partEncoding: 'base64' | 'quoted-printable' | undefined;
  private body: string[] = [];
  private bodyLine = 0;

  line(raw: string): { text: string; line: number }[] {
    this.lineNo++;
    const text = raw.replace(/\r$/, '');
    const out: { text: string; line: number }[] = [];
    if (this.inHeaders) {
      const m = /^content-transfer-encoding:\s*(base64|quoted-printable)\s*$/i.exec(text);
      if (m) this.partEncoding = m[1]!.toLowerCase() as 'base64' | 'quoted-printable';
      if (/=\?[^?]+\?[bBqQ]\?[^?]*\?=/.test(text)) out.push({ text: decodeEncodedWords(text), line: this.lineNo });
      if (text === '') {
        this.inHeaders = false;
        this.encoding = this.partEncoding;
        this.partEncoding = undefined;
        this.bodyLine = this.lineNo + 1;
      }
      return out;
    }
    if (text.startsWith('--')) {
      out.push(...this.flush());
      this.inHeaders = true;
      return out;
    }
    if (this.encoding) this.body.push(text);
    return out;
  }

  end(): { text: string; line: number }[] {
    return this.flush();
  }

  private flush(): { text: string; line: number }[] {
    const enc = this.encoding;
    const body = this.body;
    this.body = [];
    this.encoding = undefined;
    if (!enc || body.length === 0) return [];
    const text = enc === 'base64' ? Buffer.from(body.join(''), 'base64').toString('utf8') : decodeQuotedPrintable(body.join('\n'));
    return [{ text, line: this.bodyLine }];
  }
}

function decodeQuotedPrintable(s: string): string {
  const bytes = Buffer.from(s.replace(/=\r?\n/g, ''), 'latin1');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x3d && i + 2 < bytes.length && /^[0-9A-Fa-f]{2}$/.test(bytes.toString('latin1', i + 1, i + 3))) {
      out.push(Number.parseInt(bytes.toString('latin1', i + 1, i + 3), 16));
      i += 2;
    } else out.push(bytes[i]!);
  }
  return Buffer.from(out).toString('utf8');
}

function decodeEncodedWords(s: string): string {
  return s.replace(/=\?[^?]+\?([bBqQ])\?([^?]*)\?=/g, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')));
}

/** Streams a binary file and searches its printable runs; a run cut by a chunk boundary is carried over. */
async function scanBinaryFile(file: string, area: FileArea, opts: FileScanOptions): Promise<void> {
  let carry = Buffer.alloc(0);
  let carryAt = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    if (opts.signal?.aborted) throw new Error('pan-scan aborted');
    opts.stats.bytes += (chunk as Buffer).length;
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    // Keep the trailing printable bytes for the next chunk: they may continue there.
    let tail = buf.length;
    while (tail > 0 && tail > buf.length - 4096 && ((buf[tail - 1]! >= 0x20 && buf[tail - 1]! <= 0x7e) || buf[tail - 1] === 0x09)) tail--;
    searchPrintable(buf.subarray(0, tail), carryAt, file, area, opts);
    carry = Buffer.from(buf.subarray(tail));
    carryAt += tail;
  }
  searchPrintable(carry, carryAt, file, area, opts);
}

function searchPrintable(buf: Buffer, at: number, file: string, area: FileArea, opts: FileScanOptions): void {
  for (const run of printableRuns(buf)) {
    for (const f of findingsIn(run.text)) opts.onFinding({ masked: f.masked, brand: f.brand, location: { kind: 'binary-file', path: file, byteOffset: at + run.offset + f.column - 1, area } });
  }
}

export async function scanFiles(sources: FileSource[], opts: FileScanOptions): Promise<void> {
  const seen = new Set<string>();
  for (const source of sources) {
    for await (const file of walk(path.resolve(source.path), opts)) {
      if (seen.has(file)) continue;
      seen.add(file);
      const area = areaOf(file, source, opts.databaseFile);
      try {
        const head = await readHead(file);
        if (isImage(head)) {
          opts.stats.imagesSkipped++;
          continue;
        }
        if (area === 'database-file' || isSqliteFile(head)) {
          opts.stats.sqliteFilesSkipped++;
          continue;
        }
        opts.stats.files++;
        opts.stats.byArea[area] = (opts.stats.byArea[area] ?? 0) + 1;
        if (isBinary(head)) {
          opts.stats.binaryFiles++;
          await scanBinaryFile(file, area, opts);
        } else {
          await scanTextFile(file, area, opts);
        }
      } catch (err) {
        if ((err as Error).message === 'pan-scan aborted') throw err;
        // A file removed while we walked (a rotated log, a finished upload) is not an error.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        opts.onError(`${file}: ${(err as Error).message}`);
      }
    }
  }
}
