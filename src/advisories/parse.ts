// Converts advisory records to the internal model: OSV (osv.dev, GitHub advisories,
// Debian/Ubuntu/Alpine security trackers as exported to OSV), CVE JSON 5 (the CVE
// Program's record format, used by the OpenSSL and Node.js CNAs), and the Node.js
// security working group's core list as shipped in the is-my-node-vulnerable package.
import semver from 'semver';
import { cvss3BaseScore, normalizeSeverityLabel, severityFromScore, SEVERITY_RANK, type SeverityLevel } from './cvss.ts';
import { AdvisoryInputError } from './errors.ts';
import { normalizeEcosystem, type Advisory, type AdvisorySeverity, type AffectedInterval, type AffectedPackage } from './model.ts';
import { compareWith, schemeFor } from './versions.ts';

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

export type RecordFormat = 'osv' | 'cve5' | 'node-core';

export function detectFormat(rec: unknown): RecordFormat | null {
  if (!isObj(rec)) return null;
  if (rec.dataType === 'CVE_RECORD' || isObj(rec.cveMetadata)) return 'cve5';
  if (typeof rec.id === 'string' && ('affected' in rec || 'modified' in rec || 'schema_version' in rec)) return 'osv';
  const values = Object.values(rec);
  if (values.length > 0 && values.every((v) => isObj(v) && typeof v.vulnerable === 'string')) return 'node-core';
  return null;
}

/** Parses the content of one JSON document (one record, an array of records, or the Node.js core map). */
export function parseAdvisoryDocument(doc: unknown, file: string): Advisory[] {
  if (Array.isArray(doc)) {
    return doc.map((rec, i) => {
      const fmt = detectFormat(rec);
      if (fmt === 'osv') return parseOsv(rec, file);
      if (fmt === 'cve5') return parseCve5(rec, file);
      throw new AdvisoryInputError(file, `#${i}`, 'not an OSV or CVE JSON 5 record');
    });
  }
  const fmt = detectFormat(doc);
  if (fmt === 'osv') return [parseOsv(doc, file)];
  if (fmt === 'cve5') return [parseCve5(doc, file)];
  if (fmt === 'node-core') return parseNodeCore(doc, file);
  throw new AdvisoryInputError(file, undefined, 'not an OSV record, a CVE JSON 5 record or the Node.js core advisory list');
}

// ---------- severity ----------

function pickSeverity(candidates: AdvisorySeverity[]): AdvisorySeverity {
  // Prefer a computed/stated CVSS v3 score, then v4, then a label.
  const order = (s: AdvisorySeverity) => (s.method?.startsWith('CVSS:3') ? 0 : s.method?.startsWith('CVSS:4') ? 1 : 2);
  const known = candidates.filter((c) => c.level !== 'unknown').sort((a, b) => order(a) - order(b) || SEVERITY_RANK[b.level] - SEVERITY_RANK[a.level]);
  return known[0] ?? { level: 'unknown' };
}

function fromVector(vector: string, statedScore?: number): AdvisorySeverity | null {
  const v = vector.trim();
  if (v.startsWith('CVSS:3')) {
    const c = cvss3BaseScore(v);
    if (!c) return null;
    return { level: severityFromScore(c.baseScore), score: c.baseScore, vector: v, method: `CVSS:${c.version}` };
  }
  if (v.startsWith('CVSS:4')) {
    if (typeof statedScore === 'number') return { level: severityFromScore(statedScore), score: statedScore, vector: v, method: 'CVSS:4.0' };
    return { level: 'unknown', vector: v, method: 'CVSS:4.0' };
  }
  return null;
}

// ---------- OSV ----------

function sortEvents(events: Json[], ecosystem: string, name: string): Json[] {
  const scheme = schemeFor(ecosystem, name);
  const ver = (e: Json) => str(e.introduced) ?? str(e.fixed) ?? str(e.last_affected) ?? str(e.limit) ?? '0';
  return [...events].sort((a, b) => {
    const va = ver(a);
    const vb = ver(b);
    if (va === vb) return 0;
    if (va === '0') return -1;
    if (vb === '0') return 1;
    return compareWith(scheme, va, vb);
  });
}

