// `npm run bench`: runs every bench/*.ts script in turn, each in its own process so one
// benchmark's warm-up or leftovers cannot skew the next. Pass names to run a subset:
// `npm run bench -- shop advisories`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();

let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== bench/${script} ===\n`);
  const r = spawnSync('tsx', [path.join(here, script)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
