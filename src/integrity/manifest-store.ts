// Where the manifest lives and how it is authenticated. The manifest is a file in DATA_DIR
// (0600), its first line an HMAC-SHA-256 over the rest; the key is a separate 0600 file outside
// DATA_DIR (INTEGRITY_KEY_FILE), generated at the first baseline. An intruder who can rewrite
// code and DATA_DIR but not read the key cannot produce a manifest that verifies.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, closeSync, writeSync, fsyncSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ShopConfig } from '../config/config.ts';
import { LoosePermissionsError, refuseIfOpenToOthers } from '../../platform/private-files.ts';
import type { FileHashes } from './install-tree.ts';

export const MANIFEST_FORMAT = 'mamori-integrity/1';

export type BaselineTrust = 'trust-on-first-use' | 'approved';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  trust: BaselineTrust;
  /** Who approved it (`cli:<user>`, `admin:<id>`), or the shop for a trust-on-first-use baseline. */
  recordedBy: string;
  root: string;
  files: FileHashes;
  /** lstat fingerprints (size, mtime, ctime, inode) of `files`: what a quick check compares before reading. */
  stats: FileHashes;
  /** One digest per node_modules package (summary; `files` holds the detail). */
  packages: Record<string, string>;
  /** DATA_DIR/media as it was: uploads after it are judged by their content (web-shell check). */
  media: FileHashes;
  config: Record<string, string>;
}

const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.string(),
  trust: z.enum(['trust-on-first-use', 'approved']),
  recordedBy: z.string(),
  root: z.string(),
  files: z.record(z.string(), z.string()),
  stats: z.record(z.string(), z.string()),
  packages: z.record(z.string(), z.string()),
  media: z.record(z.string(), z.string()),
  config: z.record(z.string(), z.string()),
});

export interface IntegrityPaths {
  manifestFile: string;
  keyFile: string;
  dataDir: string;
}

/**
 * One key per installation, outside DATA_DIR, named after the data directory: two shops (or a
 * test and a shop) run by one OS user never share a key, so one's key can never make the other's
 * missing manifest look deleted.
 */
export function defaultIntegrityKeyFile(dataDir: string): string {
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(os.homedir(), '.config', 'mamori', `integrity-${id}.key`);
}

export function integrityPaths(config: ShopConfig): IntegrityPaths {
  return {
    manifestFile: path.join(config.dataDir, 'integrity-manifest'),
    keyFile: config.integrity.keyFile ?? defaultIntegrityKeyFile(config.dataDir),
    dataDir: config.dataDir,
  };
}

export class IntegrityKeyError extends Error {
  readonly code = 'MAMORI_ERR_INTEGRITY_KEY';
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The HMAC key, or undefined when there is none yet. Refused (thrown) when it sits in DATA_DIR
 * next to the manifest or other users may read or write it.
 */
export function readIntegrityKey(paths: IntegrityPaths): Buffer | undefined {
  if (inside(paths.dataDir, paths.keyFile)) {
    throw new IntegrityKeyError(`INTEGRITY_KEY_FILE ${paths.keyFile} is inside DATA_DIR: keep the key apart from the manifest it authenticates`);
  }
  if (!existsSync(paths.keyFile)) return undefined;
  refuseIfOpenToOthers(paths.keyFile);
  const key = Buffer.from(readFileSync(paths.keyFile, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new IntegrityKeyError(`${paths.keyFile} does not hold a key (64 hex digits expected)`);
  return key;
}

/**
 * For start-up: throws (LoosePermissionsError, IntegrityKeyError) when the key file exists but
 * other users may read or write it, or it sits in DATA_DIR. Refused, not fixed: the key may
 * already have been read, so every manifest it signed is suspect and the operator must know.
 */
export function refuseUnsafeIntegrityKey(config: ShopConfig): void {
  readIntegrityKey(integrityPaths(config));
}

/** Creates a new random key (0600, in a 0700 folder); never overwrites an existing one. */
export function createIntegrityKey(paths: IntegrityPaths): Buffer {
  if (inside(paths.dataDir, paths.keyFile)) {
    throw new IntegrityKeyError(`INTEGRITY_KEY_FILE ${paths.keyFile} is inside DATA_DIR: keep the key apart from the manifest it authenticates`);
  }
  mkdirSync(path.dirname(paths.keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(paths.keyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export { LoosePermissionsError };

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * SHA-256 of the manifest's body as written (the text the HMAC covers). The baseline and approval
 * audit entries store it in the hash-chained audit log, so a manifest re-signed with a stolen key
 * still differs from the last one an operator approved.
 */
export function manifestSha256(manifest: Manifest): string {
  return createHash('sha256').update(JSON.stringify(manifest)).digest('hex');
}

export type ReadManifest =
  | { ok: true; manifest: Manifest; sha256: string }
  | { ok: false; error: 'NO_MANIFEST' }
  /** The file is there but its HMAC does not verify (or it is not a manifest): treated as tampering. */
  | { ok: false; error: 'BAD_HMAC' | 'MALFORMED'; detail: string };

export function readManifest(paths: IntegrityPaths, key: Buffer): ReadManifest {
  let text: string;
  try {
    text = readFileSync(paths.manifestFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, error: 'NO_MANIFEST' };
    throw err;
  }
  const newline = text.indexOf('\n');
  const header = /^mamori-integrity\/1 hmac-sha256=([0-9a-f]{64})$/.exec(newline < 0 ? text : text.slice(0, newline));
  if (!header) return { ok: false, error: 'MALFORMED', detail: 'the first line is not a mamori-integrity/1 HMAC header' };
  const body = text.slice(newline + 1);
  const expected = Buffer.from(mac(key, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(header[1]!, 'hex'))) {
    return { ok: false, error: 'BAD_HMAC', detail: 'the manifest\'s HMAC does not match its content: it was edited, or the key was replaced' };
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(body));
  if (!parsed.success) return { ok: false, error: 'MALFORMED', detail: 'the authenticated manifest does not have the expected fields' };
  return { ok: true, manifest: parsed.data as Manifest, sha256: createHash('sha256').update(body).digest('hex') };
}

/** Writes the manifest atomically (temporary file, fsync, rename), 0600. */
export function writeManifest(paths: IntegrityPaths, key: Buffer, manifest: Manifest): void {
  const body = JSON.stringify(manifest);
  const tmp = `${paths.manifestFile}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${MANIFEST_FORMAT} hmac-sha256=${mac(key, body)}\n${body}`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, paths.manifestFile);
}
