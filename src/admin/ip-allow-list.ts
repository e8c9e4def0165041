// Optional IP allow-list for /admin (ADMIN_ALLOWED_IPS), which the Japanese card-security
// guidelines recommend for EC admin screens. node:net's BlockList matches IPv4 and IPv6 CIDRs.
import { BlockList, isIP } from 'node:net';

export interface IpAllowList {
  /** The CIDRs as configured, for the status page. */
  entries: string[];
  allows(ip: string): boolean;
}

export type IpAllowListResult = { ok: true; list: IpAllowList | undefined } | { ok: false; error: 'INVALID_CIDR'; entry: string };

/** Comma- or space-separated CIDRs or single addresses; empty or unset = no restriction. */
export function parseIpAllowList(value: string | undefined): IpAllowListResult {
  const entries = (value ?? '').split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) return { ok: true, list: undefined };
  const blockList = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (family === 0) return { ok: false, error: 'INVALID_CIDR', entry };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || !Number.isInteger(prefix) || prefix < 0 || prefix > max) return { ok: false, error: 'INVALID_CIDR', entry };
    blockList.addSubnet(address, prefix, type);
  }
  return {
    ok: true,
    list: {
      entries,
      allows(ip: string) {
        // IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
        const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
        const plain = mapped ?? ip;
        const family = isIP(plain);
        if (family === 0) return false;
        return blockList.check(plain, family === 4 ? 'ipv4' : 'ipv6');
      },
    },
  };
}
