// `tsx scripts/cpu-profile-summary.ts FILE.cpuprofile [N] [LAST_SECONDS]`: the top N functions by
// self time of a V8 CPU profile (`node --cpu-prof`), and self time by package, as plain text for a
// closing note. LAST_SECONDS keeps only the profile's last seconds (the load window: --cpu-prof
// covers the whole process, start-up included).
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpu-profile-summary FILE.cpuprofile [N]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Self time per node from the samples and their time deltas (hitCount alone ignores the interval).
const byNode = new Map<number, number>();
const at: number[] = [];
profile.timeDeltas.reduce((t, d, i) => (at[i] = t + d), 0);
const from = lastArg ? at[at.length - 1]! - Number(lastArg) * 1e6 : -Infinity;
profile.samples.forEach((id, i) => { if (at[i]! >= from) byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)); });
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
let total = 0;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, us] of byNode) {
  const n = nodes.get(id)!;
  total += us;
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const short = url.replace(/.*\/node_modules\//, '').replace(/.*\/(src|paygate|platform)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${short ? `${short}:${n.callFrame.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg = n.callFrame.url === '' ? n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)'
    : url.includes('/node_modules/') ? url.replace(/.*\/node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')
    : url.startsWith('node:') ? 'node: (core)'
    : url.replace(/.*\/((src|paygate|platform)\/[^/]+).*/, '$1');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n\ntop ${top} functions by self time\n`);
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
process.stdout.write('\nself time by package / folder\n');
for (const [k, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
