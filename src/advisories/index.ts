// Public entry point of the advisories module.
//
// For other features (the external scanner in src/scanner/ matches version banners such as
// `Server: nginx/1.18.0` or an OpenSSL version seen on the wire):
//
//   import { matchComponent } from '../advisories/index.ts';
//   const findings = await matchComponent({ ecosystem: 'generic', name: 'openssl', version: '1.0.1e' });
//   // → [{ advisory: { id: 'CVE-2014-0160', aliases: [...] }, severity: 'high', score: 7.5, fixed: ['1.0.1g'], hint, … }]
//
// `ecosystem` is 'generic' for upstream products (openssl, nginx, node, httpd, sqlite,
// postgresql: lower-case product names as CVE JSON 5 records name them), 'npm' for npm
// packages, 'deb' for Debian packages. Versions are compared in that product's own order
// (OpenSSL letter releases, semver, dpkg). The advisories come from the local store
// (./data/advisories or MAMORI_ADVISORY_DIR, or `dir`) plus the Node.js core list; the index
// is built once and reused until the store's manifest changes. It never touches the network.
import { AdvisoryIndex, type Finding, type MatchableComponent } from './matcher.ts';
import type { Advisory } from './model.ts';
import { defaultAdvisoryDir, loadBundledNodeCoreAdvisories, loadStore, readManifest } from './store.ts';

export { AdvisoryIndex, type Finding, type MatchableComponent } from './matcher.ts';
export type { Advisory } from './model.ts';
export { compareVersions } from './versions.ts';
export { cvss3BaseScore } from './cvss.ts';

const cache = new Map<string, { stamp: string; index: AdvisoryIndex }>();

/** The advisory index for a store directory (cached until its manifest changes). */
export async function getAdvisoryIndex(opts: { dir?: string; includeNodeCoreList?: boolean; extra?: Advisory[] } = {}): Promise<AdvisoryIndex> {
  const dir = opts.dir ?? defaultAdvisoryDir();
  const manifest = await readManifest(dir);
  const stamp = `${manifest?.updatedAt ?? 'none'}|${opts.includeNodeCoreList !== false}`;
  const hit = cache.get(dir);
  if (hit && hit.stamp === stamp && !opts.extra) return hit.index;
  const { advisories } = await loadStore(dir);
  const index = new AdvisoryIndex(advisories);
  if (opts.includeNodeCoreList !== false) {
    const core = await loadBundledNodeCoreAdvisories();
    for (const a of core?.advisories ?? []) if (!index.get(a.id)) index.add(a);
  }
  for (const a of opts.extra ?? []) index.add(a);
  if (!opts.extra) cache.set(dir, { stamp, index });
  return index;
}

/**
 * The advisories that apply to one component, e.g. a version banner seen by the scanner.
 * Returns [] when nothing applies (or no advisory data is present: check `advisoryDataAge()`).
 */
export async function matchComponent(component: MatchableComponent, opts: { dir?: string; index?: AdvisoryIndex } = {}): Promise<Finding[]> {
  const index = opts.index ?? (await getAdvisoryIndex({ dir: opts.dir }));
  return index.match({ ...component, name: component.ecosystem === 'npm' ? component.name : component.name.toLowerCase() });
}

/** How old the store's data is, in hours (null when there is none), so callers can say "unknown" rather than "clean". */
export async function advisoryDataAge(dir = defaultAdvisoryDir(), now = new Date()): Promise<number | null> {
  const m = await readManifest(dir);
  return m ? (now.getTime() - Date.parse(m.updatedAt)) / 3_600_000 : null;
}
