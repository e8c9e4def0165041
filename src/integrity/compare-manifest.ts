// What differs between the approved manifest and the installation now, as typed findings.
// A new or changed file where the shop serves or writes files (public/, DATA_DIR/media and its
// uploads) is judged by its first bytes: an image of an allowed type is an upload, anything else
// is a possible web shell whatever its name (shell.php, x.jpg holding script, .htaccess).
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { detectImageType, type ImageType } from '../admin/product-images.ts';
import { configSettingPausesCheckout } from './effective-config.ts';
import { packageOf, type FileHashes } from './install-tree.ts';
import type { Manifest } from './manifest-store.ts';

export type IntegrityFinding =
  | { kind: 'added' | 'changed' | 'removed'; path: string; package?: string; pausesCheckout: boolean }
  | { kind: 'web-shell'; path: string; reason: WebShellReason; pausesCheckout: true }
  | { kind: 'config-changed'; setting: string; before: string; after: string; pausesCheckout: boolean };

/**
 * `link`: a symbolic link (or socket, fifo) where the shop serves or writes files. Recorded by its
 * target, a link to an image could later be pointed at a script, or at a file outside the folder,
 * unnoticed: so every link there is reported, at each run, and never followed.
 */
export type WebShellReason = 'not-an-image' | 'script-in-image' | 'name-not-image' | 'link';

export interface Comparison {
  findings: IntegrityFinding[];
  /** New valid images in DATA_DIR/media since the baseline: uploads, not alarms. */
  uploads: string[];
  /** Media files gone since the baseline (a product image deleted): shown, not alarmed. */
  mediaRemoved: string[];
}

/**
 * Files that build what customers see and where they pay. Everything the shop process loads or
 * serves is in: one process serves the back office, the storefront and checkout, so a tampered
 * admin module or dependency can change the checkout page too. Out: tests, fixtures, docs, and
 * the command-line entry points, which the shop process never loads.
 */
export function pausesCheckout(file: string): boolean {
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(file) || /(^|\/)fixtures\//.test(file)) return false;
  if (!file.startsWith('node_modules/') && /\.md$/i.test(file)) return false;
  if (file.startsWith('src/cli/') || file.startsWith('bin/')) return false;
  return true;
}

/** Folders (manifest names) where the shop serves files to browsers: a new file there is judged by content. */
function servedByShop(file: string): boolean {
  return file === 'public' || file === 'media' || file.startsWith('public/') || file.startsWith('media/');
}

const EXTENSIONS: Record<ImageType, string[]> = { png: ['.png'], jpeg: ['.jpg', '.jpeg'], webp: ['.webp'] };
/** Script markers a polyglot (valid image header, script body) carries: PHP, JSP/ASP, HTML script. */
const SCRIPT_IN_IMAGE = /<\?php|<\?=|<%[@=!]?|<script[\s>]/i;

/**
 * Why a file the shop serves is a possible web shell, or undefined for an image of an allowed
 * type under a matching name. Reads the whole file (uploads are at most 2 MB).
 */
export async function webShellReason(absolute: string): Promise<'not-an-image' | 'script-in-image' | 'name-not-image' | undefined> {
  let data: Buffer;
  // O_NOFOLLOW: a link swapped in after the listing is refused (ELOOP → not an image), not read.
  const handle = await open(absolute, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  try {
    data = await handle.readFile();
  } finally {
    await handle.close();
  }
  const type = detectImageType(data);
  if (!type) return 'not-an-image';
  if (SCRIPT_IN_IMAGE.test(data.toString('latin1'))) return 'script-in-image';
  if (!EXTENSIONS[type].includes(path.extname(absolute).toLowerCase())) return 'name-not-image';
  return undefined;
}

export interface CurrentState {
  files: FileHashes;
  media: FileHashes;
  config: Record<string, string>;
  /** Absolute path of a manifest name (`public/x` under the root, `media/x` under DATA_DIR). */
  resolve: (name: string) => string;
}

export async function compareWithManifest(manifest: Pick<Manifest, 'files' | 'media' | 'config'>, now: CurrentState): Promise<Comparison> {
  const findings: IntegrityFinding[] = [];
  const uploads: string[] = [];
  const mediaRemoved: string[] = [];

  const judgeServed = async (file: string, kind: 'added' | 'changed') => {
    const reason = await webShellReason(now.resolve(file)).catch(() => 'not-an-image' as const);
    if (reason) findings.push({ kind: 'web-shell', path: file, reason, pausesCheckout: true });
    else if (file.startsWith('media/')) uploads.push(file);
    else findings.push({ kind, path: file, pausesCheckout: pausesCheckout(file) });
  };

  const isLink = (hash: string) => hash.startsWith('link:') || hash === 'special';
  for (const [file, hash] of Object.entries(now.files)) {
    if (servedByShop(file) && isLink(hash)) {
      findings.push({ kind: 'web-shell', path: file, reason: 'link', pausesCheckout: true });
      continue;
    }
    const before = manifest.files[file];
    if (before === hash) continue;
    if (before === undefined && servedByShop(file)) {
      await judgeServed(file, 'added');
      continue;
    }
    const pkg = packageOf(file);
    findings.push({ kind: before === undefined ? 'added' : 'changed', path: file, ...(pkg ? { package: pkg } : {}), pausesCheckout: pausesCheckout(file) });
  }
  for (const file of Object.keys(manifest.files)) {
    if (now.files[file] !== undefined) continue;
    const pkg = packageOf(file);
    findings.push({ kind: 'removed', path: file, ...(pkg ? { package: pkg } : {}), pausesCheckout: pausesCheckout(file) });
  }

  for (const [file, hash] of Object.entries(now.media)) {
    if (isLink(hash)) {
      findings.push({ kind: 'web-shell', path: file, reason: 'link', pausesCheckout: true });
      continue;
    }
    if (manifest.media[file] === hash) continue;
    await judgeServed(file, manifest.media[file] === undefined ? 'added' : 'changed');
  }
  for (const file of Object.keys(manifest.media)) if (now.media[file] === undefined) mediaRemoved.push(file);

  const settings = new Set([...Object.keys(manifest.config), ...Object.keys(now.config)]);
  for (const setting of [...settings].sort()) {
    const before = manifest.config[setting] ?? 'unset';
    const after = now.config[setting] ?? 'unset';
    if (before !== after) findings.push({ kind: 'config-changed', setting, before, after, pausesCheckout: configSettingPausesCheckout(setting) });
  }
  return { findings, uploads, mediaRemoved };
}

const WEB_SHELL_REASONS: Record<WebShellReason, string> = {
  'not-an-image': 'not an image of an allowed type',
  'script-in-image': 'an image holding script',
  'name-not-image': 'an image under a non-image name',
  link: 'a symbolic link or special file where the shop serves files',
};

export function describeFinding(f: IntegrityFinding): string {
  switch (f.kind) {
    case 'web-shell':
      return `possible web shell: ${f.path} (${WEB_SHELL_REASONS[f.reason]})`;
    case 'config-changed':
      return `setting ${f.setting} changed: ${f.before} → ${f.after}`;
    default:
      return `${f.kind}: ${f.path}${f.package ? ` (package ${f.package})` : ''}`;
  }
}
