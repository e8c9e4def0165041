// `npm run build`: compiles the shipped code (src/, paygate/, platform/) to dist/ with tsc, copies
// the files it reads beside itself (migrations are compiled; the password list, the bundled Node
// release schedule, JSON schemas), and stamps the build with the newest source time, so the bin/
// launchers run dist/ only while it is current and otherwise fall back to the sources via tsx.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSourceMtimeMs, SOURCE_DIRS } from '../bin/build-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const started = performance.now();
const newest = newestSourceMtimeMs(root);
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
const copyAssets = (rel: string) => {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'fixtures' && entry.name !== 'node_modules') copyAssets(r); continue; }
    if (/\.(tsx?|md)$/.test(entry.name)) continue;
    mkdirSync(path.join(dist, rel), { recursive: true });
    copyFileSync(path.join(root, r), path.join(dist, r));
    copied++;
  }
};
for (const dir of SOURCE_DIRS) copyAssets(dir);
writeFileSync(path.join(dist, 'build.json'), JSON.stringify({ newestSourceMtimeMs: newest, builtAt: new Date().toISOString() }, null, 2) + '\n');
process.stdout.write(`dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s (${copied} asset files copied)\n`);
