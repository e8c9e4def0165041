// What is installed, as SHA-256 per file: the shop's own code and static files and its
// node_modules. The shop runs this in process every few minutes, so the work is synchronous
// (measured: the promise-based fs API was three times slower over 14,000 small files) but cut
// into slices of a few milliseconds with a yield to the event loop between them: requests keep
// being served while it runs. Big files (the Node binary in node_modules/node) are read in 1 MB
// chunks, one chunk per slice at most.
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { INSTALL_ROOT } from '../install-root.ts';

/** Folders and files of the installation the manifest covers (relative to the root). */
// dist/: the compiled code `npm start` runs once built (`npm run build`); absent in development.
export const INSTALL_DIRECTORIES = ['src', 'paygate', 'platform', 'public', 'bin', 'node_modules', 'dist'] as const;
export const INSTALL_FILES = ['package.json', 'package-lock.json'] as const;

/**
 * Caches tools write into node_modules while the shop runs tests or builds (vite, vitest, babel):
 * not code the shop loads, and they change on every run. `.vite-temp` holds vite's bundled config,
 * written and deleted by every vitest run: hashed, a test run on the same tree between two starts
 * looked like a removed file and paused checkout (the bench's unexplained failed checkouts).
 */
const SKIPPED_IN_NODE_MODULES = new Set(['.cache', '.vite', '.vite-temp', '.vitest']);

/** The checkout this code runs from (src/integrity/ → the repository root). */
export function defaultInstallRoot(): string {
  return INSTALL_ROOT;
}

/** relative path (with `/`) → `sha256:<hex>`, `link:<target>` for a symbolic link, `unreadable:<code>`. */
export type FileHashes = Record<string, string>;

const SLICE_MS = 8;
const CHUNK = 1024 * 1024;

/** Runs synchronous steps, yielding to the event loop whenever a slice has used SLICE_MS. */
class TimeSlicer {
  private sliceStart = performance.now();
  async step(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}

async function hashFile(file: string, size: number, slicer: TimeSlicer, buffer: Buffer): Promise<string> {
  try {
    if (size <= CHUNK) return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    const hash = createHash('sha256');
    const fd = openSync(file, 'r');
    try {
      let read: number;
      while ((read = readSync(fd, buffer, 0, buffer.length, null)) > 0) {
        hash.update(buffer.subarray(0, read));
        await slicer.step();
      }
    } finally {
      closeSync(fd);
    }
    return `sha256:${hash.digest('hex')}`;
  } catch (err) {
    return `unreadable:${(err as NodeJS.ErrnoException).code ?? 'ERROR'}`;
  }
}

interface Pending { rel: string; abs: string; size: number; stat: string }

/**
 * What lstat says about a file: size, modification and change times, inode. The change time
 * (ctime) cannot be set back by a process (utimes sets only atime and mtime; any write or chmod
 * moves ctime to now), so a file whose fingerprint is unchanged was not rewritten since, short
 * of someone who can reset the system clock or edit the disk directly (root).
 */
function fingerprintOf(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

/** The previous manifest's hashes and fingerprints: a file with the same fingerprint keeps its hash unread. */
export interface ReusableHashes { files: FileHashes; stats: FileHashes }

/** `read`: files read and hashed this time (the rest were links or, in a quick check, unchanged). */
export interface HashedTree { files: FileHashes; stats: FileHashes; read: number }

/**
 * Lists every file under `abs` (not following symbolic links below it) into `out`; `rel` is the
 * name the manifest gives it. Symbolic links and special files are recorded as what they are.
 */
async function listTree(abs: string, rel: string, out: Pending[], links: FileHashes, slicer: TimeSlicer, skip?: Set<string>): Promise<void> {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  await slicer.step();
  for (const entry of entries) {
    if (skip?.has(entry.name)) continue;
    const childAbs = path.join(abs, entry.name);
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory()) await listTree(childAbs, childRel, out, links, slicer);
    else if (entry.isSymbolicLink()) {
      try {
        links[childRel] = `link:${readlinkSync(childAbs)}`;
      } catch {
        continue; // gone since the listing
      }
    } else if (entry.isFile()) {
      try {
        const st = lstatSync(childAbs);
        out.push({ rel: childRel, abs: childAbs, size: st.size, stat: fingerprintOf(st) });
      } catch {
        continue;
      }
    } else links[childRel] = 'special'; // a socket or fifo where code should be
  }
}

async function hashAll(pending: Pending[], into: FileHashes, slicer: TimeSlicer, reuse?: ReusableHashes): Promise<number> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let reused = 0;
  for (const p of pending) {
    const known = reuse?.files[p.rel];
    if (known?.startsWith('sha256:') && reuse!.stats[p.rel] === p.stat) {
      into[p.rel] = known;
      reused++;
      continue;
    }
    into[p.rel] = await hashFile(p.abs, p.size, slicer, buffer);
    await slicer.step();
  }
  return reused;
}

