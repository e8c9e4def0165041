// What a supervisor (systemd, a container runtime) does: start `npm start` and later send SIGTERM
// to that one PID — not to the process group, as Ctrl-C would. Everything it started (tsx loader,
// the shop, the sandbox gateway, their esbuild helpers) must be gone once npm exits, and npm must
// exit 0. The process tree is read from /proc before the signal, so a leftover is named by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/payment-stack.ts';
import { TEST_DIR_PREFIX } from '../support/databases.ts';

const haveProc = existsSync('/proc/self/stat');

/** pid → ppid for every process (Linux /proc). */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(entry), ppid);
    } catch { /* exited meanwhile */ }
  }
  return table;
}

function descendants(root: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table) if (ppid === parent) { out.push(pid); queue.push(pid); }
  }
  return out;
}

/** A live process (a zombie waiting for its parent to reap it is not running anything). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

const commandOf = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim(); } catch { return '?'; } };

describe.skipIf(!haveProc)('SIGTERM to the one process `npm start` is', () => {
  let npm: ChildProcess | undefined;
  afterAll(() => {
    // Only if the test failed: the whole group, so nothing of this test outlives it.
    if (npm?.pid && npm.exitCode === null) try { process.kill(-npm.pid, 'SIGKILL'); } catch { /* gone */ }
  });

  /** `npm start` on a fresh data directory, as a supervisor runs it; `until` resolves once its output has the text. */
  async function npmStart(logLevel: 'warn' | 'info') {
    const dataDir = mkdtempSync(path.join(tmpdir(), TEST_DIR_PREFIX));
    const env: NodeJS.ProcessEnv = {
      ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(await freePort()), PAYGATE_PORT: String(await freePort()),
      LOG_LEVEL: logLevel, PAGE_MONITOR_INTERVAL_SECONDS: '0', INTEGRITY_CHECK_INTERVAL_SECONDS: '0', PAN_SCAN_INTERVAL_HOURS: '0',
    };
    delete env.DATABASE_URL;
    // detached: a process group of its own, as under a supervisor (and so the test's own group is never signalled).
    const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    npm = child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let output = '';
    const waiting: { text: string; resolve: () => void }[] = [];
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const w of waiting.filter((x) => output.includes(x.text))) { waiting.splice(waiting.indexOf(w), 1); w.resolve(); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const until = (text: string) => new Promise<void>((resolve, reject) => {
      if (output.includes(text)) return resolve();
      waiting.push({ text, resolve });
      void exited.then(() => reject(new Error(`npm start exited before its output had "${text}":\n${output}`)));
    });
    return { child, exited, until, get output() { return output; } };
  }

  it('stops the shop, its sandbox gateway and every helper process, and exits 0', async () => {
    const shop = await npmStart('warn');
    await shop.until('Stop with Ctrl-C');
    const started = descendants(shop.child.pid!);
    const described = started.map((pid) => `${pid} ${commandOf(pid)}`);
    // What is about to be checked really is there: the shop and the gateway below npm.
    expect(described.some((d) => /bin\/mamori-shop\.js|src\/main\.ts/.test(d)), described.join('\n')).toBe(true);
    expect(described.some((d) => /paygate\/main\.(ts|js)/.test(d)), described.join('\n')).toBe(true);

    process.kill(shop.child.pid!, 'SIGTERM');
    const result = await shop.exited;
    expect(result, shop.output).toEqual({ code: 0, signal: null });
    // npm waits for its script's process, which waits for the gateway; helpers (esbuild's service)
    // end when their parent's pipe closes, an instant later: a bounded wait for that.
    const deadline = Date.now() + 5000;
    let left = started.filter(alive);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      left = started.filter(alive);
    }
    expect(left.map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
  }, 120_000);

  it('a SIGTERM while the shop is still starting is kept: the shop finishes starting, then stops cleanly and exits 0', async () => {
    const shop = await npmStart('info');
    // The gateway is started by main() after it takes signals, and it says where its inspection
    // pages are as soon as it listens, long before the shop is up (migrations, the demo catalog).
    await shop.until('Sandbox inspection pages:');
    expect(shop.output).not.toContain('Stop with Ctrl-C');
    process.kill(shop.child.pid!, 'SIGTERM');
    const result = await shop.exited;
    expect(result, shop.output).toEqual({ code: 0, signal: null });
    // It started fully (the banner) and then shut down (pino's line), rather than dying half-started.
    expect(shop.output).toContain('Stop with Ctrl-C');
    expect(shop.output).toContain('shutting down');
  }, 120_000);
});
