// The kill switch across instances: two shop processes on one database; the storefront is stopped
// (and resumed) through process A, and process B is polled until it follows. On PostgreSQL the
// fallback poll is set to 60 s, so only LISTEN/NOTIFY can make B follow quickly: the bound of 5 s
// catches a broken NOTIFY without being a timing assertion on the goal (≤ 1 s; the figures are
// printed and recorded in the notes). On SQLite B keeps its copy under the file's change marker
// (PRAGMA data_version moves on A's commit), so its very
// first request after A's commit must already see the stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { freePort } from '../../test/support/payment-stack.ts';

interface ShopProcess { child: ChildProcess; url: string; command(c: Record<string, unknown>): Promise<{ committedAt: number }> }

const BOUND_MS = 5000;
const ROUNDS = 5;

function startShopProcess(env: NodeJS.ProcessEnv): Promise<ShopProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/shop-process.ts')], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let seq = 0;
  const pending = new Map<number, (v: { committedAt: number }) => void>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`shop process exited with ${code}`)));
    child.on('message', (raw) => {
      const m = raw as { type: string; url?: string; id?: number; committedAt?: number };
      if (m.type === 'ready') {
        resolve({
          child, url: m.url!,
          command: (c) => new Promise((res) => { const id = ++seq; pending.set(id, res); child.send({ ...c, id }); }),
        });
      } else if (m.type === 'done') {
        pending.get(m.id!)?.({ committedAt: m.committedAt! });
        pending.delete(m.id!);
      }
    });
  });
}

async function stopProcess(p: ShopProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.send({ type: 'close' });
  await exited;
}

/** Polls `url` back to back (bounded by BOUND_MS) until it answers `status`; returns when and after how many requests. */
async function pollUntil(url: string, status: number): Promise<{ at: number; requests: number }> {
  const deadline = Date.now() + BOUND_MS;
  for (let requests = 1; ; requests++) {
    const res = await fetch(url, { headers: { connection: 'keep-alive' } });
    await res.arrayBuffer();
    if (res.status === status) return { at: Date.now(), requests };
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} within ${BOUND_MS} ms (${requests} requests)`);
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};

for (const database of DATABASES) {
  describe(`kill switch across two shop processes on ${database.name}`, () => {
    let a: ShopProcess | undefined;
    let b: ShopProcess | undefined;
    let drop: () => Promise<void> = async () => {};

    beforeAll(async () => {
      const created = await database.create();
      drop = created.drop;
      const base = { ...process.env, DATABASE_URL: created.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent', SHOP_PAUSE_POLL_SECONDS: '60' };
      // One after the other: the first migrates and seeds the fresh database.
      a = await startShopProcess({ ...base, DATA_DIR: created.dataDir, PORT: String(await freePort()) });
      b = await startShopProcess({ ...base, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'mamori-b-')), PORT: String(await freePort()) });
    }, 120_000);
    afterAll(async () => {
      await Promise.all([stopProcess(a), stopProcess(b)]);
      await drop();
    }, 60_000);

    it('a stop through one process reaches the other (and so does the resume)', async () => {
      expect((await fetch(`${b!.url}/`)).status).toBe(200);
      const stopMs: number[] = [];
      const resumeMs: number[] = [];
      const stopRequests: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const stopped = await a!.command({ type: 'pause', scope: 'storefront', message: `round ${round}` });
        // A answers from its own state at once (PostgreSQL: its own NOTIFY; SQLite: the table).
        const seenByB = await pollUntil(`${b!.url}/`, 503);
        stopMs.push(seenByB.at - stopped.committedAt);
        stopRequests.push(seenByB.requests);
        const page = await fetch(`${b!.url}/`);
        expect(await page.text()).toContain(`round ${round}`);
        expect(page.headers.get('retry-after')).toBe('300');

        const resumed = await a!.command({ type: 'resume', scope: 'storefront' });
        const reopenedOnB = await pollUntil(`${b!.url}/`, 200);
        resumeMs.push(reopenedOnB.at - resumed.committedAt);
      }
      if (database.name === 'sqlite') expect(stopRequests.every((n) => n === 1), `requests until B saw the stop: ${stopRequests}`).toBe(true);
      const figures = { database: database.name, rounds: ROUNDS, fallbackPollSeconds: 60, stopMs: stats(stopMs), resumeMs: stats(resumeMs), requestsUntilStopSeen: stopRequests };
      process.stdout.write(`kill-switch propagation (commit on A → first 503/200 on B): ${JSON.stringify(figures)}\n`);
    }, 120_000);
  });
}
