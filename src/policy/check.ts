// The deploy gate: inventory (this system, or a CycloneDX SBOM) + advisories + policy.
// It fails (status "fail", exit 1) when any finding is above the tolerated severity, when
// an end-of-life runtime is forbidden, when a component is below its minimum version, when
// a declared version differs from the loaded one, or when the advisory data is missing or
// older than the policy allows: never a silent "all clear" on stale data.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { SEVERITY_RANK, type SeverityLevel } from '../advisories/cvss.ts';
import { AdvisoryIndex, type Finding } from '../advisories/matcher.ts';
import { loadAdvisoryData, loadBundledNodeCoreAdvisories } from '../advisories/store.ts';
import type { ProgressFn } from '../advisories/sources.ts';
import { compareVersions } from '../advisories/versions.ts';
import { collectInventory } from '../inventory/collect.ts';
import type { EngineVersionSource } from '../inventory/database.ts';
import { debianChangelogCves } from '../inventory/os.ts';
import type { Component, Inventory } from '../inventory/types.ts';
import { loadPolicyFile, parsePolicy, type Policy } from './schema.ts';

export type FindingStatus = 'violation' | 'tolerated' | 'excepted' | 'suppressed';

export interface CheckedFinding extends Finding {
  status: FindingStatus;
  /** Why it is tolerated, excepted or suppressed. */
  note?: string;
}

export type ViolationKind = 'finding' | 'end-of-life' | 'minimum-version' | 'declared-mismatch' | 'declared-missing' | 'stale-advisories' | 'no-advisories';

export interface Violation {
  kind: ViolationKind;
  message: string;
  component?: { name: string; version: string; purl: string };
  advisoryId?: string;
}

export interface CheckResult {
  status: 'pass' | 'fail';
  exitCode: 0 | 1;
  checkedAt: string;
  target: { host: string; source: string };
  policyFile: string | null;
  advisoryData: { asOf: string | null; ageHours: number | null; maxAgeHours: number; count: number; sources: string[] };
  node?: Inventory['node'];
  summary: { components: number; findings: number; violations: number; tolerated: number; excepted: number; suppressed: number; highestSeverity: SeverityLevel | null };
  violations: Violation[];
  findings: CheckedFinding[];
  warnings: string[];
}

export interface CheckOptions {
  /** Policy file (default ./mamori.policy.json, else built-in defaults). */
  policyPath?: string;
  policy?: Policy;
  /** Judge this CycloneDX SBOM instead of this system. */
  sbom?: string;
  inventory?: Inventory;
  /** Advisory files, directories, zips or store directories (default: the store). */
  advisoryInputs?: string[];
  advisoryDir?: string;
  database?: EngineVersionSource;
  projectRoot?: string;
  osRoot?: string;
  now?: Date;
  progress?: ProgressFn;
}

export class CheckInputError extends Error {}

const DEFAULT_POLICY_FILE = 'mamori.policy.json';

export function resolvePolicy(opts: Pick<CheckOptions, 'policy' | 'policyPath' | 'projectRoot'>): { policy: Policy; file: string | null } {
  if (opts.policy) return { policy: opts.policy, file: null };
  if (opts.policyPath) return { policy: loadPolicyFile(opts.policyPath), file: path.resolve(opts.policyPath) };
  const candidate = path.resolve(opts.projectRoot ?? process.cwd(), DEFAULT_POLICY_FILE);
  if (existsSync(candidate)) return { policy: loadPolicyFile(candidate), file: candidate };
  return { policy: parsePolicy({}), file: null };
}

/** Purl without version, qualifiers or subpath, decoded and lower-cased: "pkg:npm/@fastify/cookie". */
export function purlBase(purl: string): string {
  let s = purl.split('#')[0]!.split('?')[0]!;
  const slash = s.indexOf('/');
  const at = s.lastIndexOf('@');
  if (at > slash) s = s.slice(0, at);
  try {
    s = decodeURIComponent(s);
  } catch {
    /* keep as is */
  }
  return s.toLowerCase();
}

const rank = (level: SeverityLevel, unknownAs: SeverityLevel) => SEVERITY_RANK[level === 'unknown' ? unknownAs : level];

function componentRef(c: Component) {
  return { name: c.name, version: c.version, purl: c.purl };
}

function isExceptionActive(expires: string, now: Date): boolean {
  return now.getTime() < Date.parse(`${expires}T00:00:00Z`) + 86_400_000;
}

