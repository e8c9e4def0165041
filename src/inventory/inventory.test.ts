import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { collectInventory } from './collect.ts';
import { inventoryFromCycloneDX, inventoryToCycloneDX, validateCycloneDX } from './cyclonedx.ts';
import { databaseComponent } from './database.ts';
import { loadSchedule, nodeComponents, nodeRuntimeInfo, releasePhase } from './node-runtime.ts';
import { npmComponents } from './npm.ts';
import { apkComponents, dpkgComponents, parseOpenSslVersionOutput } from './os.ts';
import type { Inventory } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mamori-inv-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Node.js runtime', () => {
  it('reports node and every library compiled into it, OpenSSL first among equals', () => {
    const comps = nodeComponents();
    expect(comps[0]).toMatchObject({ kind: 'runtime', name: 'node', version: process.version.slice(1), purl: `pkg:generic/node@${process.version.slice(1)}` });
    const openssl = comps.find((c) => c.name === 'openssl')!;
    expect(openssl).toMatchObject({ kind: 'runtime-library', ecosystem: 'generic', version: process.versions.openssl.replace(/\+.*/, '') });
    expect(openssl.purl).toMatch(/^pkg:generic\/openssl@\d/);
    expect(comps.find((c) => c.name === 'zlib')).toBeDefined();
    expect(comps.find((c) => c.name === 'libuv')?.version).toBe(process.versions.uv);
    expect(comps.find((c) => c.name === 'modules')).toBeUndefined(); // an ABI number, not a component
    // undici ships inside node and is judged by npm advisories
    if (process.versions.undici) expect(comps.find((c) => c.name === 'undici')).toMatchObject({ ecosystem: 'npm', purl: `pkg:npm/undici@${process.versions.undici}` });
  });

  it('knows where each release line stands from the shipped schedule', () => {
    const s = loadSchedule();
    const at = new Date('2026-11-25T12:00:00Z');
    expect(releasePhase('20.20.2', s, at)).toMatchObject({ line: 'v20', phase: 'end-of-life' }); // ended 2026-04-30
    expect(releasePhase('22.12.0', s, at).phase).toBe('maintenance-lts');
    expect(releasePhase('24.21.0', s, at).phase).toBe('maintenance-lts'); // maintenance since 2026-10-20
    expect(releasePhase('24.21.0', s, new Date('2026-01-01T00:00:00Z')).phase).toBe('active-lts');
    expect(releasePhase('25.1.0', s, at).phase).toBe('end-of-life');
    expect(releasePhase('0.10.48', s, at)).toMatchObject({ line: 'v0.10', phase: 'end-of-life' });
    expect(releasePhase('99.0.0', s, at).phase).toBe('unknown');
    // the end date itself is still supported
    expect(releasePhase('20.0.0', s, new Date('2026-04-30T23:00:00Z')).phase).toBe('maintenance-lts');
  });

  it('accepts another schedule file (updatable)', () => {
    const f = path.join(tmp, 'schedule.json');
    writeFileSync(f, JSON.stringify({ v24: { start: '2025-05-06', end: '2025-06-01' } }));
    const info = nodeRuntimeInfo({ schedulePath: f, version: 'v24.21.0', now: new Date('2026-01-01T00:00:00Z') });
    expect(info).toMatchObject({ eol: true, endOfLife: '2025-06-01', scheduleSource: f });
  });
});