function osvIntervals(events: Json[], ecosystem: string, name: string): AffectedInterval[] {
  const out: AffectedInterval[] = [];
  let open: AffectedInterval | null = null;
  for (const e of sortEvents(events, ecosystem, name)) {
    if (typeof e.introduced === 'string') {
      if (open) out.push(open);
      open = e.introduced === '0' ? {} : { introduced: e.introduced };
    } else if (typeof e.fixed === 'string') {
      out.push({ ...(open ?? {}), fixed: e.fixed });
      open = null;
    } else if (typeof e.last_affected === 'string') {
      out.push({ ...(open ?? {}), lastAffected: e.last_affected });
      open = null;
    } else if (typeof e.limit === 'string') {
      // "limit" bounds a git range; for ecosystem ranges treat it as an exclusive upper bound
      out.push({ ...(open ?? {}), fixed: e.limit === '*' ? undefined : e.limit });
      open = null;
    }
  }
  if (open) out.push(open);
  return out;
}

export function parseOsv(rec: unknown, file: string): Advisory {
  if (!isObj(rec)) throw new AdvisoryInputError(file, undefined, 'OSV record is not an object');
  const id = str(rec.id);
  if (!id) throw new AdvisoryInputError(file, undefined, 'OSV record has no "id"');
  if (rec.affected !== undefined && !Array.isArray(rec.affected)) throw new AdvisoryInputError(file, id, '"affected" must be an array');

  const sev: AdvisorySeverity[] = [];
  const collectSeverity = (list: unknown) => {
    for (const s of arr(list)) {
      if (!isObj(s) || typeof s.score !== 'string') continue;
      const fromV = fromVector(s.score);
      if (fromV) sev.push(fromV);
    }
  };
  collectSeverity(rec.severity);
  if (isObj(rec.database_specific)) {
    const l = normalizeSeverityLabel(str(rec.database_specific.severity));
    if (l !== 'unknown') sev.push({ level: l, method: 'label' });
  }

  const affected: AffectedPackage[] = [];
  arr(rec.affected).forEach((a, i) => {
    if (!isObj(a)) throw new AdvisoryInputError(file, id, `affected[${i}] is not an object`);
    const pkg = a.package;
    if (!isObj(pkg) || typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string') {
      throw new AdvisoryInputError(file, id, `affected[${i}].package needs "ecosystem" and "name"`);
    }
    const { ecosystem, release } = normalizeEcosystem(pkg.ecosystem);
    const name = ecosystem === 'npm' ? pkg.name : pkg.name.toLowerCase();
    const intervals: AffectedInterval[] = [];
    for (const r of arr(a.ranges)) {
      if (!isObj(r)) throw new AdvisoryInputError(file, id, `affected[${i}].ranges has a non-object entry`);
      if (r.type === 'GIT') continue; // commit hashes cannot be compared to installed versions
      if (!Array.isArray(r.events)) throw new AdvisoryInputError(file, id, `affected[${i}].ranges[].events must be an array`);
      intervals.push(...osvIntervals(r.events.filter(isObj), ecosystem, name));
    }
    const versions = arr(a.versions).filter((v): v is string => typeof v === 'string');
    collectSeverity(a.severity);
    for (const spec of [a.ecosystem_specific, a.database_specific]) {
      if (isObj(spec)) {
        const l = normalizeSeverityLabel(str(spec.severity));
        if (l !== 'unknown') sev.push({ level: l, method: 'label' });
      }
    }
    if (intervals.length === 0 && versions.length === 0) return;
    affected.push({ ecosystem, name, ...(release ? { release } : {}), intervals, versions });
  });

  return {
    id,
    // "upstream" (OSV 1.6: the CVE a distribution advisory such as DSA-2896-1 fixes) counts as an alias here
    aliases: [...new Set([...arr(rec.aliases), ...arr(rec.upstream)].filter((x): x is string => typeof x === 'string' && x !== id))],
    summary: str(rec.summary) ?? firstLine(str(rec.details)) ?? '',
    format: 'osv',
    published: str(rec.published),
    modified: str(rec.modified),
    withdrawn: str(rec.withdrawn),
    severity: pickSeverity(sev),
    affected,
    references: arr(rec.references).flatMap((r) => (isObj(r) && typeof r.url === 'string' ? [r.url] : [])),
  };
}

