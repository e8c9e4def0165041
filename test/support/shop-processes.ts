// Starts and stops test/support/shop-process.ts children (one shop instance each, configured from
// its environment) for the multi-instance tests: ready when the child reports its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ShopProcess {
  child: ChildProcess;
  url: string;
}

export function startShopProcess(env: NodeJS.ProcessEnv, entry = 'test/support/shop-process.ts'): Promise<ShopProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(entry)], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`shop process exited with ${code}`)));
    child.on('message', (raw) => {
      const m = raw as { type: string; url?: string };
      if (m.type === 'ready') resolve({ child, url: m.url! });
    });
  });
}

/** Asks the child to close the shop (waits for running jobs and requests) and waits for its exit. */
export async function stopShopProcess(p: ShopProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.send({ type: 'close' });
  await exited;
}
