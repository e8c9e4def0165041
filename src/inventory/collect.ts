// `collectInventory()`: everything this system really runs, gathered from the running
// process and the filesystem rather than from what anyone declares.
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseComponent, type EngineVersionSource } from './database.ts';
import { nodeComponents, nodeRuntimeInfo } from './node-runtime.ts';
import { npmComponents } from './npm.ts';
import { osComponents, systemOpenSsl } from './os.ts';
import type { Inventory } from './types.ts';

export interface CollectOptions {
  /** Project root with package.json, package-lock.json and node_modules (default: cwd). */
  projectRoot?: string;
  /** Filesystem root for OS packages (default "/"). */
  osRoot?: string;
  /** The shop's database handle, for the engine version. */
  database?: EngineVersionSource;
  /** Release schedule file (default: the shipped copy, or MAMORI_NODE_SCHEDULE). */
  schedulePath?: string;
  now?: Date;
  /** Skip parts (tests, or a quick run): */
  skip?: Array<'node' | 'npm' | 'os' | 'openssl' | 'database'>;
}

export async function collectInventory(opts: CollectOptions = {}): Promise<Inventory> {
  const skip = new Set(opts.skip ?? []);
  const root = opts.projectRoot ?? process.cwd();
  const inv: Inventory = {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    host: { hostname: os.hostname(), os: `${os.type()} ${os.release()} ${os.arch()}` },
    components: [],
    notes: [],
  };
  if (!skip.has('node')) {
    inv.node = nodeRuntimeInfo({ schedulePath: opts.schedulePath, now: opts.now });
    inv.components.push(...nodeComponents());
  }
  if (!skip.has('npm')) {
    const r = npmComponents(root);
    inv.components.push(...r.components);
    inv.notes.push(...r.notes);
  }
  let osPackages: Inventory['components'] = [];
  if (!skip.has('os')) {
    const r = await osComponents(opts.osRoot ?? '/');
    osPackages = r.components;
    inv.components.push(...r.components);
    inv.notes.push(...r.notes);
    if (r.release) inv.host.release = r.release.prettyName ?? `${r.release.id} ${r.release.versionId ?? ''}`.trim();
  }
  if (!skip.has('node') && osPackages.length) {
    const owner = nodeOwnedBy(osPackages, opts.osRoot ?? '/');
    if (owner) {
      // Debian's own nodejs package backports fixes and may link the system OpenSSL: judge it by
      // Debian's advisories. NodeSource's packages are upstream builds: judge them as upstream.
      if (/nodesource/i.test(owner.version)) {
        inv.notes.push(`node: ${process.execPath} comes from the package ${owner.name} ${owner.version}, an upstream build: judged by Node.js's own advisories`);
      } else {
        for (const c of inv.components) if (c.kind === 'runtime' || c.kind === 'runtime-library') c.managedBy = `deb:${owner.sourceName ?? owner.name}@${owner.version}`;
        inv.notes.push(`node: ${process.execPath} comes from the distribution package ${owner.name} ${owner.version}: judged by the distribution's advisories`);
      }
    }
  }
  if (!skip.has('openssl')) {
    const r = await systemOpenSsl(osPackages);
    inv.components.push(...r.components);
    inv.notes.push(...r.notes);
  }
  if (!skip.has('database')) {
    if (opts.database) {
      try {
        inv.components.push(await databaseComponent(opts.database));
      } catch (err) {
        inv.notes.push(`database: cannot read the engine version (${err instanceof Error ? err.message : String(err)})`);
      }
    } else inv.notes.push('database: not connected (pass --database <url> or set DATABASE_URL to include the engine version)');
  }
  return inv;
}

/** The dpkg package that installed the running node binary, if any. */
function nodeOwnedBy(osPackages: Inventory['components'], osRoot: string): Inventory['components'][number] | undefined {
  const pkg = osPackages.find((p) => p.ecosystem === 'deb' && p.name === 'nodejs');
  if (!pkg) return undefined;
  let exe: string;
  try {
    exe = realpathSync(process.execPath);
  } catch {
    exe = process.execPath;
  }
  const info = path.join(osRoot, 'var/lib/dpkg/info');
  for (const f of ['nodejs.list', 'nodejs:amd64.list', 'nodejs:arm64.list', 'nodejs:i386.list', 'nodejs:armhf.list']) {
    try {
      const files = readFileSync(path.join(info, f), 'utf8').split('\n');
      if (files.includes(exe) || files.includes(process.execPath)) return pkg;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

export function countByKind(inv: Inventory): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of inv.components) out[c.kind] = (out[c.kind] ?? 0) + 1;
  return out;
}
