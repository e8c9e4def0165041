// Version orders, one per ecosystem. Matching a component against an advisory is only as
// good as the comparison, so each scheme follows its owner's rules exactly:
//   - npm, Node.js: semver (node-semver), including pre-releases;
//   - Debian/Ubuntu packages: dpkg's own algorithm (epoch, upstream, revision, `~` sorting
//     before everything, letters before non-letters), a port of verrevcmp() in dpkg's
//     lib/dpkg/version.c, checked against `dpkg --compare-versions` in the tests.
//     (`deb-version-compare` from npm was tried first: it gets leading zeros wrong
//     (1.001 vs 1.1) and an absent revision wrong (1 vs 1-2), see versions.test.ts);
//   - OpenSSL: 1.0.1 < 1.0.1a < … < 1.0.1z < 1.0.1za < 1.0.2, then 3.x semver-like
//     with -alpha/-beta pre-releases; `-fips` and `+quic` build tags are ignored;
//   - anything else (nginx banners, SQLite, PostgreSQL, Alpine, RPM): a generic
//     numeric/alphabetic segment order that agrees with dpkg's upstream-part rules.
import semver from 'semver';

export type VersionScheme = 'semver' | 'dpkg' | 'openssl' | 'generic';

// ---------- dpkg ----------

function dpkgOrder(c: number): number {
  // c is a char code or NaN at the end of the string
  if (Number.isNaN(c)) return 0;
  if (c >= 48 && c <= 57) return 0; // digit
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c; // letter
  if (c === 126) return -1; // ~
  return c + 256;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** dpkg's verrevcmp: compares one version part (upstream or revision). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = dpkgOrder(i < a.length ? a.charCodeAt(i) : NaN);
      const bc = dpkgOrder(j < b.length ? b.charCodeAt(j) : NaN);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDebVersion(v: string): DebVersion {
  const s = v.trim();
  const colon = s.indexOf(':');
  let epoch = 0;
  let rest = s;
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number.parseInt(s.slice(0, colon), 10);
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
  return { epoch, upstream: rest, revision: '' };
}

/** Debian policy order, as `dpkg --compare-versions`. Returns <0, 0, >0. */
export function compareDpkg(a: string, b: string): number {
  const va = parseDebVersion(a);
  const vb = parseDebVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch - vb.epoch;
  const u = verrevcmp(va.upstream, vb.upstream);
  if (u !== 0) return u;
  return verrevcmp(va.revision, vb.revision);
}

// ---------- OpenSSL ----------

export interface OpenSslVersion {
  nums: number[];
  /** Letter release: '' < 'a' < … < 'z' < 'za' < … (0.9.8za, 1.0.2zk). */
  letters: string;
  /** Pre-release tag (3.0.0-alpha1, 3.0.0-beta2): sorts before the release. */
  pre: string;
}

const OPENSSL_RE = /^(?:openssl[\s/-]*)?v?(\d+(?:\.\d+)*)([a-z]*)(?:-((?:alpha|beta|pre|dev)[0-9]*))?(?:[-+].*)?$/i;

export function parseOpenSslVersion(v: string): OpenSslVersion | null {
  const m = OPENSSL_RE.exec(v.trim());
  if (!m) return null;
  return {
    nums: m[1]!.split('.').map((n) => Number.parseInt(n, 10)),
    letters: (m[2] ?? '').toLowerCase(),
    pre: (m[3] ?? '').toLowerCase(),
  };
}

export function compareOpenSsl(a: string, b: string): number {
  const va = parseOpenSslVersion(a);
  const vb = parseOpenSslVersion(b);
  if (!va || !vb) return compareGeneric(a, b);
  const len = Math.max(va.nums.length, vb.nums.length, 3);
  for (let k = 0; k < len; k++) {
    const d = (va.nums[k] ?? 0) - (vb.nums[k] ?? 0);
    if (d !== 0) return d;
  }
  // letters: shorter first ('' < 'z' < 'za'), then alphabetical
  if (va.letters.length !== vb.letters.length) return va.letters.length - vb.letters.length;
  if (va.letters !== vb.letters) return va.letters < vb.letters ? -1 : 1;
  if (va.pre !== vb.pre) {
    if (!va.pre) return 1;
    if (!vb.pre) return -1;
    return verrevcmp(va.pre, vb.pre);
  }
  return 0;
}

// ---------- semver ----------

// Parsing dominates matching time, and the same few thousand version strings recur, so
// parsed versions are cached (bounded).
const semverCache = new Map<string, semver.SemVer | null>();
function parseSemver(v: string): semver.SemVer | null {
  let hit = semverCache.get(v);
  if (hit !== undefined) return hit;
  const clean = v.replace(/^v/, '');
  hit = semver.parse(clean, { loose: true }) ?? (semver.coerce(clean) as semver.SemVer | null);
  if (semverCache.size > 200_000) semverCache.clear();
  semverCache.set(v, hit);
  return hit;
}

export function compareSemver(a: string, b: string): number {
  if (a === b) return 0;
  const va = parseSemver(a);
  const vb = parseSemver(b);
  if (va && vb) {
    const d = va.compare(vb);
    // coerced partial versions ("1.2" vs "1.2.0") that compare equal: fall back to the text
    return d !== 0 || (semver.valid(a.replace(/^v/, ''), { loose: true }) && semver.valid(b.replace(/^v/, ''), { loose: true })) ? d : compareGeneric(a, b);
  }
  return compareGeneric(a, b);
}

// ---------- generic ----------

/** Numeric runs compare as numbers, other runs as in dpkg's upstream part; no epoch/revision split. */
export function compareGeneric(a: string, b: string): number {
  return verrevcmp(a.trim().replace(/^v(?=\d)/, ''), b.trim().replace(/^v(?=\d)/, ''));
}

// ---------- dispatch ----------

export function schemeFor(ecosystem: string, name: string): VersionScheme {
  const eco = ecosystem.toLowerCase();
  if (eco === 'npm') return 'semver';
  if (eco === 'deb' || eco === 'debian' || eco === 'ubuntu') return 'dpkg';
  if (eco === 'generic' || eco === 'openssl') {
    const n = name.toLowerCase();
    if (n === 'openssl') return 'openssl';
    if (n === 'node' || n === 'nodejs' || n === 'node.js') return 'semver';
  }
  return 'generic';
}

export function compareWith(scheme: VersionScheme, a: string, b: string): number {
  switch (scheme) {
    case 'semver':
      return compareSemver(a, b);
    case 'dpkg':
      return compareDpkg(a, b);
    case 'openssl':
      return compareOpenSsl(a, b);
    default:
      return compareGeneric(a, b);
  }
}

/** Compare two versions of one component in its ecosystem's order. */
export function compareVersions(ecosystem: string, name: string, a: string, b: string): number {
  return compareWith(schemeFor(ecosystem, name), a, b);
}