function firstLine(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const line = s.trim().split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

// ---------- CVE JSON 5 ----------

const PRODUCT_ALIASES: Record<string, string> = {
  'node.js': 'node',
  nodejs: 'node',
  'nginx open source': 'nginx',
  'nginx oss': 'nginx',
  'nginx plus': 'nginx-plus',
  'http server': 'httpd',
  'apache http server': 'httpd',
  postgresql: 'postgresql',
  sqlite: 'sqlite',
};

function productKey(vendor: string | undefined, product: string | undefined, packageName: string | undefined, collectionURL: string | undefined): { ecosystem: string; name: string } | null {
  const coll = (collectionURL ?? '').toLowerCase();
  if (packageName && coll.includes('npmjs')) return { ecosystem: 'npm', name: packageName };
  const p = (packageName ?? product ?? '').trim().toLowerCase();
  if (!p || p === 'n/a') return null;
  return { ecosystem: 'generic', name: PRODUCT_ALIASES[p] ?? p.replace(/\s+/g, '-') };
}

const NO_VERSION = new Set(['', 'n/a', 'unspecified', 'unknown', '*', '-']);

function cveIntervals(v: Json): { intervals: AffectedInterval[]; versions: string[] } {
  const version = str(v.version) ?? '';
  const lower = NO_VERSION.has(version.toLowerCase()) || version === '0' ? undefined : version;
  const lessThan = str(v.lessThan);
  const lessThanOrEqual = str(v.lessThanOrEqual);
  if (lessThan === undefined && lessThanOrEqual === undefined) {
    return lower ? { intervals: [], versions: [lower] } : { intervals: [], versions: [] };
  }
  const base: AffectedInterval = lower ? { introduced: lower } : {};
  const upper: AffectedInterval =
    lessThan !== undefined ? (lessThan === '*' ? {} : { fixed: lessThan }) : lessThanOrEqual === '*' ? {} : { lastAffected: lessThanOrEqual };
  // "changes": from `at` on the status flips; split the interval at each change
  const changes = arr(v.changes).filter(isObj).filter((c) => typeof c.at === 'string');
  if (changes.length === 0) return { intervals: [{ ...base, ...upper }], versions: [] };
  const intervals: AffectedInterval[] = [];
  let cur: AffectedInterval | null = { ...base };
  for (const c of changes) {
    if (c.status === 'unaffected' && cur) {
      intervals.push({ ...cur, fixed: c.at as string });
      cur = null;
    } else if (c.status === 'affected' && !cur) {
      cur = { introduced: c.at as string };
    }
  }
  if (cur) intervals.push({ ...cur, ...upper });
  return { intervals, versions: [] };
}

function cveMetrics(list: unknown): AdvisorySeverity[] {
  const out: AdvisorySeverity[] = [];
  for (const m of arr(list)) {
    if (!isObj(m)) continue;
    for (const key of ['cvssV3_1', 'cvssV3_0']) {
      const c = m[key];
      if (isObj(c) && typeof c.vectorString === 'string') {
        const s = fromVector(c.vectorString);
        if (s) out.push(s);
      }
    }
    const c4 = m.cvssV4_0;
    if (isObj(c4) && typeof c4.vectorString === 'string') {
      const s = fromVector(c4.vectorString, typeof c4.baseScore === 'number' ? c4.baseScore : undefined);
      if (s && s.level === 'unknown') {
        const l = normalizeSeverityLabel(str(c4.baseSeverity));
        if (l !== 'unknown') s.level = l;
      }
      if (s) out.push(s);
    }
    const other = m.other;
    if (isObj(other) && isObj(other.content)) {
      // OpenSSL publishes its own rating this way: {type: ".../secpolicy.html#High", content: {text: "High"}}
      const l = normalizeSeverityLabel(str(other.content.text) ?? str(other.content.value));
      if (l !== 'unknown') out.push({ level: l, method: 'label' });
    }
  }
  return out;
}

export function parseCve5(rec: unknown, file: string): Advisory {
  if (!isObj(rec) || !isObj(rec.cveMetadata)) throw new AdvisoryInputError(file, undefined, 'CVE record has no "cveMetadata"');
  const meta = rec.cveMetadata;
  const id = str(meta.cveId);
  if (!id || !/^CVE-\d{4}-\d{4,}$/.test(id)) throw new AdvisoryInputError(file, id, 'cveMetadata.cveId is missing or not a CVE id');
  if (!isObj(rec.containers) || !isObj(rec.containers.cna)) throw new AdvisoryInputError(file, id, 'CVE record has no containers.cna');
  const cna = rec.containers.cna;
  const adp = arr(rec.containers.adp).filter(isObj);
  const rejected = meta.state === 'REJECTED';

  const affected: AffectedPackage[] = [];
  for (const container of [cna, ...adp]) {
    arr(container.affected).forEach((a, i) => {
      if (!isObj(a)) throw new AdvisoryInputError(file, id, `affected[${i}] is not an object`);
      const key = productKey(str(a.vendor), str(a.product), str(a.packageName), str(a.collectionURL));
      if (!key) return;
      const intervals: AffectedInterval[] = [];
      const versions: string[] = [];
      for (const v of arr(a.versions)) {
        if (!isObj(v)) throw new AdvisoryInputError(file, id, `affected[${i}].versions has a non-object entry`);
        if (v.status !== 'affected' || v.versionType === 'git') continue;
        const r = cveIntervals(v);
        intervals.push(...r.intervals);
        versions.push(...r.versions);
      }
      if (intervals.length === 0 && versions.length === 0) {
        if (a.defaultStatus === 'affected') intervals.push({});
        else return;
      }
      const existing = affected.find((x) => x.ecosystem === key.ecosystem && x.name === key.name);
      if (existing) {
        existing.intervals.push(...intervals);
        existing.versions.push(...versions);
      } else affected.push({ ...key, intervals, versions });
    });
  }

  const descriptions = arr(cna.descriptions).filter(isObj);
  const en = descriptions.find((d) => str(d.lang)?.startsWith('en')) ?? descriptions[0];
  return {
    id,
    aliases: [],
    summary: str(cna.title) ?? firstLine(str(en?.value)) ?? '',
    format: 'cve5',
    published: str(meta.datePublished),
    modified: str(meta.dateUpdated),
    ...(rejected ? { withdrawn: str(meta.dateUpdated) ?? str(meta.dateRejected) ?? 'rejected' } : {}),
    severity: pickSeverity([...cveMetrics(cna.metrics), ...adp.flatMap((a) => cveMetrics(a.metrics))]),
    affected,
    references: arr(cna.references).flatMap((r) => (isObj(r) && typeof r.url === 'string' ? [r.url] : [])),
  };
}

// ---------- Node.js core list (is-my-node-vulnerable's core.json) ----------

export function parseNodeCore(doc: unknown, file: string): Advisory[] {
  if (!isObj(doc)) throw new AdvisoryInputError(file, undefined, 'the Node.js core list is not an object');
  const out: Advisory[] = [];
  for (const [key, v] of Object.entries(doc)) {
    if (!isObj(v) || typeof v.vulnerable !== 'string') throw new AdvisoryInputError(file, key, 'entry has no "vulnerable" range');
    if (!semver.validRange(v.vulnerable)) throw new AdvisoryInputError(file, key, `"vulnerable" is not a semver range: ${v.vulnerable}`);
    const patched = str(v.patched);
    const cves = arr(v.cve).filter((x): x is string => typeof x === 'string');
    const level: SeverityLevel = normalizeSeverityLabel(str(v.severity));
    out.push({
      id: `NSWG-CORE-${key}`,
      aliases: cves,
      summary: str(v.description) ?? firstLine(str(v.overview)) ?? '',
      format: 'node-core',
      severity: level === 'unknown' ? { level } : { level, method: 'label' },
      affected: [
        {
          ecosystem: 'generic',
          name: 'node',
          intervals: [],
          versions: [],
          semverVulnerable: v.vulnerable,
          ...(patched && semver.validRange(patched) ? { semverPatched: patched } : {}),
        },
      ],
      references: str(v.ref) ? [v.ref as string] : [],
    });
  }
  return out;
}

/** The minimum versions of a "patched" node-semver expression (`^20.15.1 || ^22.4.1` → 20.15.1, 22.4.1). */
export function fixedFromSemverRange(range: string): string[] {
  try {
    return new semver.Range(range).set.flatMap((comparators) => {
      const min = comparators.find((c) => c.operator === '>=' || c.operator === '' || c.operator === '>');
      return min && min.semver.version !== '0.0.0' ? [min.semver.version] : [];
    });
  } catch {
    return [];
  }
}
