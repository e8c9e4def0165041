// CAA (RFC 8659): which CAs may issue for the host name. Needs DNS, which the scanner otherwise never
// uses, so it runs only against a resolver the operator configured (the policy's scanner.caaResolver);
// without one the report says "not checked" rather than guessing from the system resolver.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface CaaReport {
  checked: boolean;
  /** The name whose CAA set applies (the host or the closest parent that has one). */
  name?: string;
  records: Array<{ critical: number; tag: string; value: string }>;
  evidence: string;
}

const NOT_FOUND = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

export async function checkCaa(hostname: string, resolverAddress: string | undefined, timeoutMs: number): Promise<CaaReport> {
  if (!resolverAddress) return { checked: false, records: [], evidence: 'not checked: no DNS resolver configured (policy scanner.caaResolver)' };
  if (isIP(hostname) !== 0) return { checked: false, records: [], evidence: 'not checked: the target is an IP address (CAA applies to domain names)' };
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([resolverAddress]);
  // RFC 8659 §3: climb from the name towards the root; the first non-empty CAA set is the relevant one.
  const labels = hostname.replace(/\.$/, '').split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    try {
      const found = await resolver.resolveCaa(name);
      if (found.length > 0) {
        const records = found.map((r) => {
          const { critical, ...rest } = r as typeof r & { type?: string };
          delete rest.type; // Node adds type: 'CAA' beside the one property named after the tag
          const [tag, value] = Object.entries(rest).find(([, v]) => typeof v === 'string') ?? ['unknown', ''];
          return { critical, tag, value: String(value) };
        });
        return { checked: true, name, records, evidence: `CAA ${name}: ${records.map((r) => `${r.critical} ${r.tag} "${r.value}"`).join('; ')} (resolver ${resolverAddress})` };
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!NOT_FOUND.has(code)) return { checked: false, records: [], evidence: `not checked: resolver ${resolverAddress} failed for ${name} (${code || String(err)})` };
    }
  }
  return { checked: true, records: [], evidence: `no CAA record for ${hostname} or any parent domain (resolver ${resolverAddress})` };
}
