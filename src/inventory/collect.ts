// `collectInventory()`: everything this system really runs, gathered from the running
// process and the filesystem rather than from what anyone declares.
import os from 'node:os';
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

export function countByKind(inv: Inventory): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of inv.components) out[c.kind] = (out[c.kind] ?? 0) + 1;
  return out;
}