describe('npm packages from node_modules and the lock file', () => {
  const root = path.join(tmp, 'proj');
  const pkg = (rel: string, json: object) => {
    mkdirSync(path.join(root, rel), { recursive: true });
    writeFileSync(path.join(root, rel, 'package.json'), JSON.stringify(json));
  };
  beforeAll(() => {
    pkg('.', { name: 'proj', version: '1.0.0', dependencies: { fastify: '^5.0.0', '@fastify/cookie': '^11.0.0' }, devDependencies: { vitest: '^4.0.0' } });
    pkg('node_modules/fastify', { name: 'fastify', version: '5.1.0', license: 'MIT' });
    pkg('node_modules/@fastify/cookie', { name: '@fastify/cookie', version: '11.0.1', license: { type: 'MIT' } });
    pkg('node_modules/semver', { name: 'semver', version: '7.6.0', license: 'ISC' }); // transitive, prod
    pkg('node_modules/vitest', { name: 'vitest', version: '4.0.1', license: 'MIT' });
    pkg('node_modules/vitest/node_modules/semver', { name: 'semver', version: '6.3.0', licenses: [{ type: 'ISC' }] }); // nested, dev
    pkg('node_modules/extraneous-thing', { name: 'extraneous-thing', version: '0.0.1' });
    writeFileSync(
      path.join(root, 'package-lock.json'),
      JSON.stringify({
        name: 'proj',
        lockfileVersion: 3,
        packages: {
          '': { name: 'proj', version: '1.0.0' },
          'node_modules/fastify': { version: '5.1.0', integrity: 'sha512-AAAA' },
          'node_modules/@fastify/cookie': { version: '11.0.1', integrity: 'sha512-BBBB' },
          'node_modules/semver': { version: '7.6.0', integrity: 'sha512-CCCC' },
          'node_modules/vitest': { version: '4.0.1', dev: true, integrity: 'sha512-DDDD' },
          'node_modules/vitest/node_modules/semver': { version: '6.3.0', dev: true, integrity: 'sha512-EEEE' },
        },
      }),
    );
  });

  it('finds every installed package with direct/transitive, dev/prod, license and integrity', () => {
    const { components, notes } = npmComponents(root);
    const by = (name: string, version: string) => components.find((c) => c.name === name && c.version === version);
    expect(components).toHaveLength(6);
    expect(by('fastify', '5.1.0')).toMatchObject({ direct: true, dev: false, license: 'MIT', integrity: 'sha512-AAAA', purl: 'pkg:npm/fastify@5.1.0' });
    expect(by('@fastify/cookie', '11.0.1')).toMatchObject({ direct: true, dev: false, license: 'MIT', purl: 'pkg:npm/%40fastify/cookie@11.0.1' });
    expect(by('semver', '7.6.0')).toMatchObject({ direct: false, dev: false });
    expect(by('semver', '6.3.0')).toMatchObject({ direct: false, dev: true, license: 'ISC', source: 'node_modules/vitest/node_modules/semver' });
    expect(by('vitest', '4.0.1')).toMatchObject({ direct: true, dev: true });
    expect(notes.join('\n')).toMatch(/1 installed package\(s\) are not in package-lock\.json/);
  });

  it('says so when nothing is installed', () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty, { recursive: true });
    writeFileSync(path.join(empty, 'package.json'), '{"name":"e","version":"1.0.0"}');
    expect(npmComponents(empty).notes.join()).toMatch(/node_modules is missing/);
  });
});

describe('OS packages and the system OpenSSL', () => {
  it('parses the dpkg status file: installed packages only, source package, distro release', () => {
    const comps = dpkgComponents(readFileSync(path.join(HERE, 'fixtures/dpkg-status'), 'utf8'), { id: 'debian', versionId: '12' });
    expect(comps.map((c) => c.name)).toEqual(['libssl3', 'openssl', 'zlib1g']);
    expect(comps[0]).toMatchObject({ ecosystem: 'deb', version: '3.0.17-1~deb12u2', sourceName: 'openssl', release: 'debian-12', purl: 'pkg:deb/debian/libssl3@3.0.17-1~deb12u2?arch=amd64&distro=debian-12' });
    expect(comps[2]!.purl).toBe('pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12');
    expect(comps[1]!.sourceName).toBeUndefined();
  });

  it('parses the apk database (Alpine)', () => {
    const text = 'C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:libssl3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n';
    const comps = apkComponents(text, { id: 'alpine', versionId: '3.19.1' });
    expect(comps).toHaveLength(2);
    expect(comps[1]).toMatchObject({ ecosystem: 'apk', name: 'libssl3', version: '3.1.4-r5', sourceName: 'openssl', release: 'alpine-3.19', purl: 'pkg:apk/alpine/libssl3@3.1.4-r5?arch=x86_64' });
  });

  it('parses `openssl version` output', () => {
    expect(parseOpenSslVersionOutput('OpenSSL 3.0.17 1 Jul 2025 (Library: OpenSSL 3.0.17 1 Jul 2025)\n')).toEqual({ flavour: 'OpenSSL', version: '3.0.17', library: '3.0.17' });
    expect(parseOpenSslVersionOutput('OpenSSL 1.0.1e-fips 11 Feb 2013')).toEqual({ flavour: 'OpenSSL', version: '1.0.1e' });
    expect(parseOpenSslVersionOutput('LibreSSL 3.3.6')).toMatchObject({ flavour: 'LibreSSL', version: '3.3.6' });
    expect(parseOpenSslVersionOutput('garbage')).toBeNull();
  });
});

