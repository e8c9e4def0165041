// Operating-system packages and the system OpenSSL.
//   Debian/Ubuntu: the dpkg status file (/var/lib/dpkg/status), installed packages only;
//   Alpine: the apk database (/lib/apk/db/installed);
//   RPM-based: `rpm -qa` when the rpm tool is there, otherwise a clear "not supported here".
// `root` lets tests (and a merchant checking a mounted image) read another filesystem tree.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Component } from './types.ts';

const execFileP = promisify(execFile);

export interface OsRelease {
  id: string;
  versionId?: string;
  prettyName?: string;
}

export function readOsRelease(root = '/'): OsRelease | null {
  for (const f of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      const text = readFileSync(path.join(root, f), 'utf8');
      const kv: Record<string, string> = {};
      for (const line of text.split('\n')) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) kv[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
      }
      return { id: kv.ID ?? 'unknown', versionId: kv.VERSION_ID, prettyName: kv.PRETTY_NAME };
    } catch {
      /* try the next */
    }
  }
  return null;
}

/** Splits an RFC 822-style control file (dpkg status) into stanzas of fields. */
export function parseControlStanzas(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> = {};
  let last: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (Object.keys(cur).length) out.push(cur);
      cur = {};
      last = null;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      cur[last] += `\n${line.trim()}`;
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i);
    cur[last] = line.slice(i + 1).trim();
  }
  if (Object.keys(cur).length) out.push(cur);
  return out;
}

export function dpkgComponents(statusText: string, osr: OsRelease | null): Component[] {
  const distro = osr?.id === 'ubuntu' ? 'ubuntu' : 'debian';
  const release = osr?.versionId ? `${distro}-${osr.versionId}` : undefined;
  const out: Component[] = [];
  for (const s of parseControlStanzas(statusText)) {
    // "install ok installed"; not "deinstall ok config-files", not "install ok half-installed"
    const [want, , state] = (s.Status ?? '').split(/\s+/);
    if (want !== 'install' && want !== 'hold') continue;
    if (state !== 'installed') continue;
    const name = s.Package;
    const version = s.Version;
    if (!name || !version) continue;
    const arch = s.Architecture;
    // "Source: openssl (3.0.11-1~deb12u2)" → source name openssl (the version in brackets is the source's)
    const sourceName = s.Source ? s.Source.split(/\s+/)[0] : undefined;
    const q = new URLSearchParams();
    if (arch) q.set('arch', arch);
    if (release) q.set('distro', release);
    const qs = q.toString();
    out.push({
      kind: 'os',
      ecosystem: 'deb',
      name,
      version,
      purl: `pkg:deb/${distro}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${qs ? `?${qs}` : ''}`,
      ...(release ? { release } : {}),
      ...(sourceName && sourceName !== name ? { sourceName } : {}),
      source: 'dpkg status',
    });
  }
  return out;
}

export function apkComponents(installedText: string, osr: OsRelease | null): Component[] {
  const release = osr?.versionId ? `alpine-${osr.versionId.split('.').slice(0, 2).join('.')}` : undefined;
  const out: Component[] = [];
  for (const block of installedText.split(/\n\s*\n/)) {
    const kv: Record<string, string> = {};
    for (const line of block.split('\n')) if (line[1] === ':') kv[line[0]!] = line.slice(2);
    if (!kv.P || !kv.V) continue;
    out.push({
      kind: 'os',
      ecosystem: 'apk',
      name: kv.P,
      version: kv.V,
      purl: `pkg:apk/alpine/${encodeURIComponent(kv.P)}@${encodeURIComponent(kv.V)}${kv.A ? `?arch=${kv.A}` : ''}`,
      ...(release ? { release } : {}),
      ...(kv.o && kv.o !== kv.P ? { sourceName: kv.o } : {}),
      ...(kv.L ? { license: kv.L } : {}),
      source: 'apk installed database',
    });
  }
  return out;
}

