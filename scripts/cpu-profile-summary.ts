// `tsx scripts/cpu-profile-summary.ts FILE.cpuprofile [--last SECONDS] [--top N]`: the functions
// with the most self time in a V8 CPU profile (node --cpu-prof), optionally only over its last
// seconds (the load phase of a profiled shop, without its start-up). For the performance notes.
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  process.stderr.write('usage: cpu-profile-summary FILE.cpuprofile [--last SECONDS] [--top N]\n');
  process.exit(2);
}
const opt = (name: string, fallback: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const lastUs = opt('--last', Infinity) * 1e6;
const top = opt('--top', 25);

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Sample i lasted timeDeltas[i + 1]; walk backwards to keep only the last `lastUs`.
const self = new Map<string, number>();
let total = 0;
for (let i = profile.samples.length - 1; i >= 0 && total < lastUs; i--) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const n = byId.get(profile.samples[i]!)!;
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, '$1/')}:${f.lineNumber + 1}` : '';
  const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
}
process.stdout.write(`${(total / 1e6).toFixed(1)} s of samples\n`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${(us / total * 100).toFixed(1).padStart(5)}%  ${key}\n`);
}
