// Matching components against advisories. Advisories are indexed by (ecosystem, package
// name) once, so matching costs one map look-up per component plus the work on the few
// advisories filed under that name: it grows with components + advisories, never with
// their product (bench/advisories.ts measures it).
import semver from 'semver';
import type { SeverityLevel } from './cvss.ts';
import { fixedFromSemverRange } from './parse.ts';
import { mergeAdvisory, type Advisory, type AffectedPackage } from './model.ts';
import { compareWith, schemeFor, type VersionScheme } from './versions.ts';

/** What the matcher needs to know about a component. */
export interface MatchableComponent {
  /** npm, deb, apk, rpm or generic (upstream products: openssl, node, nginx, sqlite, …). */
  ecosystem: string;
  name: string;
  version: string;
  purl?: string;
  /** Distribution release (debian-12) for OS packages: advisories for another release do not apply. */
  release?: string;
  /** Debian source package name: Debian's advisories are filed under it. */
  sourceName?: string;
  /** npm: a direct dependency (changes the upgrade hint). */
  direct?: boolean;
}

/** One advisory that applies to one installed component. The JSON shape is part of the CLI contract. */
export interface Finding {
  component: { name: string; version: string; purl: string; ecosystem: string };
  advisory: { id: string; aliases: string[]; summary: string; references: string[] };
  severity: SeverityLevel;
  /** CVSS base score (computed from the vector for v3; as stated for v4), when known. */
  score?: number;
  vector?: string;
  /** Versions that fix it (the ones above the installed version first). */
  fixed: string[];
  /** One line: what to do. */
  hint: string;
}

interface Entry {
  advisory: Advisory;
  affected: AffectedPackage;
}

const key = (ecosystem: string, name: string) => `${ecosystem.toLowerCase()}\u0000${ecosystem.toLowerCase() === 'npm' ? name : name.toLowerCase()}`;

export function genericPurl(c: MatchableComponent): string {
  if (c.purl) return c.purl;
  const eco = c.ecosystem.toLowerCase();
  const enc = (s: string) => encodeURIComponent(s).replace(/%40/g, '@');
  if (eco === 'npm') return `pkg:npm/${c.name.startsWith('@') ? `%40${enc(c.name.slice(1))}` : enc(c.name)}@${encodeURIComponent(c.version)}`;
  if (eco === 'deb') return `pkg:deb/debian/${enc(c.name)}@${encodeURIComponent(c.version)}`;
  return `pkg:${eco === 'generic' ? 'generic' : eco}/${enc(c.name)}@${encodeURIComponent(c.version)}`;
}

export function isAffected(affected: AffectedPackage, version: string, scheme: VersionScheme): boolean {
  if (affected.semverVulnerable) {
    const v = semver.valid(semver.coerce(version, { includePrerelease: true }) ?? '') ?? version;
    if (!semver.satisfies(v, affected.semverVulnerable)) return false;
    return !(affected.semverPatched && semver.satisfies(v, affected.semverPatched));
  }
  for (const exact of affected.versions) if (compareWith(scheme, version, exact) === 0) return true;
  for (const iv of affected.intervals) {
    if (iv.introduced !== undefined && compareWith(scheme, version, iv.introduced) < 0) continue;
    if (iv.fixed !== undefined && compareWith(scheme, version, iv.fixed) >= 0) continue;
    if (iv.lastAffected !== undefined && compareWith(scheme, version, iv.lastAffected) > 0) continue;
    return true;
  }
  return false;
}

function fixedVersions(affected: AffectedPackage, version: string, scheme: VersionScheme): string[] {
  const all = new Set<string>();
  for (const iv of affected.intervals) if (iv.fixed) all.add(iv.fixed);
  if (affected.semverPatched) for (const v of fixedFromSemverRange(affected.semverPatched)) all.add(v);
  const list = [...all].sort((a, b) => compareWith(scheme, a, b));
  const above = list.filter((f) => compareWith(scheme, f, version) > 0);
  return [...above, ...list.filter((f) => !above.includes(f))];
}