export async function osComponents(root = '/'): Promise<{ components: Component[]; notes: string[]; release?: OsRelease }> {
  const osr = readOsRelease(root);
  const notes: string[] = [];
  const dpkgStatus = path.join(root, 'var/lib/dpkg/status');
  const apkDb = path.join(root, 'lib/apk/db/installed');
  if (existsSync(dpkgStatus)) {
    return { components: dpkgComponents(readFileSync(dpkgStatus, 'utf8'), osr), notes, ...(osr ? { release: osr } : {}) };
  }
  if (existsSync(apkDb)) {
    return { components: apkComponents(readFileSync(apkDb, 'utf8'), osr), notes, ...(osr ? { release: osr } : {}) };
  }
  if (existsSync(path.join(root, 'var/lib/rpm')) && root === '/') {
    try {
      const { stdout } = await execFileP('rpm', ['-qa', '--qf', '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{LICENSE}\n'], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
      const comps: Component[] = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [name = '', evr = '', arch = '', license] = l.split('\t');
          const version = evr.replace(/^0:/, '');
          return {
            kind: 'os' as const,
            ecosystem: 'rpm',
            name,
            version,
            purl: `pkg:rpm/${osr?.id ?? 'unknown'}/${encodeURIComponent(name)}@${encodeURIComponent(version)}?arch=${arch}`,
            ...(license && license !== '(none)' ? { license } : {}),
            source: 'rpm -qa',
          };
        });
      return { components: comps, notes, ...(osr ? { release: osr } : {}) };
    } catch {
      notes.push('OS packages: an RPM database is present but the rpm tool is not: not supported here');
    }
  } else {
    notes.push(`OS packages: no dpkg, apk or rpm database under ${root}: not supported here${osr ? ` (${osr.prettyName ?? osr.id})` : ''}`);
  }
  return { components: [], notes, ...(osr ? { release: osr } : {}) };
}

/** Parses `openssl version` output: "OpenSSL 3.0.17 1 Jul 2025 (Library: OpenSSL 3.0.17 1 Jul 2025)". */
export function parseOpenSslVersionOutput(out: string): { version: string; library?: string; flavour: string } | null {
  const m = /^(OpenSSL|LibreSSL|BoringSSL)\s+(\S+)/.exec(out.trim());
  if (!m) return null;
  const lib = /\(Library:\s*(?:OpenSSL|LibreSSL)\s+(\S+)/.exec(out);
  return { flavour: m[1]!, version: m[2]!.replace(/-fips$/i, ''), ...(lib ? { library: lib[1]!.replace(/-fips$/i, '') } : {}) };
}

/** The system's `openssl version` (the CLI and the shared library it loads). */
export async function systemOpenSsl(osPackages: Component[]): Promise<{ components: Component[]; notes: string[] }> {
  try {
    const { stdout } = await execFileP('openssl', ['version'], { timeout: 10_000 });
    const parsed = parseOpenSslVersionOutput(stdout);
    if (!parsed) return { components: [], notes: [`openssl: unrecognised \`openssl version\` output: ${stdout.trim()}`] };
    const version = parsed.library ?? parsed.version;
    const name = parsed.flavour.toLowerCase();
    // Which OS package provides it: then the distribution's advisories judge it, not upstream's
    const owner = osPackages.find((p) => /^libssl\d/.test(p.name) || p.name === 'openssl' || p.name === 'libssl');
    return {
      components: [
        {
          kind: 'system',
          ecosystem: 'generic',
          name,
          version,
          purl: `pkg:generic/${name}@${encodeURIComponent(version)}`,
          source: '`openssl version`',
          ...(owner ? { managedBy: `${owner.ecosystem}:${owner.sourceName ?? owner.name}@${owner.version}` } : {}),
        },
      ],
      notes: [],
    };
  } catch {
    return { components: [], notes: ['openssl: no `openssl` command on this system'] };
  }
}

const changelogCache = new Map<string, Set<string>>();

/**
 * The CVE ids a Debian package's changelog says were fixed (/usr/share/doc/<pkg>/changelog.Debian.gz).
 * Distributions backport fixes without changing the upstream version; this is how we know.
 */
export function debianChangelogCves(pkg: string, root = '/'): Set<string> {
  const k = `${root}\u0000${pkg}`;
  const hit = changelogCache.get(k);
  if (hit) return hit;
  const set = new Set<string>();
  for (const f of [`usr/share/doc/${pkg}/changelog.Debian.gz`, `usr/share/doc/${pkg}/changelog.gz`]) {
    try {
      const text = gunzipSync(readFileSync(path.join(root, f))).toString('utf8');
      for (const m of text.matchAll(/CVE-\d{4}-\d{4,}/g)) set.add(m[0]);
      break;
    } catch {
      /* not there */
    }
  }
  changelogCache.set(k, set);
  return set;
}
