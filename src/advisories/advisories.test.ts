import { mkdtempSync, readFileSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AdvisoryInputError } from './errors.ts';
import { getAdvisoryIndex, matchComponent } from './index.ts';
import { AdvisoryIndex } from './matcher.ts';
import { parseAdvisoryDocument } from './parse.ts';
import { importAdvisories, loadAdvisoryData, loadBundledNodeCoreAdvisories, loadStore } from './store.ts';
import { makeZip } from '../../test/support/zip-writer.ts';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (rel: string) => JSON.parse(readFileSync(path.join(FIX, rel), 'utf8'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mamori-adv-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function indexOf(...rels: string[]): AdvisoryIndex {
  return new AdvisoryIndex(rels.flatMap((r) => parseAdvisoryDocument(read(r), r)));
}

describe('parsing real records', () => {
  it('OSV (GitHub): semver ReDoS with three ranges, CVSS computed from the vector', () => {
    const [a] = parseAdvisoryDocument(read('osv/GHSA-c2qf-rxjj-qqgw.json'), 'x');
    expect(a!.id).toBe('GHSA-c2qf-rxjj-qqgw');
    expect(a!.aliases).toEqual(['CVE-2022-25883']);
    expect(a!.severity).toMatchObject({ level: 'medium', score: 5.3, method: 'CVSS:3.1' });
    expect(a!.affected.map((x) => x.intervals)).toEqual([[{ introduced: '7.0.0', fixed: '7.5.2' }], [{ introduced: '6.0.0', fixed: '6.3.1' }], [{ fixed: '5.7.2' }]]);
  });

  it('CVE JSON 5 (OpenSSL CNA): letter-release bounds and OpenSSL’s own "High" rating', () => {
    const [a] = parseAdvisoryDocument(read('cve5/CVE-2023-0286.json'), 'x');
    expect(a!.affected).toEqual([
      {
        ecosystem: 'generic',
        name: 'openssl',
        intervals: [
          { introduced: '3.0.0', fixed: '3.0.8' },
          { introduced: '1.1.1', fixed: '1.1.1t' },
          { introduced: '1.0.2', fixed: '1.0.2zg' },
        ],
        versions: [],
      },
    ]);
    expect(a!.severity.level).toBe('high');
    expect(a!.summary).toBe('X.400 address type confusion in X.509 GeneralName');
  });

  it('CVE JSON 5 legacy record (Heartbleed): no machine-readable product, CVSS from the CISA ADP container', () => {
    const [a] = parseAdvisoryDocument(read('cve5/CVE-2014-0160.json'), 'x');
    expect(a!.affected).toEqual([]);
    expect(a!.severity).toMatchObject({ level: 'high', score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' });
  });

  it('OSV (Debian): release-specific, source package, upstream CVE as alias', () => {
    const [a] = parseAdvisoryDocument(read('osv/DSA-2896-1.json'), 'x');
    expect(a!.aliases).toEqual(['CVE-2014-0160']);
    expect(a!.affected[0]).toMatchObject({ ecosystem: 'deb', name: 'openssl', release: 'debian-7', intervals: [{ fixed: '1.0.1e-2+deb7u5' }] });
  });

  it('the Node.js core list shipped in is-my-node-vulnerable (file only, no network)', async () => {
    const core = await loadBundledNodeCoreAdvisories();
    expect(core).not.toBeNull();
    expect(core!.file).toMatch(/is-my-node-vulnerable[/\\]core\.json$/);
    expect(core!.advisories.length).toBeGreaterThan(100);
    const index = new AdvisoryIndex(core!.advisories);
    // Node 20.0.0 had many advisories published since; 20.15.1 fixed CVE-2024-37372
    const old = index.match({ ecosystem: 'generic', name: 'node', version: '20.0.0' });
    expect(old.length).toBeGreaterThan(5);
    expect(old.some((f) => f.advisory.aliases.includes('CVE-2024-37372'))).toBe(true);
    const fixed = index.match({ ecosystem: 'generic', name: 'node', version: '20.15.1' });
    expect(fixed.some((f) => f.advisory.aliases.includes('CVE-2024-37372'))).toBe(false);
    expect(old.find((f) => f.advisory.aliases.includes('CVE-2024-37372'))!.fixed).toContain('20.15.1');
  });

  it('malformed input names the file and the record', () => {
    expect(() => parseAdvisoryDocument(read('malformed/bad-osv.json'), 'malformed/bad-osv.json')).toThrowError(/malformed\/bad-osv\.json \(record MAMORI-TEST-BAD\): affected\[0\]\.package needs "ecosystem"/);
    expect(() => parseAdvisoryDocument({ hello: 1 }, 'f.json')).toThrowError(AdvisoryInputError);
  });
});

describe('matching', () => {
  it('OpenSSL 1.0.1e "believed to be the latest" is flagged by Heartbleed; 1.0.1g and 1.0.2 are not', () => {
    const index = indexOf('derived/CVE-2014-0160.openssl-structured.json', 'cve5/CVE-2023-0286.json');
    const hits = index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.1e' });
    expect(hits.map((h) => h.advisory.id)).toEqual(['CVE-2014-0160']);
    expect(hits[0]).toMatchObject({ severity: 'high', score: 7.5, fixed: ['1.0.1g'] });
    expect(hits[0]!.hint).toMatch(/1\.0\.1g/);
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.1g' })).toEqual([]);
    // 1.0.2 is past Heartbleed but inside CVE-2023-0286's 1.0.2 ≤ v < 1.0.2zg
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.2' }).map((h) => h.advisory.id)).toEqual(['CVE-2023-0286']);
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.2zf' }).map((h) => h.advisory.id)).toEqual(['CVE-2023-0286']);
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.2zg' })).toEqual([]);
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.1.1s' })[0]!.fixed[0]).toBe('1.1.1t');
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '3.0.7' }).map((h) => h.advisory.id)).toEqual(['CVE-2023-0286']);
    expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '3.0.8' })).toEqual([]);
  });

  it('npm ranges, with the upgrade hint depending on direct or transitive', () => {
    const index = indexOf('osv/GHSA-xvch-5gv4-984h.json', 'osv/GHSA-c2qf-rxjj-qqgw.json');
    const m = index.match({ ecosystem: 'npm', name: 'minimist', version: '1.2.5', direct: true });
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ advisory: { id: 'GHSA-xvch-5gv4-984h', aliases: ['CVE-2021-44906'] }, severity: 'critical', score: 9.8, fixed: ['1.2.6'] }); // only the range that applies
    expect(m[0]!.hint).toMatch(/npm install minimist@\^1\.2\.6/);
    expect(index.match({ ecosystem: 'npm', name: 'minimist', version: '0.2.3' })[0]!.hint).toMatch(/transitive.*overrides/);
    expect(index.match({ ecosystem: 'npm', name: 'minimist', version: '1.2.6' })).toEqual([]);
    expect(index.match({ ecosystem: 'npm', name: 'semver', version: '6.3.0' })).toHaveLength(1);
    expect(index.match({ ecosystem: 'npm', name: 'semver', version: '6.3.1' })).toHaveLength(0);
    expect(index.match({ ecosystem: 'npm', name: 'semver', version: '5.7.1' })).toHaveLength(1);
    expect(index.match({ ecosystem: 'npm', name: 'semver', version: '7.8.6' })).toHaveLength(0);
    expect(index.match({ ecosystem: 'npm', name: 'Semver', version: '6.3.0' })).toHaveLength(0); // npm names are case-sensitive
  });

  it('Debian packages: judged by the distribution advisory for their release, through the source package', () => {
    const index = indexOf('osv/DSA-2896-1.json');
    // libssl1.0.0 is built from the openssl source package
    const hit = index.match({ ecosystem: 'deb', name: 'libssl1.0.0', sourceName: 'openssl', version: '1.0.1e-2+deb7u4', release: 'debian-7' });
    expect(hit.map((h) => [h.advisory.id, h.advisory.aliases])).toEqual([['DSA-2896-1', ['CVE-2014-0160']]]);
    expect(hit[0]!.hint).toMatch(/apt-get install --only-upgrade libssl1\.0\.0/);
    // the fixed Debian revision keeps the upstream version 1.0.1e: fixed by backport, not flagged
    expect(index.match({ ecosystem: 'deb', name: 'openssl', version: '1.0.1e-2+deb7u5', release: 'debian-7' })).toEqual([]);
    // Debian 12 is not judged by a Debian 7 advisory
    expect(index.match({ ecosystem: 'deb', name: 'openssl', version: '1.0.1e-2', release: 'debian-12' })).toEqual([]);
  });

  it('one finding per vulnerability when a GHSA and its CVE both match (aliases merged)', () => {
    const ghsa = parseAdvisoryDocument(read('osv/GHSA-xvch-5gv4-984h.json'), 'x')[0]!;
    const cve = { ...ghsa, id: 'CVE-2021-44906', aliases: ['GHSA-xvch-5gv4-984h'], format: 'cve5' as const };
    const index = new AdvisoryIndex([ghsa, cve]);
    const m = index.match({ ecosystem: 'npm', name: 'minimist', version: '1.2.0' });
    expect(m).toHaveLength(1);
    expect(m[0]!.advisory.aliases).toContain('CVE-2021-44906');
  });

  it('the same id from two sources: the newer record wins, affected packages only the other knows are kept', async () => {
    const legacy = parseAdvisoryDocument(read('cve5/CVE-2014-0160.json'), 'x')[0]!;
    const structured = parseAdvisoryDocument(read('derived/CVE-2014-0160.openssl-structured.json'), 'y')[0]!;
    for (const order of [[structured, legacy], [legacy, structured]]) {
      const index = new AdvisoryIndex(order);
      expect(index.size).toBe(1);
      expect(index.match({ ecosystem: 'generic', name: 'openssl', version: '1.0.1f' }).map((h) => h.advisory.id)).toEqual(['CVE-2014-0160']);
    }
  });

  it('withdrawn advisories do not match; re-adding by id replaces', () => {
    const a = parseAdvisoryDocument(read('osv/GHSA-xvch-5gv4-984h.json'), 'x')[0]!;
    const index = new AdvisoryIndex([a]);
    index.add({ ...a, withdrawn: '2024-01-01T00:00:00Z' });
    expect(index.size).toBe(1);
    expect(index.match({ ecosystem: 'npm', name: 'minimist', version: '1.2.0' })).toEqual([]);
  });

  it('is indexed by package: matching touches only the advisories filed under the component', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({
      id: `SYN-${i}`,
      aliases: [],
      summary: '',
      format: 'osv' as const,
      severity: { level: 'low' as const },
      affected: [{ ecosystem: 'npm', name: `pkg-${i % 5000}`, intervals: [{ fixed: '2.0.0' }], versions: [] }],
      references: [],
    }));
    const index = new AdvisoryIndex(many);
    const t = performance.now();
    let n = 0;
    for (let i = 0; i < 2000; i++) n += index.match({ ecosystem: 'npm', name: `other-${i}`, version: '1.0.0' }).length;
    expect(n).toBe(0);
    expect(index.match({ ecosystem: 'npm', name: 'pkg-7', version: '1.0.0' })).toHaveLength(4);
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe('the store: files, directories and zip dumps', () => {
  it('imports a directory and an osv.dev-style zip, merges by id, records the import time', async () => {
    const dir = path.join(tmp, 'store1');
    const zip = path.join(tmp, 'npm-all.zip');
    writeFileSync(
      zip,
      makeZip([
        { name: 'GHSA-xvch-5gv4-984h.json', content: readFileSync(path.join(FIX, 'osv/GHSA-xvch-5gv4-984h.json')) },
        { name: 'GHSA-c2qf-rxjj-qqgw.json', content: readFileSync(path.join(FIX, 'osv/GHSA-c2qf-rxjj-qqgw.json')) },
      ]),
    );
    const progress: number[] = [];
    const now = new Date('2026-01-02T03:04:05Z');
    const r = await importAdvisories([zip, path.join(FIX, 'cve5')], { dir, now, progress: (p) => progress.push(p.done) });
    expect(r.imported).toBe(4);
    expect(r.total).toBe(4);
    expect(progress.length).toBeGreaterThan(0);
    const again = await importAdvisories([path.join(FIX, 'osv')], { dir, now: new Date('2026-01-03T00:00:00Z') });
    expect(again.total).toBe(5); // the two GHSA records are the same ids
    const { advisories, manifest } = await loadStore(dir);
    expect(advisories.map((a) => a.id).sort()).toEqual(['CVE-2014-0160', 'CVE-2023-0286', 'DSA-2896-1', 'GHSA-c2qf-rxjj-qqgw', 'GHSA-xvch-5gv4-984h']);
    expect(manifest!.updatedAt).toBe('2026-01-03T00:00:00.000Z');
    expect(manifest!.sources.map((s) => s.kind).sort()).toEqual(['dir', 'dir', 'zip']);
  });

  it('a malformed record inside a zip names the zip entry and the record; nothing is written', async () => {
    const dir = path.join(tmp, 'store2');
    const zip = path.join(tmp, 'bad.zip');
    writeFileSync(zip, makeZip([{ name: 'ok.json', content: readFileSync(path.join(FIX, 'osv/DSA-2896-1.json')) }, { name: 'bad.json', content: readFileSync(path.join(FIX, 'malformed/bad-osv.json')) }]));
    await expect(importAdvisories([zip], { dir })).rejects.toThrowError(/bad\.zip!bad\.json \(record MAMORI-TEST-BAD\)/);
    await expect(importAdvisories([path.join(FIX, 'malformed/not-json.json')], { dir })).rejects.toThrowError(/not-json\.json: not valid JSON/);
    expect((await loadStore(dir)).manifest).toBeNull();
  });

  it('explicit inputs date the data by their modification time', async () => {
    const f = path.join(tmp, 'dated.json');
    writeFileSync(f, readFileSync(path.join(FIX, 'osv/DSA-2896-1.json')));
    const old = new Date('2025-01-01T00:00:00Z');
    utimesSync(f, old, old);
    const data = await loadAdvisoryData({ inputs: [f] });
    expect(data.asOf!.toISOString()).toBe(old.toISOString());
    expect(data.advisories).toHaveLength(1);
  });

  it('matchComponent (for the scanner) reads the store and the Node.js core list', async () => {
    const dir = path.join(tmp, 'store3');
    await importAdvisories([path.join(FIX, 'derived'), path.join(FIX, 'cve5')], { dir });
    const hits = await matchComponent({ ecosystem: 'generic', name: 'OpenSSL', version: '1.0.1e' }, { dir });
    expect(hits.map((h) => h.advisory.id)).toEqual(['CVE-2014-0160']);
    expect((await matchComponent({ ecosystem: 'generic', name: 'node', version: '18.0.0' }, { dir })).length).toBeGreaterThan(5);
    expect(await getAdvisoryIndex({ dir })).toBe(await getAdvisoryIndex({ dir })); // cached
  });
});
