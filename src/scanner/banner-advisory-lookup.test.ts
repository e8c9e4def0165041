import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, type Advisory } from '../advisories/index.ts';
import { bannerAdvisoryLookup } from './banner-advisory-lookup.ts';

const heartbleed: Advisory = {
  id: 'CVE-2014-0160',
  aliases: [],
  summary: 'The TLS heartbeat extension in OpenSSL 1.0.1 before 1.0.1g reads out of bounds.',
  format: 'cve5',
  severity: { level: 'high', score: 7.5, method: 'CVSS:3.1' },
  affected: [{ ecosystem: 'generic', name: 'openssl', intervals: [{ introduced: '1.0.1', fixed: '1.0.1g' }], versions: [] }],
  references: [],
};
const httpd: Advisory = {
  id: 'CVE-2021-41773',
  aliases: [],
  summary: 'Path traversal in Apache HTTP Server 2.4.49.',
  format: 'cve5',
  severity: { level: 'unknown' },
  affected: [{ ecosystem: 'generic', name: 'httpd', intervals: [], versions: ['2.4.49'] }],
  references: [],
};

describe('banner advisory lookup (through src/advisories matchComponent)', () => {
  const lookup = bannerAdvisoryLookup({ index: new AdvisoryIndex([heartbleed, httpd]) });

  it('matches an OpenSSL banner version against its advisories', async () => {
    expect(await lookup({ name: 'OpenSSL', version: '1.0.1e' })).toEqual([expect.objectContaining({ id: 'CVE-2014-0160', cvss: 7.5, cve: ['CVE-2014-0160'] })]);
    expect(await lookup({ name: 'OpenSSL', version: '1.0.1g' })).toEqual([]);
  });

  it('maps "Apache" to httpd and scores an unscored advisory so that it still fails', async () => {
    expect(await lookup({ name: 'Apache', version: '2.4.49' })).toEqual([expect.objectContaining({ id: 'CVE-2021-41773', cvss: 4.0 })]);
  });
});
