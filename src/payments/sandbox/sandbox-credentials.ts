// Reads the sandbox merchant credentials the gateway hands over on first run (a JSON file
// in the shop's data directory). The shape is the contract between the two systems; it is
// declared here again, rather than imported, because the shop never imports the gateway.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const sandboxCredentialsSchema = z.object({
  merchantId: z.string().min(1),
  secret: z.string().min(32),
  gatewayBaseUrl: z.url({ protocol: /^https?$/ }),
});
export type SandboxCredentials = z.infer<typeof sandboxCredentialsSchema>;

export function readSandboxCredentials(file: string): { ok: true; value: SandboxCredentials } | { ok: false; error: 'MISSING' | 'MALFORMED'; detail: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, error: 'MISSING', detail: `${file} not found; start the sandbox gateway once to create it` };
  }
  try {
    const parsed = sandboxCredentialsSchema.safeParse(JSON.parse(text));
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: 'MALFORMED', detail: `${file}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} invalid` };
  } catch {
    return { ok: false, error: 'MALFORMED', detail: `${file} is not JSON` };
  }
}