export async function runCheck(opts: CheckOptions = {}): Promise<CheckResult> {
  const now = opts.now ?? new Date();
  const { policy, file: policyFile } = resolvePolicy(opts);
  const warnings: string[] = [];

  let inv = opts.inventory;
  let targetSource = 'this system';
  if (!inv && opts.sbom) {
    const { loadInventory } = await import('../inventory/cli.ts');
    inv = await loadInventory({ sbom: opts.sbom });
    targetSource = `sbom:${opts.sbom}`;
  }
  if (!inv) inv = await collectInventory({ projectRoot: opts.projectRoot, osRoot: opts.osRoot, database: opts.database, now });

  // --- advisory data
  const data = await loadAdvisoryData({ dir: opts.advisoryDir, inputs: opts.advisoryInputs, progress: opts.progress });
  const index = new AdvisoryIndex(data.advisories);
  const sources = [...data.sources];
  if (policy.advisories.includeNodeCoreList) {
    const core = await loadBundledNodeCoreAdvisories();
    if (core) {
      for (const a of core.advisories) if (!index.get(a.id)) index.add(a);
      sources.push(`${core.file} (Node.js core list, ${core.advisories.length} advisories, shipped in is-my-node-vulnerable)`);
    } else warnings.push('the Node.js core advisory list (is-my-node-vulnerable) is not installed');
  }
  const violations: Violation[] = [];
  const ageHours = data.asOf ? (now.getTime() - data.asOf.getTime()) / 3_600_000 : null;
  if (data.advisories.length === 0) {
    violations.push({ kind: 'no-advisories', message: 'no advisory data: import some (mamori advisories import <file|dir|zip>) or run mamori advisories update; an empty database proves nothing' });
  } else if (ageHours === null || ageHours > policy.advisories.maxAgeHours) {
    violations.push({
      kind: 'stale-advisories',
      message: `advisory data is ${ageHours === null ? 'of unknown age' : `${ageHours.toFixed(1)} hours old (as of ${data.asOf!.toISOString()})`}; the policy allows ${policy.advisories.maxAgeHours} hours: run mamori advisories update`,
    });
  }

  // --- findings
  const findings: CheckedFinding[] = [];
  const components = inv.components;
  for (const c of components) {
    for (const f of index.match(c)) {
      findings.push(classify(f, c, policy, now, opts.osRoot ?? '/'));
    }
  }
  for (const f of findings) {
    if (f.status === 'violation') {
      violations.push({ kind: 'finding', message: `${f.component.name} ${f.component.version}: ${f.advisory.id} (${f.severity}${f.score !== undefined ? ` ${f.score}` : ''}) ${f.advisory.summary}`.trim(), component: { name: f.component.name, version: f.component.version, purl: f.component.purl }, advisoryId: f.advisory.id });
    }
  }
  for (const e of policy.exceptions) {
    if (!isExceptionActive(e.expires, now)) warnings.push(`exception for ${e.advisory}${e.component ? ` on ${e.component}` : ''} expired on ${e.expires} and no longer applies (${e.reason})`);
  }

  // --- runtime end of life
  if (inv.node?.eol) {
    const until = policy.runtime.allowEndOfLifeUntil;
    const msg = `Node.js ${inv.node.version} (${inv.node.line}) is end-of-life since ${inv.node.endOfLife ?? 'long ago'}: no more security fixes`;
    if (policy.runtime.endOfLife === 'allow') warnings.push(`${msg} (allowed by policy)`);
    else if (until && isExceptionActive(until, now)) warnings.push(`${msg} (allowed by policy until ${until})`);
    else violations.push({ kind: 'end-of-life', message: `${msg}; upgrade to a supported LTS line`, component: { name: 'node', version: inv.node.version, purl: `pkg:generic/node@${inv.node.version}` } });
  } else if (inv.node?.phase === 'unknown') {
    warnings.push(`Node.js ${inv.node.version} is not in the release schedule (${inv.node.scheduleSource}): update it with mamori advisories update`);
  }

  // --- minimum versions
  for (const rule of policy.minimumVersions) {
    const sel = purlBase(rule.component);
    const matching = components.filter((c) => purlBase(c.purl) === sel && (!rule.kind || c.kind === rule.kind));
    for (const c of matching) {
      if (compareVersions(c.ecosystem, c.name, c.version, rule.minimum) < 0) {
        violations.push({ kind: 'minimum-version', message: `${c.name} ${c.version} (${c.source}) is below the minimum ${rule.minimum}${rule.reason ? `: ${rule.reason}` : ''}`, component: componentRef(c) });
      }
    }
  }

  // --- declared versus loaded
  for (const d of policy.declared) {
    const sel = purlBase(d.component);
    const matching = components.filter((c) => purlBase(c.purl) === sel && (!d.kind || c.kind === d.kind));
    if (matching.length === 0) {
      violations.push({ kind: 'declared-missing', message: `declared ${d.component}${d.kind ? ` (${d.kind})` : ''} ${d.version} is not loaded at all` });
      continue;
    }
    for (const c of matching) {
      if (c.version.replace(/^v/, '') !== d.version.replace(/^v/, '')) {
        violations.push({ kind: 'declared-mismatch', message: `declared ${c.name} ${d.version} but ${c.version} is loaded (${c.source})`, component: componentRef(c) });
      }
    }
  }

  const counted = findings.filter((f) => f.status !== 'suppressed');
  const highest = counted.reduce<SeverityLevel | null>((acc, f) => (acc === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[acc] ? f.severity : acc), null);
  const status = violations.length ? 'fail' : 'pass';
  return {
    status,
    exitCode: status === 'fail' ? 1 : 0,
    checkedAt: now.toISOString(),
    target: { host: inv.host.hostname, source: targetSource },
    policyFile,
    advisoryData: { asOf: data.asOf?.toISOString() ?? null, ageHours: ageHours === null ? null : Math.round(ageHours * 10) / 10, maxAgeHours: policy.advisories.maxAgeHours, count: index.size, sources },
    ...(inv.node ? { node: inv.node } : {}),
    summary: {
      components: components.length,
      findings: counted.length,
      violations: violations.length,
      tolerated: findings.filter((f) => f.status === 'tolerated').length,
      excepted: findings.filter((f) => f.status === 'excepted').length,
      suppressed: findings.filter((f) => f.status === 'suppressed').length,
      highestSeverity: highest,
    },
    violations,
    findings,
    warnings: [...warnings, ...inv.notes.map((n) => `inventory: ${n}`)],
  };
}

