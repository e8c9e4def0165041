// Starts the sandbox gateway as its own child process beside the shop (what `npm start`
// does): a separate program reached over HTTP, never imported. Resolves once the gateway
// listens and the merchant credentials file is written.
import { inheritedEnvironment } from '../../config/config.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readSandboxCredentials, type SandboxCredentials } from './sandbox-credentials.ts';
import { INSTALL_ROOT, RUNS_FROM_BUILD } from '../../install-root.ts';

const repoRoot = INSTALL_ROOT;
// Built (`npm run build`): the compiled gateway with plain node; otherwise its sources through tsx.
export const SANDBOX_GATEWAY_ENTRY = RUNS_FROM_BUILD ? path.join(repoRoot, 'dist', 'paygate', 'main.js') : path.join(repoRoot, 'paygate', 'main.ts');

export interface StartSandboxGatewayOptions {
  /** Where the gateway writes (first run) or re-reads the shop's merchant credentials. */
  credentialsFile: string;
  /** The gateway's own SQLite file. */
  dbFile: string;
  /** Default 3100; 0 picks a free port. */
  port?: number;
  host?: string;
  publicOrigin?: string;
  merchantName?: string;
  /** Origins the shop's return/cancel/notification URLs use; empty = any. */
  allowedOrigins?: string[];
  /** Extra PAYGATE_* variables (e.g. PAYGATE_NOTIFY_BASE_DELAY_MS for tests). */
  env?: Record<string, string>;
  /** Default: inherit stdout/stderr so the gateway's pino lines appear beside the shop's. */
  stdio?: 'inherit' | 'ignore';
  timeoutMs?: number;
}

export interface SandboxGatewayProcess {
  child: ChildProcess;
  publicOrigin: string;
  credentials: SandboxCredentials;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

export function startSandboxGatewayProcess(opts: StartSandboxGatewayOptions): Promise<SandboxGatewayProcess> {
  const env: Record<string, string> = {
    ...inheritedEnvironment(),
    PAYGATE_PORT: String(opts.port ?? 3100),
    PAYGATE_HOST: opts.host ?? '127.0.0.1',
    PAYGATE_DB_FILE: opts.dbFile,
    PAYGATE_MERCHANT_CREDENTIALS_FILE: opts.credentialsFile,
    ...(opts.publicOrigin ? { PAYGATE_PUBLIC_ORIGIN: opts.publicOrigin } : {}),
    ...(opts.merchantName ? { PAYGATE_MERCHANT_NAME: opts.merchantName } : {}),
    ...(opts.allowedOrigins?.length ? { PAYGATE_MERCHANT_ALLOWED_ORIGINS: opts.allowedOrigins.join(',') } : {}),
    ...opts.env,
  };
  const io = opts.stdio ?? 'inherit';
  const child = spawn(process.execPath, [...(RUNS_FROM_BUILD ? [] : ['--import', 'tsx']), SANDBOX_GATEWAY_ENTRY], { cwd: repoRoot, env, stdio: ['ignore', io, io, 'ipc'] });

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`sandbox gateway did not become ready within ${opts.timeoutMs ?? 30_000} ms`));
    }, opts.timeoutMs ?? 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sandbox gateway exited before it was ready (code ${code}, signal ${signal})`));
    });
    child.on('message', (m: unknown) => {
      const msg = m as { type?: string; publicOrigin?: string };
      if (msg?.type !== 'mamori-paygate-ready' || !msg.publicOrigin) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const creds = readSandboxCredentials(opts.credentialsFile);
      if (!creds.ok) {
        void stop();
        reject(new Error(creds.detail));
        return;
      }
      // The IPC channel stays open on purpose: when the shop dies, the gateway notices and exits.
      resolve({ child, publicOrigin: msg.publicOrigin, credentials: creds.value, stop });
    });
  });
}
