// The part of `mamori scan --format json` that external checks rely on, as a Zod schema:
// tests hold the output to it, and consumers can validate what they read. Extra fields are allowed.
import { z } from 'zod';

// Additions after the first version are optional, so reports written before them still validate.
const KeyExchangeGroup = z.object({ kind: z.enum(['dh', 'ecdh']), name: z.string(), bits: z.number().int().min(0) });
const CipherEntry = z.object({
  id: z.string().regex(/^0x[0-9a-f]{4}$/), name: z.string(), bits: z.number(), strength: z.enum(['insecure', 'weak', 'strong']), forwardSecrecy: z.boolean(),
  /** The (EC)DH group used with this suite (DH prime size, named curve); null for RSA key exchange. */
  keyExchangeGroup: KeyExchangeGroup.nullable().optional(),
});
const ProbeVerdict = z.object({ vulnerable: z.boolean().nullable(), evidence: z.string() });
const RobotProbeName = z.enum(['correct', 'wrong-first-bytes', 'zero-in-wrong-position', 'no-zero-separator', 'wrong-premaster-version']);
/** ROBOT: `applicable` false when no TLS_RSA_* suite is accepted; answers per flow and probe ("alert 20", "timeout", "closed"). */
const RobotVerdict = ProbeVerdict.extend({
  applicable: z.boolean(),
  answers: z.object({ 'with-ccs-finished': z.record(RobotProbeName, z.string()).optional(), 'key-exchange-only': z.record(RobotProbeName, z.string()).optional() }).optional(),
});

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
      sslv2State: z.object({
        state: z.enum(['not-offered', 'offered', 'offered-no-ciphers']),
        ciphers: z.array(z.string()),
        /** CVE-2015-3197: a cipher the server did not list was accepted; null when not tried. */
        forcedCipher: z.boolean().nullable(),
        evidence: z.string(),
      }).nullable().optional(),
      vulnerabilities: z.object({ ccsInjection: ProbeVerdict, fallbackScsv: ProbeVerdict, ticketbleed: ProbeVerdict, clientRenegotiation: ProbeVerdict, robot: RobotVerdict.optional() }).nullable().optional(),
      certificateTransparency: z.object({ source: z.enum(['certificate', 'handshake', 'none']), evidence: z.string() }).nullable().optional(),
      caa: z.object({ checked: z.boolean(), name: z.string().optional(), records: z.array(z.object({ critical: z.number(), tag: z.string(), value: z.string() })), evidence: z.string() }).nullable().optional(),
    }),
    findings: z.array(z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
      cvss: z.number().min(0).max(10),
      cve: z.array(z.string().regex(/^CVE-\d{4}-\d{4,}$/)),
      evidence: z.string(),
      fix: z.string(),
      autoFail: z.boolean().optional(),
    })),
  })),
});

export type ScanJson = z.infer<typeof ScanJsonContract>;