function classify(f: Finding, c: Component, policy: Policy, now: Date, osRoot: string): CheckedFinding {
  const ids = [f.advisory.id, ...f.advisory.aliases];
  // A distribution-managed library (the system OpenSSL belongs to dpkg's libssl3) is judged by
  // the distribution's advisories, not by its upstream version: distributions backport fixes.
  if (c.managedBy && c.ecosystem === 'generic') {
    const [eco, rest] = c.managedBy.split(':');
    const pkg = rest?.split('@')[0] ?? '';
    if (eco === 'deb' && pkg) {
      const fixedIn = [...debianChangelogCves(pkg, osRoot), ...debianChangelogCves(c.name, osRoot)];
      const hit = ids.find((i) => fixedIn.includes(i));
      if (hit) return { ...f, status: 'suppressed', note: `fixed by the distribution: ${hit} is named in the Debian changelog of ${pkg}` };
    }
    return { ...f, status: 'suppressed', note: `${c.name} ${c.version} is built and patched by the distribution (${c.managedBy}): judged by the distribution's advisories for that package, not by the upstream version` };
  }
  if (c.ecosystem === 'deb') {
    const fixedIn = debianChangelogCves(c.name, osRoot);
    const hit = ids.find((i) => fixedIn.has(i));
    if (hit) return { ...f, status: 'suppressed', note: `fixed by a backport: ${hit} is named in /usr/share/doc/${c.name}/changelog.Debian.gz` };
  }
  const base = purlBase(c.purl);
  const exc = policy.exceptions.find((e) => ids.includes(e.advisory) && (!e.component || purlBase(e.component) === base));
  if (exc && isExceptionActive(exc.expires, now)) return { ...f, status: 'excepted', note: `exception until ${exc.expires}: ${exc.reason}` };
  if (c.kind === 'npm' && c.dev && !policy.includeDevDependencies) return { ...f, status: 'tolerated', note: 'development dependency, not deployed (policy: includeDevDependencies false)' };
  if (rank(f.severity, policy.unknownSeverityAs) > SEVERITY_RANK[policy.maxSeverity]) return { ...f, status: 'violation' };
  return { ...f, status: 'tolerated', note: `severity ${f.severity} is within the policy's maxSeverity ${policy.maxSeverity}` };
}
