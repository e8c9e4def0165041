// A private clamd for tests: its own config, socket and signature database in a temp dir.
// These machines have no internet, so freshclam cannot fetch the official database; the test
// writes a tiny one itself — the EICAR test file's SHA-256 (.hsb, the way the official
// database lists whole files) and one signature of our own for a marker inside a fake PNG
// (.ndb body signature) — so detection is proven against signatures the test controls.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { createClamdClient } from '../../src/malware-scan/clamd-client.ts';
import { browserSuiteDecision, isCi } from './headless-chromium.ts';

export const CLAMD_PATH = process.env.CLAMD_PATH ?? '/usr/sbin/clamd';

/** The EICAR anti-virus test file (68 bytes): harmless, detected by every scanner by design. */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');
/** What our own test signature matches, wherever it sits in a file. */
export const TEST_MALWARE_MARKER = Buffer.from('MAMORI-TEST-WEBSHELL-7f3a9c', 'latin1');
export const EICAR_SIGNATURE = 'Eicar-Test-Signature';
export const TEST_MARKER_SIGNATURE = 'Mamori.Test.ImageMarker';

/** A valid 1×1 PNG: libpng decodes it, as the re-encoding of uploaded images and logos needs. */
export const CLEAN_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000970485973000003e8000003e801b57b526b0000000d494441540899636060606000000005000187a14ed40000000049454e44ae426082', 'hex');

/** A file that starts like a PNG (so the upload's type check passes) and carries the test marker, as a web shell hidden in an image would. */
export function pngWithTestMarker(): Buffer {
  return Buffer.concat([CLEAN_PNG.subarray(0, CLEAN_PNG.length - 12), Buffer.from('<?php /* '), TEST_MALWARE_MARKER, Buffer.from(' */ ?>'), CLEAN_PNG.subarray(CLEAN_PNG.length - 12)]);
}

export interface TestClamd {
  socket: string;
  /** TCP port when started with `tcp: true`. */
  tcpPort: number | undefined;
  /** Environment for loadConfig/startTestShop. */
  env: Record<string, string>;
  /** Milliseconds from spawn to the first PONG. */
  startedInMs: number;
  stop(): Promise<void>;
}

export function clamdAvailable(): boolean {
  return existsSync(CLAMD_PATH);
}

/** `describe` for a suite that needs clamd: without it, skipped with a notice, or failed under CI (the same rule as the browser proofs). */
export function describeWithClamd(name: string, suite: () => void): void {
  const decision = browserSuiteDecision({ chromiumPresent: clamdAvailable(), ci: isCi(process.env.CI) });
  if (decision === 'run') {
    describe(name, suite);
  } else if (decision === 'skip') {
    console.warn(`${name}: skipped, ${CLAMD_PATH} not found (apt-get install clamav-daemon; under CI=true this fails)`);
    describe.skip(name, suite);
  } else {
    describe(name, () => {
      it('has clamd to scan with', () => {
        throw new Error(`${CLAMD_PATH} not found and CI is set: the malware-scanning proofs must run in CI (apt-get install clamav clamav-daemon)`);
      });
    });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const READY_ATTEMPTS = 600;
const READY_RETRY_MS = 50;

export async function startTestClamd(opts: { tcp?: boolean } = {}): Promise<TestClamd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-clamd-'));
  const dbDir = path.join(dir, 'db');
  mkdirSync(dbDir);
  writeFileSync(path.join(dbDir, 'mamori-test.hsb'), `${createHash('sha256').update(EICAR).digest('hex')}:${EICAR.length}:${EICAR_SIGNATURE}\n`);
  writeFileSync(path.join(dbDir, 'mamori-test.ndb'), `${TEST_MARKER_SIGNATURE}:0:*:${TEST_MALWARE_MARKER.toString('hex')}\n`);
  const socket = path.join(dir, 'clamd.sock');
  const tcpPort = opts.tcp ? await freePort() : undefined;
  writeFileSync(path.join(dir, 'clamd.conf'), [
    'Foreground yes',
    `LocalSocket ${socket}`,
    ...(tcpPort ? ['TCPAddr 127.0.0.1', `TCPSocket ${tcpPort}`] : []),
    `DatabaseDirectory ${dbDir}`,
    `TemporaryDirectory ${dir}`,
    `LogFile ${path.join(dir, 'clamd.log')}`,
    'LogTime yes',
    // Debian's default; the shop's CLAMD_MAX_STREAM_BYTES (20 MiB) stays below it.
    'StreamMaxLength 25M',
    'MaxThreads 4',
    '',
  ].join('\n'));

  const started = performance.now();
  const child: ChildProcess = spawn(CLAMD_PATH, ['-c', path.join(dir, 'clamd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready when it answers PING; bounded retries, and a clamd that exits stops the wait at once.
  const client = createClamdClient({ socket }, { connectTimeoutMs: 1000, replyTimeoutMs: 2000, maxStreamBytes: 1024 });
  for (let attempt = 0; attempt < READY_ATTEMPTS && !exited; attempt++) {
    if ((await client.ping()).ok) {
      return { socket, tcpPort, env: { CLAMD_SOCKET: socket }, startedInMs: Math.round(performance.now() - started), stop };
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, READY_RETRY_MS)), exit]);
  }
  const log = existsSync(path.join(dir, 'clamd.log')) ? readFileSync(path.join(dir, 'clamd.log'), 'utf8').slice(-2000) : '';
  await stop();
  throw new Error(`test clamd did not answer PING${exited ? ' (it exited)' : ''}: ${stderr}\n${log}`);
}
