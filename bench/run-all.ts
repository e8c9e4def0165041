// `npm run bench`: runs every bench/*.ts script in turn, each in its own process so one
// benchmark's warm-up or leftovers cannot skew the next. Pass names to run a subset:
// `npm run bench -- shop advisories`. Everything from the first `--option` on is passed to each
// script run: `npm run bench -- scan --runs 3`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const passed = firstOption === -1 ? [] : args.slice(firstOption);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();

let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== bench/${script} ===\n`);
  const r = spawnSync('tsx', [path.join(here, script), ...passed], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
