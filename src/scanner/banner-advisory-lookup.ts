// Connects version banners to the advisory data (src/advisories) through its documented entry point,
// matchComponent() in src/advisories/index.ts. Banner names are mapped to the product names
// advisory records use (Apache's Server header says "Apache", CVE records say "httpd").
import { matchComponent, type AdvisoryIndex } from '../advisories/index.ts';
import type { BannerAdvisoryLookup } from './http-checks.ts';

const PRODUCT_NAMES: Record<string, string> = {
  apache: 'httpd',
  'microsoft-iis': 'iis',
  php: 'php',
  openssl: 'openssl',
  nginx: 'nginx',
  node: 'node',
  'node.js': 'node',
};

// An advisory without a score still counts against the verdict: the ASV rule fails on known
// vulnerabilities, and "score unknown" must not read as "harmless".
const SCORE_FOR_LEVEL: Record<string, number> = { critical: 9.0, high: 7.5, medium: 5.0, low: 2.0, none: 0, unknown: 4.0 };

export function bannerAdvisoryLookup(opts: { dir?: string; index?: AdvisoryIndex } = {}): BannerAdvisoryLookup {
  return async ({ name, version }) => {
    const product = PRODUCT_NAMES[name.toLowerCase()] ?? name.toLowerCase();
    const matches = await matchComponent({ ecosystem: 'generic', name: product, version }, opts);
    return matches.map((m) => ({
      id: m.advisory.id,
      summary: `${m.advisory.summary.slice(0, 160)}${m.fixed.length ? `; fixed in ${m.fixed.slice(0, 3).join(', ')}` : ''}`,
      cvss: m.score ?? SCORE_FOR_LEVEL[m.severity] ?? 4.0,
      cve: [m.advisory.id, ...m.advisory.aliases].filter((id) => id.startsWith('CVE-')),
    }));
  };
}
