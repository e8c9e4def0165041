// The one internal shape every advisory format is converted to on import (OSV, CVE JSON 5,
// the Node.js core list). Stored as one JSON object per line in the advisory directory.
import type { SeverityLevel } from './cvss.ts';

/** One affected interval: introduced ≤ v < fixed, or introduced ≤ v ≤ lastAffected (missing bounds are open). */
export interface AffectedInterval {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
}

export interface AffectedPackage {
  /** Normalised ecosystem: npm, deb, apk, rpm, generic (upstream products: openssl, node, nginx, …). */
  ecosystem: string;
  /** Lower-case package name (Debian: source package; upstream products: product name). */
  name: string;
  /** Distribution release the record is about (Debian:12 → "12"); empty = any. */
  release?: string;
  intervals: AffectedInterval[];
  /** Exact affected versions (OSV `versions`, CVE `version` without a range). */
  versions: string[];
  /** node-semver range expressions (Node.js core list): affected = satisfies(vulnerable) && !satisfies(patched). */
  semverVulnerable?: string;
  semverPatched?: string;
}

export interface AdvisorySeverity {
  level: SeverityLevel;
  score?: number;
  vector?: string;
  /** Which scoring produced `score`: "CVSS:3.1", "CVSS:4.0", or "label" when only a word was given. */
  method?: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  /** Where the record came from: osv, cve5, node-core. */
  format: 'osv' | 'cve5' | 'node-core';
  published?: string;
  modified?: string;
  severity: AdvisorySeverity;
  affected: AffectedPackage[];
  /** Fixed versions, for the upgrade hint (per affected package they are in the intervals too). */
  references: string[];
  withdrawn?: string;
}

/** Every identifier an advisory is known by (id first). */
export function advisoryIds(a: Advisory): string[] {
  return [a.id, ...a.aliases.filter((x) => x !== a.id)];
}

export function normalizeEcosystem(eco: string): { ecosystem: string; release?: string } {
  // "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS": the first segment after the colon is the release
  const [base, rel] = eco.split(':');
  const release = rel?.trim() || undefined;
  const b = (base ?? '').trim().toLowerCase();
  if (b === 'debian' || b === 'ubuntu') return { ecosystem: 'deb', release: release ? `${b}-${release}` : undefined };
  if (b === 'alpine') return { ecosystem: 'apk', release: release ? `alpine-${release.replace(/^v/, '')}` : undefined };
  if (b === 'red hat' || b === 'rocky linux' || b === 'almalinux' || b === 'suse' || b === 'opensuse') return { ecosystem: 'rpm', release };
  return { ecosystem: b, release };
}

/**
 * Combines two records with the same id (e.g. the CVE Program's record and a CNA's or a
 * distribution's): the newer one (by `modified`; `incoming` on a tie) wins, and affected packages
 * that only the other one describes are kept, so a later record without machine-readable
 * products never erases the ranges an earlier source gave.
 */
export function mergeAdvisory(existing: Advisory, incoming: Advisory): Advisory {
  const newerIsExisting = existing.modified && incoming.modified && Date.parse(existing.modified) > Date.parse(incoming.modified);
  const [base, other] = newerIsExisting ? [existing, incoming] : [incoming, existing];
  const key = (p: AffectedPackage) => `${p.ecosystem}\u0000${p.name}\u0000${p.release ?? ''}`;
  const have = new Set(base.affected.map(key));
  const extra = other.affected.filter((p) => !have.has(key(p)));
  const aliases = [...new Set([...base.aliases, ...other.aliases])].filter((a) => a !== base.id);
  const severity = base.severity.level === 'unknown' ? other.severity : base.severity;
  if (!extra.length && aliases.length === base.aliases.length && severity === base.severity) return base;
  return { ...base, aliases, severity, affected: [...base.affected, ...extra] };
}
