// First-run hand-over of sandbox merchant credentials to the shop: a small JSON file in
// the shop's data directory (mode 0600). On later runs the same credentials are
// re-registered, so deleting the gateway's database does not break the shop's config.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { MerchantCredentials } from './merchants.ts';
import type { Paygate } from './server.ts';

export const sandboxCredentialsFileSchema = z.object({
  merchantId: z.string(),
  secret: z.string(),
  gatewayBaseUrl: z.url(),
});
export type SandboxCredentialsFile = z.infer<typeof sandboxCredentialsFileSchema>;

function readCredentials(file: string): SandboxCredentialsFile | null {
  try {
    const parsed = sandboxCredentialsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // missing or unreadable: provision new credentials
  }
}

export async function ensureSandboxMerchant(
  paygate: Pick<Paygate, 'provisionMerchant' | 'registerMerchant'>,
  opts: { credentialsFile: string; name: string; gatewayBaseUrl: string; allowedReturnOrigins?: string[] },
): Promise<MerchantCredentials & { created: boolean }> {
  const existing = readCredentials(opts.credentialsFile);
  const origins = opts.allowedReturnOrigins ? { allowedReturnOrigins: opts.allowedReturnOrigins } : {};
  if (existing) {
    await paygate.registerMerchant({ merchantId: existing.merchantId, secret: existing.secret, name: opts.name, ...origins });
    if (existing.gatewayBaseUrl !== opts.gatewayBaseUrl) writeCredentials(opts.credentialsFile, { ...existing, gatewayBaseUrl: opts.gatewayBaseUrl });
    return { merchantId: existing.merchantId, secret: existing.secret, created: false };
  }
  const creds = await paygate.provisionMerchant({ name: opts.name, ...origins });
  writeCredentials(opts.credentialsFile, { ...creds, gatewayBaseUrl: opts.gatewayBaseUrl });
  return { ...creds, created: true };
}

function writeCredentials(file: string, data: SandboxCredentialsFile): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file); // atomic: the shop never reads a half-written file
}
