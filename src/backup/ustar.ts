// POSIX ustar, the subset a backup needs: regular files only, written and read sequentially.
// Hand-written because no tar library is installed and this is ~100 lines; the format is plain
// ustar so `tar -tvf` / `tar -xf` (GNU tar, bsdtar) read every Mamori backup too.
import { createReadStream, type WriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { once } from 'node:events';

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL terminator, as ustar asks.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** Splits a path into ustar's prefix (≤155) and name (≤100) fields. */
function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  throw new Error(`path too long for a ustar archive: ${name}`);
}

export function ustarHeader(name: string, size: number, mtime: Date, mode = 0o600): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const { prefix, base } = splitName(name);
  header.write(base, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100, 8, 'ascii');
  header.write(octal(0, 8), 108, 8, 'ascii'); // uid
  header.write(octal(0, 8), 116, 8, 'ascii'); // gid
  header.write(octal(size, 12), 124, 12, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii');
  header.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces while summing
  header.write('0', 156, 1, 'ascii'); // regular file
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

async function write(out: WriteStream, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Appends one entry from memory. */
export async function writeUstarBuffer(out: WriteStream, name: string, data: Buffer, mtime: Date): Promise<void> {
  await write(out, ustarHeader(name, data.length, mtime));
  await write(out, data);
  await write(out, padding(data.length));
}

/**
 * Appends one entry streamed from a file of known size, calling `onChunk` with every chunk (the
 * caller hashes while writing, so the sum describes exactly the bytes in the archive).
 */
export async function writeUstarFile(out: WriteStream, name: string, file: string, size: number, mtime: Date, onChunk: (chunk: Buffer) => void): Promise<void> {
  await write(out, ustarHeader(name, size, mtime));
  let written = 0;
  const chunks = size === 0 ? [] : createReadStream(file, { start: 0, end: size - 1 });
  for await (const chunk of chunks) {
    const buf = chunk as Buffer;
    onChunk(buf);
    written += buf.length;
    await write(out, buf);
  }
  // A file that shrank while being read cannot be represented: the header already holds its size.
  if (written !== size) throw new Error(`${file} changed size while being archived (${size} → ${written} bytes)`);
  await write(out, padding(size));
}

export async function finishUstar(out: WriteStream): Promise<void> {
  await write(out, Buffer.alloc(BLOCK * 2, 0));
}

export interface UstarEntry {
  name: string;
  size: number;
  /** Byte offset of the entry's data in the archive. */
  offset: number;
}

export class UstarFormatError extends Error {}

/** Lists the entries of an archive (headers only); throws UstarFormatError on anything not ustar. */
export async function listUstarEntries(handle: FileHandle): Promise<UstarEntry[]> {
  const { size: total } = await handle.stat();
  const entries: UstarEntry[] = [];
  const header = Buffer.alloc(BLOCK);
  let pos = 0;
  for (;;) {
    if (pos + BLOCK > total) throw new UstarFormatError('archive ends without its end-of-archive blocks');
    await handle.read(header, 0, BLOCK, pos);
    if (header.every((b) => b === 0)) return entries;
    if (header.toString('ascii', 257, 262) !== 'ustar') throw new UstarFormatError(`not a ustar header at byte ${pos}`);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (Number.parseInt(header.toString('ascii', 148, 156).replace(/[\0 ]/g, ''), 8) !== sum) throw new UstarFormatError(`bad header checksum at byte ${pos}`);
    const type = header.toString('ascii', 156, 157);
    if (type !== '0' && type !== '\0') throw new UstarFormatError(`entry at byte ${pos} is not a regular file (type ${JSON.stringify(type)})`);
    const field = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0 || pos + BLOCK + size > total) throw new UstarFormatError(`entry ${name} claims ${size} bytes beyond the archive's end`);
    entries.push({ name, size, offset: pos + BLOCK });
    pos += BLOCK + size + padding(size).length;
  }
}

/** Streams one entry's bytes in chunks of at most 1 MiB. */
export async function* readUstarEntry(handle: FileHandle, entry: UstarEntry): AsyncGenerator<Buffer> {
  const chunkSize = 1024 * 1024;
  for (let done = 0; done < entry.size;) {
    const length = Math.min(chunkSize, entry.size - done);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, entry.offset + done);
    if (bytesRead !== length) throw new UstarFormatError(`entry ${entry.name} is truncated`);
    done += length;
    yield buf;
  }
}