function upgradeHint(c: MatchableComponent, fixed: string[], scheme: VersionScheme, version: string): string {
  const target = fixed.find((f) => compareWith(scheme, f, version) > 0);
  const eco = c.ecosystem.toLowerCase();
  if (!target) return `no fixed version of ${c.name} is published in this advisory: remove or replace it, or record an exception with a reason and an expiry`;
  if (eco === 'npm') {
    return c.direct
      ? `npm install ${c.name}@^${target} (fixed in ${target})`
      : `${c.name} is transitive: update the package that pulls it in, or add "overrides": {"${c.name}": "^${target}"} (fixed in ${target})`;
  }
  if (eco === 'deb') return `apt-get install --only-upgrade ${c.name} (fixed in ${target})`;
  if (c.name === 'node') return `upgrade Node.js to ${target} or later on this release line (npm install node@${target} --save-dev when pinned through npm)`;
  if (c.name === 'openssl') return `upgrade OpenSSL to ${target} or later (for Node's bundled copy: upgrade Node.js to a release that bundles it)`;
  return `upgrade ${c.name} to ${target} or later`;
}

export class AdvisoryIndex {
  private readonly byKey = new Map<string, Entry[]>();
  private readonly byId = new Map<string, Advisory>();

  constructor(advisories: Iterable<Advisory> = []) {
    for (const a of advisories) this.add(a);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Adds an advisory; one with a known id is merged with it (see mergeAdvisory). Withdrawn advisories are kept out of matching. */
  add(incoming: Advisory): void {
    const existing = this.byId.get(incoming.id);
    const a = existing ? mergeAdvisory(existing, incoming) : incoming;
    if (existing) this.remove(existing.id);
    this.byId.set(a.id, a);
    if (a.withdrawn) return;
    for (const affected of a.affected) {
      const k = key(affected.ecosystem, affected.name);
      let list = this.byKey.get(k);
      if (!list) this.byKey.set(k, (list = []));
      list.push({ advisory: a, affected });
    }
  }

  private remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    for (const affected of old.affected) {
      const k = key(affected.ecosystem, affected.name);
      const list = this.byKey.get(k);
      if (list) this.byKey.set(k, list.filter((e) => e.advisory !== old));
    }
  }

  get(id: string): Advisory | undefined {
    return this.byId.get(id);
  }

  advisories(): IterableIterator<Advisory> {
    return this.byId.values();
  }

  /** The findings for one component (deduplicated across aliases: a GHSA and its CVE are one finding). */
  match(c: MatchableComponent): Finding[] {
    const scheme = schemeFor(c.ecosystem, c.name);
    const names = new Set([c.name]);
    if (c.sourceName) names.add(c.sourceName);
    const out: Finding[] = [];
    const seen = new Map<string, Finding>();
    for (const n of names) {
      const entries = this.byKey.get(key(c.ecosystem, n));
      if (!entries) continue;
      for (const { advisory, affected } of entries) {
        if (affected.release && c.release && affected.release !== c.release) continue;
        if (!isAffected(affected, c.version, scheme)) continue;
        const ids = [advisory.id, ...advisory.aliases];
        const dup = ids.map((i) => seen.get(i)).find(Boolean);
        const fixed = fixedVersions(affected, c.version, scheme);
        if (dup) {
          for (const i of ids) if (i !== dup.advisory.id && !dup.advisory.aliases.includes(i)) dup.advisory.aliases.push(i);
          for (const f of fixed) if (!dup.fixed.includes(f)) dup.fixed.push(f);
          for (const i of ids) seen.set(i, dup);
          continue;
        }
        const f: Finding = {
          component: { name: c.name, version: c.version, purl: genericPurl(c), ecosystem: c.ecosystem },
          advisory: { id: advisory.id, aliases: advisory.aliases.filter((x) => x !== advisory.id), summary: advisory.summary, references: advisory.references.slice(0, 5) },
          severity: advisory.severity.level,
          ...(advisory.severity.score !== undefined ? { score: advisory.severity.score } : {}),
          ...(advisory.severity.vector ? { vector: advisory.severity.vector } : {}),
          fixed,
          hint: upgradeHint(c, fixed, scheme, c.version),
        };
        out.push(f);
        for (const i of ids) seen.set(i, f);
      }
    }
    return out;
  }

  matchAll(components: Iterable<MatchableComponent>): Finding[] {
    const out: Finding[] = [];
    for (const c of components) out.push(...this.match(c));
    return out;
  }
}