describe('a node binary installed by the OS package manager', () => {
  const fakeRoot = (version: string) => {
    const root = mkdtempSync(path.join(tmp, 'osroot-'));
    mkdirSync(path.join(root, 'var/lib/dpkg/info'), { recursive: true });
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    writeFileSync(path.join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    writeFileSync(path.join(root, 'var/lib/dpkg/status'), `Package: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`);
    writeFileSync(path.join(root, 'var/lib/dpkg/info/nodejs.list'), `/.\n/usr\n${realpathSync(process.execPath)}\n`);
    return root;
  };
  it("Debian's own build is judged by Debian (managedBy on node and its libraries)", async () => {
    const inv = await collectInventory({ osRoot: fakeRoot('18.19.0+dfsg-6~deb12u2'), skip: ['npm', 'openssl', 'database'] });
    expect(inv.components.find((c) => c.kind === 'runtime')!.managedBy).toBe('deb:nodejs@18.19.0+dfsg-6~deb12u2');
    expect(inv.components.find((c) => c.kind === 'runtime-library' && c.name === 'openssl')!.managedBy).toBe('deb:nodejs@18.19.0+dfsg-6~deb12u2');
  });
  it('a NodeSource package is an upstream build: judged as upstream, with a note', async () => {
    const inv = await collectInventory({ osRoot: fakeRoot('20.20.2-1nodesource1+repack1'), skip: ['npm', 'openssl', 'database'] });
    expect(inv.components.find((c) => c.kind === 'runtime')!.managedBy).toBeUndefined();
    expect(inv.notes.join()).toMatch(/nodesource1\+repack1, an upstream build/);
  });
});

describe('database engine', () => {
  it('reads the SQLite library version through the shop handle', async () => {
    const h = openDatabase(':memory:');
    try {
      const c = await databaseComponent(h);
      expect(c).toMatchObject({ kind: 'database', name: 'sqlite', ecosystem: 'generic' });
      expect(c.version).toMatch(/^3\.\d+\.\d+$/);
    } finally {
      await h.close();
    }
  });
  it('keeps only the version from PostgreSQL server_version', async () => {
    const c = await databaseComponent({ kind: 'postgres', engineVersion: async () => '15.19 (Debian 15.19-0+deb12u1)' });
    expect(c).toMatchObject({ name: 'postgresql', version: '15.19', purl: 'pkg:generic/postgresql@15.19' });
  });
});

describe('the whole inventory of this machine, as CycloneDX 1.6', () => {
  let inv: Inventory;
  let json: string;
  beforeAll(async () => {
    const db = openDatabase(':memory:');
    try {
      inv = await collectInventory({ projectRoot: path.resolve(HERE, '..', '..'), database: db });
    } finally {
      await db.close();
    }
    json = inventoryToCycloneDX(inv);
  });

  it('finds node, its OpenSSL, npm packages and the database', () => {
    const kinds = new Set(inv.components.map((c) => c.kind));
    for (const k of ['runtime', 'runtime-library', 'npm', 'database']) expect(kinds.has(k as never), k).toBe(true);
    expect(inv.node?.version).toBe(process.version.slice(1));
    expect(inv.components.find((c) => c.name === '@cyclonedx/cyclonedx-library')).toMatchObject({ direct: true, dev: false });
  });

  it('validates against the CycloneDX 1.6 JSON schema (strict)', async () => {
    const doc = JSON.parse(json);
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(doc.components.length).toBe(inv.components.length);
    expect(await validateCycloneDX(json, { strict: true })).toBeNull();
    const npm = doc.components.find((c: { purl?: string }) => c.purl === 'pkg:npm/semver@' + inv.components.find((x) => x.name === 'semver' && x.source === 'node_modules/semver')!.version);
    expect(npm.hashes[0].alg).toBe('SHA-512');
    expect(npm.licenses[0]).toEqual({ license: { id: 'ISC' } });
  });

  it('the validator does catch an invalid SBOM', async () => {
    const doc = JSON.parse(json);
    doc.components[0].type = 'not-a-type';
    expect(await validateCycloneDX(JSON.stringify(doc))).not.toBeNull();
  });

  it('reads back what it wrote (round trip), and reads a hand-written vendor SBOM', async () => {
    const back = await inventoryFromCycloneDX(json, 'this.cdx.json');
    expect(back.components.length).toBe(inv.components.length);
    const orig = inv.components.find((c) => c.kind === 'runtime-library' && c.name === 'openssl')!;
    expect(back.components.find((c) => c.kind === 'runtime-library' && c.name === 'openssl')).toMatchObject({ ecosystem: 'generic', version: orig.version, purl: orig.purl });
    expect(back.node?.version).toBe(inv.node?.version);

    const vendor = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [
        { type: 'library', name: 'openssl', version: '1.0.1e', purl: 'pkg:generic/openssl@1.0.1e' },
        { type: 'library', group: '@fastify', name: 'cookie', version: '11.0.1', purl: 'pkg:npm/%40fastify/cookie@11.0.1' },
        { type: 'library', name: 'libssl1.0.0', version: '1.0.1e-2+deb7u4', purl: 'pkg:deb/debian/libssl1.0.0@1.0.1e-2%2Bdeb7u4?arch=amd64&distro=debian-7' },
        { type: 'application', name: 'no-version' },
      ],
    };
    const v = await inventoryFromCycloneDX(JSON.stringify(vendor), 'vendor.json');
    expect(v.components.map((c) => [c.ecosystem, c.name, c.version, c.release])).toEqual([
      ['generic', 'openssl', '1.0.1e', undefined],
      ['npm', '@fastify/cookie', '11.0.1', undefined],
      ['deb', 'libssl1.0.0', '1.0.1e-2+deb7u4', 'debian-7'],
    ]);
  });

  it('rejects what is not a CycloneDX SBOM', async () => {
    await expect(inventoryFromCycloneDX('{"spdxVersion":"SPDX-2.3"}', 'x.spdx.json')).rejects.toThrow(/not a CycloneDX SBOM/);
    await expect(inventoryFromCycloneDX('{', 'broken.json')).rejects.toThrow(/broken\.json: not valid JSON/);
  });
});
