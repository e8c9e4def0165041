// What the inventory reports. One `Component` per thing that runs: the Node.js runtime and
// the libraries compiled into it, npm packages, OS packages, the system OpenSSL, the database engine.

export type ComponentKind = 'runtime' | 'runtime-library' | 'npm' | 'os' | 'system' | 'database';

export interface Component {
  kind: ComponentKind;
  /** Matching ecosystem: npm, deb, apk, rpm, generic. */
  ecosystem: string;
  name: string;
  version: string;
  /** Package URL: pkg:npm/…, pkg:deb/debian/…, pkg:generic/openssl@… */
  purl: string;
  license?: string;
  /** npm: the lock file's integrity (sha512-…). */
  integrity?: string;
  /** npm: a dependency named in package.json (not pulled in by another package). */
  direct?: boolean;
  /** npm: only needed for development (lock file `dev: true`). */
  dev?: boolean;
  /** OS packages: the distribution release (debian-12), so another release's advisories don't apply. */
  release?: string;
  /** Debian: the source package (Debian's advisories are filed under it). */
  sourceName?: string;
  /** Where it was found: process.versions, node_modules/…, /var/lib/dpkg/status, `openssl version`, … */
  source: string;
  /** Managed by the OS package manager (e.g. the system OpenSSL belongs to dpkg's libssl3): judged by distribution advisories. */
  managedBy?: string;
}

export type NodeReleasePhase = 'current' | 'active-lts' | 'maintenance-lts' | 'maintenance' | 'end-of-life' | 'unknown';

export interface NodeRuntimeInfo {
  version: string;
  line: string;
  codename?: string;
  phase: NodeReleasePhase;
  /** End-of-life date of this release line (YYYY-MM-DD), from the release schedule. */
  endOfLife?: string;
  eol: boolean;
  /** Where the release schedule came from (file path). */
  scheduleSource: string;
  openssl: string;
  platform: string;
  arch: string;
  execPath: string;
}

export interface Inventory {
  generatedAt: string;
  host: { hostname: string; os: string; release?: string };
  node?: NodeRuntimeInfo;
  components: Component[];
  /** What could not be inventoried, and why ("RPM: not supported here", "database: not connected"). */
  notes: string[];
}
