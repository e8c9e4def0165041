import { describe, expect, it } from 'vitest';
import { parseIpAllowList } from './ip-allow-list.ts';

describe('admin IP allow-list', () => {
  it('is off when unset or empty', () => {
    expect(parseIpAllowList(undefined)).toEqual({ ok: true, list: undefined });
    expect(parseIpAllowList(' , ')).toEqual({ ok: true, list: undefined });
  });

  it('matches IPv4 and IPv6 CIDRs and single addresses', () => {
    const r = parseIpAllowList('203.0.113.0/24, 2001:db8::/32 198.51.100.7');
    if (!r.ok || !r.list) throw new Error('expected a list');
    const { list } = r;
    expect(list.allows('203.0.113.200')).toBe(true);
    expect(list.allows('::ffff:203.0.113.9')).toBe(true);
    expect(list.allows('203.0.114.1')).toBe(false);
    expect(list.allows('2001:db8:1::5')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('198.51.100.7')).toBe(true);
    expect(list.allows('198.51.100.8')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
  });

  it('refuses malformed entries instead of silently allowing everyone', () => {
    expect(parseIpAllowList('10.0.0.0/33')).toEqual({ ok: false, error: 'INVALID_CIDR', entry: '10.0.0.0/33' });
    expect(parseIpAllowList('example.com')).toEqual({ ok: false, error: 'INVALID_CIDR', entry: 'example.com' });
    expect(parseIpAllowList('10.0.0.0/x')).toEqual({ ok: false, error: 'INVALID_CIDR', entry: '10.0.0.0/x' });
  });
});
