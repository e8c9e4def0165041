// The part of `mamori scan --format json` that external checks rely on, as a Zod schema:
// tests hold the output to it, and consumers can validate what they read. Extra fields are allowed.
import { z } from 'zod';

const CipherEntry = z.object({ id: z.string().regex(/^0x[0-9a-f]{4}$/), name: z.string(), bits: z.number(), strength: z.enum(['insecure', 'weak', 'strong']), forwardSecrecy: z.boolean() });

export const ScanJsonContract = z.object({
  targets: z.array(z.object({
    url: z.string(),
    verdict: z.enum(['pass', 'fail']),
    tls: z.object({
      protocols: z.strictObject({ SSLv3: z.boolean(), 'TLSv1.0': z.boolean(), 'TLSv1.1': z.boolean(), 'TLSv1.2': z.boolean(), 'TLSv1.3': z.boolean() }),
      ciphers: z.record(z.string(), z.object({ accepted: z.array(CipherEntry), serverPreference: z.boolean().nullable() })),
      certificate: z.object({
        subject: z.string(),
        issuer: z.string(),
        notAfter: z.string(),
        daysLeft: z.number(),
        hostnameMatches: z.boolean(),
        keyType: z.string(),
        keyBits: z.number(),
        signatureAlgorithm: z.string(),
        selfSigned: z.boolean(),
        trusted: z.boolean().nullable(),
        chain: z.array(z.object({ subject: z.string(), issuer: z.string() })),
      }).nullable(),
    }),
    findings: z.array(z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
      cvss: z.number().min(0).max(10),
      cve: z.array(z.string().regex(/^CVE-\d{4}-\d{4,}$/)),
      evidence: z.string(),
      fix: z.string(),
    })),
  })),
});

export type ScanJson = z.infer<typeof ScanJsonContract>;
