// The Node.js runtime as it is running: process.version and process.versions (the libraries
// compiled into the binary: OpenSSL, zlib, libuv, V8, …), and where this release line stands
// in the Node.js release schedule (a copy of nodejs/Release's schedule.json ships in
// ./data; `advisories update` refreshes it, MAMORI_NODE_SCHEDULE points to another file).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAdvisoryDir } from '../advisories/store.ts';
import { configFromEnvironment } from '../config/config.ts';
import type { Component, NodeReleasePhase, NodeRuntimeInfo } from './types.ts';

export const BUNDLED_SCHEDULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'node-release-schedule.json');

export interface ScheduleEntry {
  start: string;
  lts?: string;
  maintenance?: string;
  end?: string;
  codename?: string;
}
export type ReleaseSchedule = Record<string, ScheduleEntry>;

/** The schedule in use: explicit, MAMORI_NODE_SCHEDULE, the copy `advisories update` keeps in the store, or the shipped one. */
export function scheduleFile(explicit?: string): string {
  if (explicit) return explicit;
  const configured = configFromEnvironment().advisories.nodeScheduleFile;
  if (configured) return configured;
  const updated = path.join(defaultAdvisoryDir(), 'node-release-schedule.json');
  return existsSync(updated) ? updated : BUNDLED_SCHEDULE;
}

export function loadSchedule(file = scheduleFile()): ReleaseSchedule {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReleaseSchedule;
  } catch (err) {
    throw new Error(`cannot read the Node.js release schedule ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Where a Node.js version stands on `now` according to the schedule. */
export function releasePhase(version: string, schedule: ReleaseSchedule, now = new Date()): { line: string; phase: NodeReleasePhase; entry?: ScheduleEntry } {
  const v = version.replace(/^v/, '');
  const [major, minor] = v.split('.');
  const line = major === '0' ? `v0.${minor}` : `v${major}`;
  const entry = schedule[line];
  if (!entry) return { line, phase: 'unknown' };
  const t = now.getTime();
  const at = (d?: string) => (d ? Date.parse(`${d}T00:00:00Z`) : undefined);
  const end = at(entry.end);
  if (end === undefined || t >= end + 86_400_000) return { line, phase: 'end-of-life', entry };
  const maint = at(entry.maintenance);
  const lts = at(entry.lts);
  if (maint !== undefined && t >= maint) return { line, phase: lts !== undefined ? 'maintenance-lts' : 'maintenance', entry };
  if (lts !== undefined && t >= lts) return { line, phase: 'active-lts', entry };
  return { line, phase: 'current', entry };
}

export function nodeRuntimeInfo(opts: { schedulePath?: string; now?: Date; versions?: NodeJS.ProcessVersions; version?: string } = {}): NodeRuntimeInfo {
  const file = scheduleFile(opts.schedulePath);
  const schedule = loadSchedule(file);
  const version = (opts.version ?? process.version).replace(/^v/, '');
  const versions = opts.versions ?? process.versions;
  const { line, phase, entry } = releasePhase(version, schedule, opts.now);
  return {
    version,
    line,
    ...(entry?.codename ? { codename: entry.codename } : {}),
    phase,
    ...(entry?.end ? { endOfLife: entry.end } : {}),
    eol: phase === 'end-of-life',
    scheduleSource: file,
    openssl: (versions.openssl ?? '').replace(/\+.*$/, ''),
    platform: process.platform,
    arch: process.arch,
    execPath: process.execPath,
  };
}

// process.versions keys → upstream project name and purl type. Keys not listed are still
// reported, under their own name; ABI numbers (modules, napi) and data versions are skipped.
const SKIP = new Set(['node', 'modules', 'napi', 'unicode', 'cldr', 'tz', 'icu']);
const NAMES: Record<string, { name: string; npm?: boolean }> = {
  openssl: { name: 'openssl' },
  uv: { name: 'libuv' },
  ares: { name: 'c-ares' },
  zlib: { name: 'zlib' },
  brotli: { name: 'brotli' },
  zstd: { name: 'zstd' },
  v8: { name: 'v8' },
  nghttp2: { name: 'nghttp2' },
  nghttp3: { name: 'nghttp3' },
  ngtcp2: { name: 'ngtcp2' },
  llhttp: { name: 'llhttp' },
  sqlite: { name: 'sqlite' },
  simdjson: { name: 'simdjson' },
  simdutf: { name: 'simdutf' },
  ada: { name: 'ada' },
  uvwasi: { name: 'uvwasi' },
  undici: { name: 'undici', npm: true },
  acorn: { name: 'acorn', npm: true },
  cjs_module_lexer: { name: 'cjs-module-lexer', npm: true },
  amaro: { name: 'amaro', npm: true },
};

export function nodeComponents(opts: { versions?: NodeJS.ProcessVersions; version?: string } = {}): Component[] {
  const versions = opts.versions ?? process.versions;
  const nodeVersion = (opts.version ?? process.version).replace(/^v/, '');
  const out: Component[] = [
    { kind: 'runtime', ecosystem: 'generic', name: 'node', version: nodeVersion, purl: `pkg:generic/node@${nodeVersion}`, license: 'MIT', source: 'process.version' },
  ];
  for (const [key, raw] of Object.entries(versions)) {
    if (SKIP.has(key) || typeof raw !== 'string' || raw === '') continue; // '' = not built in (e.g. QUIC)
    // "3.0.13+quic" → 3.0.13; "12.4.254.21-node.33" → keep V8's own numbering
    const version = key === 'openssl' ? raw.replace(/\+.*$/, '') : raw;
    const m = NAMES[key] ?? { name: key.replace(/_/g, '-') };
    out.push({
      kind: 'runtime-library',
      ecosystem: m.npm ? 'npm' : 'generic',
      name: m.name,
      version,
      purl: m.npm ? `pkg:npm/${m.name}@${version}` : `pkg:generic/${m.name}@${encodeURIComponent(version)}`,
      source: `process.versions.${key} (compiled into node ${nodeVersion})`,
    });
  }
  return out;
}
