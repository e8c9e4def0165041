// `npm start` runs the bundled sandbox gateway as a child process: its own process, port,
// origin and database, reached only over HTTP, as a real gateway would be. The gateway writes
// the sandbox merchant's credentials into the shop's data folder on first run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SandboxCredentials = z.object({ merchantId: z.string(), secret: z.string(), gatewayBaseUrl: z.url() });
export type SandboxCredentials = z.infer<typeof SandboxCredentials>;

export function sandboxCredentialsFile(dataDir: string): string {
  return path.join(dataDir, 'sandbox-merchant.json');
}

export function readSandboxCredentials(file: string): SandboxCredentials | undefined {
  try {
    return SandboxCredentials.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

export interface SandboxGatewayProcess {
  child: ChildProcess;
  credentials: SandboxCredentials;
  stop(): Promise<void>;
}

export async function startSandboxGatewayProcess(opts: {
  dataDir: string;
  host: string;
  port: number;
  merchantName: string;
  /** The shop's origin: the only origin the merchant's return and notification URLs may use. */
  shopOrigin: string;
  logLevel: string;
  extraEnv?: Record<string, string>;
}): Promise<SandboxGatewayProcess> {
  const credentialsFile = sandboxCredentialsFile(opts.dataDir);
  // node --import tsx rather than the tsx CLI: one process, so signals reach the gateway itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'paygate', 'main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      PAYGATE_HOST: opts.host,
      PAYGATE_PORT: String(opts.port),
      PAYGATE_DB_FILE: path.join(opts.dataDir, 'paygate', 'paygate.sqlite'),
      PAYGATE_MERCHANT_CREDENTIALS_FILE: credentialsFile,
      PAYGATE_MERCHANT_NAME: opts.merchantName,
      PAYGATE_MERCHANT_ALLOWED_ORIGINS: opts.shopOrigin,
      PAYGATE_LOG_LEVEL: opts.logLevel,
      ...opts.extraEnv,
    },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox gateway did not start within 30 s')), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the sandbox gateway exited (code ${code})`)); });
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'mamori-paygate-ready') { clearTimeout(timer); child.removeAllListeners('exit'); resolve(); }
    });
  });
  const credentials = readSandboxCredentials(credentialsFile);
  if (!credentials) throw new Error(`the sandbox gateway did not write ${credentialsFile}`);
  return {
    child,
    credentials,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