/** Top-level folders the shop serves to browsers: followed nowhere, not even when the folder itself is a link. */
const SERVED_DIRECTORIES = new Set(['public']);

function topLevelLink(abs: string): string | undefined {
  try {
    return lstatSync(abs).isSymbolicLink() ? `link:${readlinkSync(abs)}` : undefined;
  } catch {
    return undefined;
  }
}

/** Hashes every file of `dir` (for DATA_DIR/media); names are prefixed with `prefix`. */
export async function hashDirectory(dir: string, prefix: string): Promise<FileHashes> {
  const slicer = new TimeSlicer();
  const pending: Pending[] = [];
  const out: FileHashes = {};
  // The folder itself is not followed when it is a link: it is recorded (and reported) as one.
  const link = topLevelLink(dir);
  if (link) return { [prefix]: link };
  await listTree(dir, prefix, pending, out, slicer);
  await hashAll(pending, out, slicer);
  return sorted(out);
}

/**
 * The installation under `root`. The top-level folders may themselves be symbolic links (a
 * worktree's node_modules): those are followed, except public/ (recorded as a link), and links
 * below them are recorded as links. With
 * `reuse` (a quick check), files whose lstat fingerprint is unchanged are not read again.
 */
export async function hashInstallation(root: string, reuse?: ReusableHashes): Promise<HashedTree> {
  const slicer = new TimeSlicer();
  const pending: Pending[] = [];
  const out: FileHashes = {};
  for (const name of INSTALL_DIRECTORIES) {
    const abs = path.join(root, name);
    const link = SERVED_DIRECTORIES.has(name) ? topLevelLink(abs) : undefined;
    if (link) {
      out[name] = link;
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(abs).isDirectory();
    } catch {
      continue;
    }
    if (isDirectory) await listTree(abs, name, pending, out, slicer, name === 'node_modules' ? SKIPPED_IN_NODE_MODULES : undefined);
  }
  for (const name of INSTALL_FILES) {
    try {
      const st = lstatSync(path.join(root, name));
      if (st.isFile()) pending.push({ rel: name, abs: path.join(root, name), size: st.size, stat: fingerprintOf(st) });
    } catch {
      continue;
    }
  }
  const reused = await hashAll(pending, out, slicer, reuse);
  return { files: sorted(out), stats: sorted(Object.fromEntries(pending.map((p) => [p.rel, p.stat]))), read: pending.length - reused };
}

function sorted(hashes: FileHashes): FileHashes {
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `node_modules/@scope/name/…` → `@scope/name`; nested copies keep their path (`a/node_modules/b`). */
export function packageOf(file: string): string | undefined {
  if (!file.startsWith('node_modules/')) return undefined;
  const parts = file.split('/');
  const names: string[] = [];
  let i = 0;
  while (parts[i] === 'node_modules' && i + 1 < parts.length - 1) {
    const name = parts[i + 1]!.startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1]!;
    names.push(name);
    i += name.includes('/') ? 3 : 2;
  }
  return names.length ? names.join('/node_modules/') : undefined;
}

/** One digest per package over its sorted file names and hashes: how the manifest summarises node_modules. */
export function packageDigests(files: FileHashes): Record<string, string> {
  const byPackage = new Map<string, ReturnType<typeof createHash>>();
  for (const [file, hash] of Object.entries(files)) {
    const pkg = packageOf(file);
    if (!pkg) continue;
    let h = byPackage.get(pkg);
    if (!h) byPackage.set(pkg, (h = createHash('sha256')));
    h.update(`${file}\0${hash}\n`);
  }
  return Object.fromEntries([...byPackage].sort(([a], [b]) => (a < b ? -1 : 1)).map(([pkg, h]) => [pkg, h.digest('hex')]));
}
