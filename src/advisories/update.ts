// `mamori advisories update`: downloads the configured sources, only when the machine is
// online. Offline (no DNS answer for a source's host, or MAMORI_OFFLINE=1) it fails
// clearly instead of pretending the data is fresh; import files with `advisories import`.
import { promises as dns } from 'node:dns';
import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseNodeCore } from './parse.ts';
import { configFromEnvironment } from '../config/config.ts';
import { defaultAdvisoryDir, importAdvisories, importParsed } from './store.ts';
import type { ProgressFn } from './sources.ts';

export interface AdvisorySource {
  name: string;
  url: string;
  format: 'osv-zip' | 'osv' | 'cve5' | 'node-core' | 'node-schedule';
}

/** Used when the policy lists no sources. */
export const DEFAULT_SOURCES: AdvisorySource[] = [
  { name: 'osv-npm', url: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip', format: 'osv-zip' },
  { name: 'osv-debian', url: 'https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip', format: 'osv-zip' },
  { name: 'nodejs-core', url: 'https://raw.githubusercontent.com/nodejs/security-wg/main/vuln/core/index.json', format: 'node-core' },
  { name: 'nodejs-schedule', url: 'https://raw.githubusercontent.com/nodejs/Release/main/schedule.json', format: 'node-schedule' },
];

export class OfflineError extends Error {}

export async function isReachable(url: string, timeoutMs = 3000): Promise<boolean> {
  if (configFromEnvironment().advisories.offline) return false;
  const host = new URL(url).hostname;
  if (host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) return true;
  try {
    await Promise.race([dns.lookup(host), new Promise((_r, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

async function download(url: string, file: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
}

export interface UpdateOutcome {
  source: AdvisorySource;
  ok: boolean;
  records?: number;
  error?: string;
}

export async function updateAdvisories(sources: AdvisorySource[], opts: { dir?: string; progress?: ProgressFn; log?: (line: string) => void; timeoutMs?: number } = {}): Promise<UpdateOutcome[]> {
  const dir = opts.dir ?? defaultAdvisoryDir();
  const reachable = await Promise.all(sources.map((s) => isReachable(s.url)));
  if (sources.length && reachable.every((r) => !r)) {
    throw new OfflineError(`offline: none of the advisory sources can be reached (${sources.map((s) => new URL(s.url).hostname).join(', ')}); the advisory data was NOT updated. Import files instead: mamori advisories import <file|dir|zip>`);
  }
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-advisories-'));
  const outcomes: UpdateOutcome[] = [];
  try {
    for (const [i, source] of sources.entries()) {
      if (!reachable[i]) {
        outcomes.push({ source, ok: false, error: `cannot resolve ${new URL(source.url).hostname} (offline?)` });
        continue;
      }
      const ext = source.format === 'osv-zip' ? '.zip' : '.json';
      const file = path.join(tmp, `${source.name}${ext}`);
      try {
        opts.log?.(`downloading ${source.name} from ${source.url}`);
        await download(source.url, file, opts.timeoutMs ?? 15 * 60_000);
        if (source.format === 'node-schedule') {
          const text = await fs.readFile(file, 'utf8');
          const parsed = JSON.parse(text) as Record<string, unknown>;
          if (!parsed || typeof parsed !== 'object' || !Object.keys(parsed).some((k) => /^v\d+/.test(k))) throw new Error('not a Node.js release schedule');
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(path.join(dir, 'node-release-schedule.json'), text);
          outcomes.push({ source, ok: true, records: Object.keys(parsed).length });
        } else if (source.format === 'node-core') {
          const list = parseNodeCore(JSON.parse(await fs.readFile(file, 'utf8')), source.url);
          await importParsed(list, { input: source.url, kind: 'node-core' }, { dir });
          outcomes.push({ source, ok: true, records: list.length });
        } else {
          const r = await importAdvisories([file], { dir, progress: opts.progress, sourceLabel: source.url });
          outcomes.push({ source, ok: true, records: r.imported });
        }
      } catch (err) {
        outcomes.push({ source, ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return outcomes;
}
