// `npm run bench -- integrity`: what one `mamori integrity verify` of this repository (with its
// node_modules) costs. The baseline is written into a temporary DATA_DIR with its key beside it,
// then verify runs RUNS times; the first run may read files the page cache no longer holds
// ("first"), the rest are warm. Also timed in the same run: the walk alone (readdir + lstat of
// every file), the floor any per-file check pays, so the ratio says what hashing adds.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { integritySubject, recordFirstBaseline, verifyInstallation } from '../src/integrity/check-integrity.ts';
import { defaultInstallRoot } from '../src/integrity/install-tree.ts';
import { lstatSync, readdirSync } from 'node:fs';
import { ensurePrivateDataDir } from '../src/db/data-dir-permissions.ts';

const RUNS = 5;

function walkOnly(dir: string): number {
  let n = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += walkOnly(p);
    else { lstatSync(p); n++; }
  }
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'mamori-bench-integrity-'));
  try {
    const loaded = loadConfig({ DATA_DIR: path.join(work, 'data'), INTEGRITY_KEY_FILE: path.join(work, 'integrity.key'), LOG_LEVEL: 'silent' });
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    ensurePrivateDataDir(loaded.config.dataDir);
    const subject = integritySubject(loaded.config);
    const root = defaultInstallRoot();

    const walkMs: number[] = [];
    let walked = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      walked = ['src', 'paygate', 'platform', 'public', 'bin', 'node_modules'].map((d) => walkOnly(realpathSync(path.join(root, d)))).reduce((a, b) => a + b, 0);
      walkMs.push(performance.now() - t);
    }

    const t0 = performance.now();
    const first = await recordFirstBaseline(subject, 'approved', 'bench');
    if (!first.ok) throw new Error(first.detail);
    const baselineMs = performance.now() - t0;

    /** RUNS verifications of the untouched tree: wall and CPU milliseconds of each, files checked and read. */
    const timeVerify = async (quick: boolean) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      let files = 0;
      let read = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const v = await verifyInstallation(subject, { quick });
        wall.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        if (v.outcome !== 'clean') throw new Error(`verify (quick ${quick}) of an untouched tree was ${v.outcome}: ${JSON.stringify(v).slice(0, 300)}`);
        files = v.filesChecked;
        read = v.filesRead;
      }
      return { wall, cpu, files, read };
    };
    const full = await timeVerify(false);
    const fast = await timeVerify(true);
    const [times, cpu, quick, quickCpu, files, read] = [full.wall, full.cpu, fast.wall, fast.cpu, full.files, fast.read];
    const packages = Object.keys(first.manifest.packages).length;
    const bytes = Object.keys(first.manifest.files).map((f) => { try { return lstatSync(path.join(root, f)).size; } catch { return 0; } }).reduce((a, b) => a + b, 0);
    process.stdout.write(`root ${root}: ${files} files (${packages} node_modules packages), ${(bytes / 1e6).toFixed(0)} MB hashed per verify\n`);
    process.stdout.write(`walk only (readdir+lstat of ${walked} entries), median of 3: ${median(walkMs).toFixed(0)} ms\n`);
    process.stdout.write(`baseline (first hash of everything):      ${baselineMs.toFixed(0)} ms\n`);
    process.stdout.write(`verify runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms\n`);
    process.stdout.write(`verify median of ${RUNS}: ${median(times).toFixed(0)} ms wall (goal < 2000 ms), ${median(cpu).toFixed(0)} ms CPU; ${(median(times) / median(walkMs)).toFixed(1)}x the walk alone\n`);
    process.stdout.write(`verify --quick (lstat fingerprints; ${read} files read): ${quick.map((t) => t.toFixed(0)).join(', ')} ms, median ${median(quick).toFixed(0)} ms wall, ${median(quickCpu).toFixed(0)} ms CPU; ${(median(times) / median(quick)).toFixed(1)}x faster than the full verify\n`);
    process.stdout.write(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall time grows with other work on the machine; CPU time does not)\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
