// npm packages as installed: every package.json under node_modules (nested ones too),
// cross-checked with package-lock.json for integrity, dev/prod and direct/transitive.
// What is on disk wins over what the lock file says: a package in node_modules that the lock
// file does not know is still reported (with a note), and a lock entry with nothing on disk is not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Component } from './types.ts';

interface LockEntry {
  version?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
}

interface PackageJson {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: Array<{ type?: string }>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function licenseOf(pkg: PackageJson, lock?: LockEntry): string | undefined {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license === 'object' && pkg.license.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses) && pkg.licenses.length) {
    const types = pkg.licenses.map((l) => l.type).filter(Boolean);
    if (types.length) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return lock?.license;
}

export function npmPurl(name: string, version: string): string {
  const v = encodeURIComponent(version);
  if (name.startsWith('@')) {
    const [scope, pkg] = name.split('/');
    return `pkg:npm/${encodeURIComponent(scope!)}/${encodeURIComponent(pkg!)}@${v}`;
  }
  return `pkg:npm/${encodeURIComponent(name)}@${v}`;
}

/** Every installed package directory below `nodeModules` as [relative path from root, absolute dir]. */
function* walkNodeModules(root: string, rel: string): Generator<[string, string]> {
  const dir = path.join(root, rel);
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    if (e.name.startsWith('@')) {
      let scoped: import('node:fs').Dirent[];
      try {
        scoped = readdirSync(path.join(dir, e.name), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const s of scoped) {
        if (s.name.startsWith('.')) continue;
        const r = `${rel}/${e.name}/${s.name}`;
        yield [r, path.join(root, r)];
        yield* walkNodeModules(root, `${r}/node_modules`);
      }
    } else {
      const r = `${rel}/${e.name}`;
      yield [r, path.join(root, r)];
      yield* walkNodeModules(root, `${r}/node_modules`);
    }
  }
}

export interface NpmInventoryResult {
  components: Component[];
  notes: string[];
}

export function npmComponents(projectRoot: string): NpmInventoryResult {
  const notes: string[] = [];
  const rootPkg = readJson<PackageJson>(path.join(projectRoot, 'package.json'));
  if (!rootPkg) return { components: [], notes: [`npm: no package.json in ${projectRoot}`] };
  const lock = readJson<{ lockfileVersion?: number; packages?: Record<string, LockEntry> }>(path.join(projectRoot, 'package-lock.json'));
  const lockPackages = lock?.packages ?? {};
  if (!lock) notes.push('npm: no package-lock.json: integrity and dev/prod come from package.json only');
  else if (!lock.packages) notes.push(`npm: package-lock.json version ${lock.lockfileVersion ?? 1} has no "packages" map; run npm install with npm 7 or later`);

  const directProd = new Set([...Object.keys(rootPkg.dependencies ?? {}), ...Object.keys(rootPkg.optionalDependencies ?? {}), ...Object.keys(rootPkg.peerDependencies ?? {})]);
  const directDev = new Set(Object.keys(rootPkg.devDependencies ?? {}));

  if (!existsSync(path.join(projectRoot, 'node_modules'))) {
    notes.push('npm: node_modules is missing: nothing is installed (run npm ci)');
    return { components: [], notes };
  }

  // name@version → merged component (the same version installed at several paths is one component)
  const byId = new Map<string, Component & { paths: number }>();
  let unknownToLock = 0;
  for (const [rel, dir] of walkNodeModules(projectRoot, 'node_modules')) {
    const pkg = readJson<PackageJson>(path.join(dir, 'package.json'));
    if (!pkg?.name || !pkg.version) continue;
    const entry = lockPackages[rel];
    if (lock?.packages && !entry) unknownToLock++;
    const topLevel = rel === `node_modules/${pkg.name}`;
    const direct = topLevel && (directProd.has(pkg.name) || directDev.has(pkg.name));
    const dev = entry ? Boolean(entry.dev) : topLevel && directDev.has(pkg.name) && !directProd.has(pkg.name);
    const id = `${pkg.name}@${pkg.version}`;
    const prev = byId.get(id);
    if (prev) {
      prev.paths++;
      prev.direct = prev.direct || direct;
      prev.dev = prev.dev && dev; // prod wins: needed at run time if any copy is
      if (!prev.integrity && entry?.integrity) prev.integrity = entry.integrity;
      continue;
    }
    if (entry?.version && entry.version !== pkg.version) notes.push(`npm: ${rel} is ${pkg.version} on disk but ${entry.version} in package-lock.json (run npm ci)`);
    const license = licenseOf(pkg, entry);
    byId.set(id, {
      kind: 'npm',
      ecosystem: 'npm',
      name: pkg.name,
      version: pkg.version,
      purl: npmPurl(pkg.name, pkg.version),
      ...(license ? { license } : {}),
      ...(entry?.integrity ? { integrity: entry.integrity } : {}),
      direct,
      dev,
      source: rel,
      paths: 1,
    });
  }
  if (unknownToLock) notes.push(`npm: ${unknownToLock} installed package(s) are not in package-lock.json (extraneous; run npm ci)`);
  const components = [...byId.values()].map(({ paths: _p, ...c }) => c);
  components.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  return { components, notes };
}
