// Reads advisory inputs: single JSON files, directories of them (recursively), and the
// zip dumps osv.dev publishes per ecosystem (one JSON record per entry). Each document
// is parsed as it is read, so a 100 MB dump never sits in memory as text all at once.
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { AdvisoryInputError } from './errors.ts';
import type { Advisory } from './model.ts';
import { parseAdvisoryDocument } from './parse.ts';

export interface ImportProgress {
  input: string;
  done: number;
  total: number;
  records: number;
}

export type ProgressFn = (p: ImportProgress) => void;

export interface InputResult {
  input: string;
  kind: 'file' | 'dir' | 'zip';
  records: number;
  mtimeMs: number;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AdvisoryInputError(file, undefined, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await fs.readdir(d, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.json') && e.name !== 'manifest.json' && !e.name.startsWith('.')) out.push(p);
      else if (e.isFile() && e.name.endsWith('.zip')) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) reject(new AdvisoryInputError(file, undefined, `not a readable zip file (${err?.message ?? 'unknown error'})`));
      else resolve(zip);
    });
  });
}

async function readZip(file: string, sink: (a: Advisory[]) => void, progress?: ProgressFn): Promise<number> {
  const zip = await openZip(file);
  const total = zip.entryCount;
  let done = 0;
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (e: Error) => reject(new AdvisoryInputError(file, undefined, `zip error: ${e.message}`)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      done++;
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) {
          reject(new AdvisoryInputError(`${file}!${entry.fileName}`, undefined, `cannot read entry: ${err?.message}`));
          return;
        }
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (e) => reject(new AdvisoryInputError(`${file}!${entry.fileName}`, undefined, e.message)));
        stream.on('end', () => {
          try {
            const name = `${file}!${entry.fileName}`;
            const list = parseAdvisoryDocument(parseJson(Buffer.concat(chunks).toString('utf8'), name), name);
            records += list.length;
            sink(list);
            progress?.({ input: file, done, total, records });
            zip.readEntry();
          } catch (e) {
            zip.close();
            reject(e);
          }
        });
      });
    });
    zip.readEntry();
  });
  progress?.({ input: file, done: total, total, records });
  return records;
}

async function readFile(file: string, sink: (a: Advisory[]) => void): Promise<number> {
  const list = parseAdvisoryDocument(parseJson(await fs.readFile(file, 'utf8'), file), file);
  sink(list);
  return list.length;
}

/** Reads every input (file, directory or zip) and hands the parsed advisories to `sink`. */
export async function readAdvisoryInputs(inputs: string[], sink: (a: Advisory[]) => void, progress?: ProgressFn): Promise<InputResult[]> {
  const results: InputResult[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new AdvisoryInputError(input, undefined, 'no such file or directory');
    }
    if (st.isDirectory()) {
      const files = await listJsonFiles(input);
      let records = 0;
      let mtimeMs = st.mtimeMs;
      let done = 0;
      for (const f of files) {
        records += f.endsWith('.zip') ? await readZip(f, sink) : await readFile(f, sink);
        mtimeMs = Math.max(mtimeMs, statSync(f).mtimeMs);
        progress?.({ input, done: ++done, total: files.length, records });
      }
      results.push({ input, kind: 'dir', records, mtimeMs });
    } else if (input.endsWith('.zip')) {
      results.push({ input, kind: 'zip', records: await readZip(input, sink, progress), mtimeMs: st.mtimeMs });
    } else {
      const records = await readFile(input, sink);
      progress?.({ input, done: 1, total: 1, records });
      results.push({ input, kind: 'file', records, mtimeMs: st.mtimeMs });
    }
  }
  return results;
}
