// Subresource Integrity for what the shop serves from public/: every <link>/<script> to a static
// file carries the SHA-384 of its bytes as they were at start-up. A file altered on disk later
// (an intruder adding a skimmer to the stylesheet or a script) no longer matches, and browsers
// refuse to apply it; the page watch and file integrity checks report it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INSTALL_ROOT } from '../install-root.ts';

export const PUBLIC_DIR = path.join(INSTALL_ROOT, 'public');

const cache = new Map<string, { href: string; integrity: string }>();

export function integrityOf(bytes: Uint8Array | string): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** `href` and `integrity` for a file under public/ (served at /static/). */
export function staticAsset(file: string): { href: string; integrity: string } {
  let asset = cache.get(file);
  if (!asset) {
    asset = { href: `/static/${file}`, integrity: integrityOf(readFileSync(path.join(PUBLIC_DIR, file))) };
    cache.set(file, asset);
  }
  return asset;
}
