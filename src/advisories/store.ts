// The local advisory store: a directory (./data/advisories, or MAMORI_ADVISORY_DIR) with
//   advisories.ndjson  one normalised advisory per line (see model.ts)
//   manifest.json      when each source was imported, so `check` can refuse stale data
// Imports merge by advisory id (a newer `modified` wins), and are written to a temporary
// file first and renamed, so a failed import never leaves half a store behind.
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { configFromEnvironment } from '../config/config.ts';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { mergeAdvisory, type Advisory } from './model.ts';
import { parseNodeCore } from './parse.ts';
import { readAdvisoryInputs, type InputResult, type ProgressFn } from './sources.ts';

export interface ManifestSource {
  input: string;
  kind: string;
  records: number;
  importedAt: string;
}

export interface AdvisoryManifest {
  version: 1;
  /** Last time anything was imported: what the staleness check reads. */
  updatedAt: string;
  count: number;
  sources: ManifestSource[];
}

/** The advisory store this process's configuration names (MAMORI_ADVISORY_DIR, else DATA_DIR/advisories). */
export function defaultAdvisoryDir(): string {
  return configFromEnvironment().advisories.dir;
}

const DATA_FILE = 'advisories.ndjson';
const MANIFEST_FILE = 'manifest.json';

export function isAdvisoryStore(dir: string): boolean {
  return existsSync(path.join(dir, MANIFEST_FILE)) && existsSync(path.join(dir, DATA_FILE));
}

export async function readManifest(dir: string): Promise<AdvisoryManifest | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as AdvisoryManifest;
  } catch {
    return null;
  }
}

export async function loadStore(dir: string): Promise<{ advisories: Advisory[]; manifest: AdvisoryManifest | null }> {
  const manifest = await readManifest(dir);
  const file = path.join(dir, DATA_FILE);
  if (!existsSync(file)) return { advisories: [], manifest };
  const advisories: Advisory[] = [];
  const rl = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      advisories.push(JSON.parse(line) as Advisory);
    } catch {
      throw new Error(`${file}: line ${n} is not valid JSON; re-import the advisories`);
    }
  }
  return { advisories, manifest };
}

const newer = mergeAdvisory;

export interface ImportResult {
  dir: string;
  inputs: InputResult[];
  imported: number;
  total: number;
  manifest: AdvisoryManifest;
}

/** Imports files, directories or zip dumps into the store. Throws AdvisoryInputError naming the bad file and record. */
export async function importAdvisories(inputs: string[], opts: { dir?: string; progress?: ProgressFn; now?: Date; sourceLabel?: string } = {}): Promise<ImportResult> {
  const dir = opts.dir ?? defaultAdvisoryDir();
  const incoming = new Map<string, Advisory>();
  let imported = 0;
  const results = await readAdvisoryInputs(
    inputs,
    (list) => {
      for (const a of list) {
        imported++;
        const old = incoming.get(a.id);
        incoming.set(a.id, old ? newer(old, a) : a);
      }
    },
    opts.progress,
  );
  return writeMerged(dir, incoming, results.map((r) => ({ input: opts.sourceLabel ?? path.resolve(r.input), kind: r.kind, records: r.records })), imported, opts.now);
}

/** Imports already parsed advisories (used by `advisories update` for the Node.js core list). */
export async function importParsed(advisories: Advisory[], source: { input: string; kind: string }, opts: { dir?: string; now?: Date } = {}): Promise<ImportResult> {
  const incoming = new Map(advisories.map((a) => [a.id, a]));
  return writeMerged(opts.dir ?? defaultAdvisoryDir(), incoming, [{ ...source, records: advisories.length }], advisories.length, opts.now);
}

async function writeMerged(dir: string, incoming: Map<string, Advisory>, sources: Omit<ManifestSource, 'importedAt'>[], imported: number, now = new Date()): Promise<ImportResult> {
  await fs.mkdir(dir, { recursive: true });
  const { advisories: existing, manifest: old } = await loadStore(dir);
  const merged = new Map(existing.map((a) => [a.id, a]));
  for (const [id, a] of incoming) {
    const prev = merged.get(id);
    merged.set(id, prev ? newer(prev, a) : a);
  }
  const tmp = path.join(dir, `.${DATA_FILE}.${process.pid}.tmp`);
  const fh = await fs.open(tmp, 'w');
  try {
    let buf: string[] = [];
    for (const a of merged.values()) {
      buf.push(JSON.stringify(a));
      if (buf.length >= 5000) {
        await fh.write(buf.join('\n') + '\n');
        buf = [];
      }
    }
    if (buf.length) await fh.write(buf.join('\n') + '\n');
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(dir, DATA_FILE));
  const importedAt = now.toISOString();
  const bySource = new Map((old?.sources ?? []).map((s) => [s.input, s]));
  for (const s of sources) bySource.set(s.input, { ...s, importedAt });
  const manifest: AdvisoryManifest = { version: 1, updatedAt: importedAt, count: merged.size, sources: [...bySource.values()] };
  await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { dir, inputs: sources.map((s) => ({ ...s, kind: s.kind as InputResult['kind'], mtimeMs: now.getTime() })), imported, total: merged.size, manifest };
}

/** The Node.js core advisories shipped inside the is-my-node-vulnerable package (read from disk, never fetched). */
export async function loadBundledNodeCoreAdvisories(): Promise<{ advisories: Advisory[]; file: string; mtime: Date } | null> {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('is-my-node-vulnerable/package.json');
    const file = path.join(path.dirname(pkg), 'core.json');
    const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { advisories: parseNodeCore(JSON.parse(text), file), file, mtime: st.mtime };
  } catch {
    return null;
  }
}

export interface LoadedAdvisoryData {
  advisories: Advisory[];
  /** When the data was last refreshed (store: manifest.updatedAt; plain files: their newest mtime). Null if none. */
  asOf: Date | null;
  /** Human-readable description of where the data came from. */
  sources: string[];
}

/**
 * Loads the advisories `check` uses: the store (default dir or `dir`), or explicit files/dirs/zips
 * when `inputs` are given (a directory that is itself a store is loaded as a store).
 */
export async function loadAdvisoryData(opts: { dir?: string; inputs?: string[]; progress?: ProgressFn } = {}): Promise<LoadedAdvisoryData> {
  if (opts.inputs && opts.inputs.length) {
    const advisories: Advisory[] = [];
    const sources: string[] = [];
    let asOf = 0;
    const plain: string[] = [];
    for (const input of opts.inputs) {
      if (isAdvisoryStore(input)) {
        const s = await loadStore(input);
        advisories.push(...s.advisories);
        sources.push(`${input} (store, ${s.advisories.length} advisories)`);
        asOf = Math.max(asOf, s.manifest ? Date.parse(s.manifest.updatedAt) : 0);
      } else plain.push(input);
    }
    if (plain.length) {
      const results = await readAdvisoryInputs(plain, (l) => advisories.push(...l), opts.progress);
      for (const r of results) {
        sources.push(`${r.input} (${r.kind}, ${r.records} records)`);
        asOf = Math.max(asOf, r.mtimeMs);
      }
    }
    return { advisories, asOf: asOf ? new Date(asOf) : null, sources };
  }
  const dir = opts.dir ?? defaultAdvisoryDir();
  const s = await loadStore(dir);
  return {
    advisories: s.advisories,
    asOf: s.manifest ? new Date(s.manifest.updatedAt) : null,
    sources: s.manifest ? [`${dir} (store, ${s.advisories.length} advisories, updated ${s.manifest.updatedAt})`] : [],
  };
}
