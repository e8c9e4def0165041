import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../advisories/store.ts';
import type { Component, Inventory } from '../inventory/types.ts';
import { purlBase, runCheck } from './check.ts';
import { toSarif } from './sarif.ts';
import { loadPolicyFile, parsePolicy, policyJsonSchema, PolicyError, type PolicyInput } from './schema.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIX = path.resolve(HERE, '..', 'advisories', 'fixtures');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mamori-check-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NOW = new Date('2026-11-25T12:00:00Z');

function comp(c: Partial<Component> & Pick<Component, 'kind' | 'ecosystem' | 'name' | 'version' | 'purl'>): Component {
  return { source: 'test', ...c };
}

/** The vendor's server from the breach story: OpenSSL 1.0.1e "believed to be the latest". */
function vendorInventory(extra: Component[] = []): Inventory {
  return {
    generatedAt: NOW.toISOString(),
    host: { hostname: 'vendor', os: 'test' },
    node: { version: '24.21.0', line: 'v24', phase: 'maintenance-lts', endOfLife: '2028-04-30', eol: false, scheduleSource: 'test', openssl: '3.5.8', platform: 'linux', arch: 'x64', execPath: 'node' },
    components: [
      comp({ kind: 'runtime', ecosystem: 'generic', name: 'node', version: '24.21.0', purl: 'pkg:generic/node@24.21.0' }),
      comp({ kind: 'runtime-library', ecosystem: 'generic', name: 'openssl', version: '3.5.8', purl: 'pkg:generic/openssl@3.5.8' }),
      comp({ kind: 'system', ecosystem: 'generic', name: 'openssl', version: '1.0.1e', purl: 'pkg:generic/openssl@1.0.1e' }),
      comp({ kind: 'npm', ecosystem: 'npm', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5', direct: false, dev: false }),
      comp({ kind: 'npm', ecosystem: 'npm', name: 'semver', version: '6.3.0', purl: 'pkg:npm/semver@6.3.0', direct: false, dev: true }),
      ...extra,
    ],
    notes: [],
  };
}

const storeDir = path.join(tmp, 'store');
async function freshStore(now = NOW) {
  await importAdvisories([path.join(FIX, 'osv'), path.join(FIX, 'cve5'), path.join(FIX, 'derived')], { dir: storeDir, now });
}

const policy = (p: PolicyInput = {}) => parsePolicy(p);

describe('policy file', () => {
  it('the committed default parses and is documented by a JSON Schema', () => {
    const p = loadPolicyFile(path.resolve(HERE, '..', '..', 'mamori.policy.json'));
    expect(p.maxSeverity).toBe('low');
    expect(p.advisories.maxAgeHours).toBe(48);
    expect(p.advisories.sources.length).toBeGreaterThan(0);
  });
  it('the committed JSON Schema matches the definition in schema.ts', () => {
    const committed = JSON.parse(readFileSync(path.join(HERE, 'policy.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policyJsonSchema())));
  });
  it('rejects a bad policy with a message that says what is wrong', () => {
    expect(() => parsePolicy({ maxSeverity: 'severe' }, 'p.json')).toThrowError(/p\.json: invalid policy: maxSeverity/);
    expect(() => parsePolicy({ exceptions: [{ advisory: 'CVE-1', reason: 'because', expires: 'soon' }] })).toThrowError(PolicyError);
    expect(() => parsePolicy({ minimumVersions: [{ component: 'openssl@3', minimum: '3.0.0' }] })).toThrowError(/package URL without version/);
    expect(() => parsePolicy({ unknownField: true })).toThrowError(/unknownField|Unrecognized/);
  });
  it('purlBase strips version and qualifiers and decodes', () => {
    expect(purlBase('pkg:npm/%40fastify/cookie@11.0.1')).toBe('pkg:npm/@fastify/cookie');
    expect(purlBase('pkg:deb/debian/libssl3@3.0.17-1~deb12u2?arch=amd64&distro=debian-12')).toBe('pkg:deb/debian/libssl3');
    expect(purlBase('pkg:generic/openssl')).toBe('pkg:generic/openssl');
  });
});

describe('the deploy gate', () => {
  it('fails on the vendor server: Heartbleed on OpenSSL 1.0.1e, critical minimist; dev-only semver tolerated', async () => {
    await freshStore();
    const r = await runCheck({ inventory: vendorInventory(), advisoryDir: storeDir, policy: policy(), now: NOW });
    expect(r.status).toBe('fail');
    expect(r.exitCode).toBe(1);
    const ids = r.findings.map((f) => `${f.advisory.id}:${f.component.name}@${f.component.version}:${f.status}`).sort();
    expect(ids).toEqual(['CVE-2014-0160:openssl@1.0.1e:violation', 'GHSA-c2qf-rxjj-qqgw:semver@6.3.0:tolerated', 'GHSA-xvch-5gv4-984h:minimist@1.2.5:violation']);
    const heartbleed = r.findings.find((f) => f.advisory.id === 'CVE-2014-0160')!;
    // the JSON contract: component {name, version, purl}, advisory {id, aliases}, severity, fixed
    expect(heartbleed).toMatchObject({ component: { name: 'openssl', version: '1.0.1e', purl: 'pkg:generic/openssl@1.0.1e' }, advisory: { id: 'CVE-2014-0160', aliases: [] }, severity: 'high', score: 7.5, fixed: ['1.0.1g'] });
    expect(r.findings.find((f) => f.advisory.id === 'GHSA-xvch-5gv4-984h')!.advisory.aliases).toEqual(['CVE-2021-44906']);
    expect(r.violations.filter((v) => v.kind === 'finding')).toHaveLength(2);
    expect(r.summary).toMatchObject({ findings: 3, tolerated: 1, highestSeverity: 'critical' });
  });

  it('passes once the vendor upgrades, and tolerates what the policy tolerates', async () => {
    await freshStore();
    const inv = vendorInventory();
    inv.components = inv.components.map((c) => (c.name === 'openssl' && c.kind === 'system' ? { ...c, version: '1.0.1g', purl: 'pkg:generic/openssl@1.0.1g' } : c.name === 'minimist' ? { ...c, version: '1.2.6', purl: 'pkg:npm/minimist@1.2.6' } : c));
    const r = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy(), now: NOW });
    expect(r.violations).toEqual([]);
    expect(r.status).toBe('pass');
    expect(r.exitCode).toBe(0);
    // with dev dependencies counted, semver 6.3.0 (medium) is above maxSeverity low
    const strict = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy({ includeDevDependencies: true }), now: NOW });
    expect(strict.status).toBe('fail');
    const lenient = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy({ includeDevDependencies: true, maxSeverity: 'medium' }), now: NOW });
    expect(lenient.status).toBe('pass');
  });

  it('exceptions need a reason and stop applying after their expiry date', async () => {
    await freshStore();
    const exceptions = [
      { advisory: 'CVE-2021-44906', component: 'pkg:npm/minimist', reason: 'only parses our own fixed argv, never user input', expires: '2026-12-31' },
      { advisory: 'CVE-2014-0160', reason: 'vendor promised an upgrade last month', expires: '2026-10-31' },
    ];
    const r = await runCheck({ inventory: vendorInventory(), advisoryDir: storeDir, policy: policy({ exceptions }), now: NOW });
    expect(r.findings.find((f) => f.advisory.id === 'GHSA-xvch-5gv4-984h')).toMatchObject({ status: 'excepted' }); // matched through the CVE alias
    expect(r.findings.find((f) => f.advisory.id === 'CVE-2014-0160')).toMatchObject({ status: 'violation' }); // expired
    expect(r.warnings.join('\n')).toMatch(/exception for CVE-2014-0160 expired on 2026-10-31/);
    expect(r.status).toBe('fail');
  });

  it('refuses to pass on stale or missing advisory data', async () => {
    await freshStore(new Date('2026-11-20T00:00:00Z'));
    const inv = vendorInventory().components.filter((c) => c.kind !== 'system' && c.name !== 'minimist');
    const stale = await runCheck({ inventory: { ...vendorInventory(), components: inv }, advisoryDir: storeDir, policy: policy(), now: NOW });
    expect(stale.findings.filter((f) => f.status === 'violation')).toEqual([]);
    expect(stale.status).toBe('fail');
    expect(stale.violations[0]).toMatchObject({ kind: 'stale-advisories' });
    expect(stale.violations[0]!.message).toMatch(/132\.0 hours old.*allows 48 hours/);
    const longer = await runCheck({ inventory: { ...vendorInventory(), components: inv }, advisoryDir: storeDir, policy: policy({ advisories: { maxAgeHours: 24 * 7 } }), now: NOW });
    expect(longer.status).toBe('pass');
    const none = await runCheck({ inventory: { ...vendorInventory(), components: inv }, advisoryDir: path.join(tmp, 'nothing-here'), policy: policy(), now: NOW });
    expect(none.violations.map((v) => v.kind)).toEqual(['no-advisories']);
  });

  it('compares declared versions with the loaded ones', async () => {
    await freshStore();
    const inv = { ...vendorInventory(), components: vendorInventory().components.filter((c) => c.kind !== 'system' && c.name !== 'minimist') };
    const declared = [
      { component: 'pkg:generic/node', version: '24.21.0' },
      { component: 'pkg:generic/openssl', kind: 'runtime-library' as const, version: '3.0.13' },
      { component: 'pkg:npm/fastify', version: '5.12.8' },
    ];
    const r = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy({ declared }), now: NOW });
    expect(r.violations.map((v) => v.kind).sort()).toEqual(['declared-mismatch', 'declared-missing']);
    expect(r.violations.find((v) => v.kind === 'declared-mismatch')!.message).toMatch(/declared openssl 3\.0\.13 but 3\.5\.8 is loaded/);
  });

  it('enforces minimum versions in the component’s own version order', async () => {
    await freshStore();
    const minimumVersions = [{ component: 'pkg:generic/openssl', minimum: '1.0.1g', reason: 'Heartbleed' }];
    const r = await runCheck({ inventory: vendorInventory(), advisoryDir: storeDir, policy: policy({ minimumVersions }), now: NOW });
    const v = r.violations.filter((x) => x.kind === 'minimum-version');
    expect(v).toHaveLength(1); // 1.0.1e < 1.0.1g; 3.5.8 is fine
    expect(v[0]!.message).toMatch(/openssl 1\.0\.1e .* below the minimum 1\.0\.1g: Heartbleed/);
  });

  it('forbids an end-of-life Node.js unless the policy allows it until a date', async () => {
    await freshStore();
    const inv = vendorInventory().components.filter((c) => c.kind !== 'system' && c.name !== 'minimist');
    const eolNode = { ...vendorInventory().node!, version: '20.20.2', line: 'v20', phase: 'end-of-life' as const, endOfLife: '2026-04-30', eol: true };
    const r = await runCheck({ inventory: { ...vendorInventory(), components: inv, node: eolNode }, advisoryDir: storeDir, policy: policy(), now: NOW });
    expect(r.violations.map((v) => v.kind)).toEqual(['end-of-life']);
    const allowed = await runCheck({ inventory: { ...vendorInventory(), components: inv, node: eolNode }, advisoryDir: storeDir, policy: policy({ runtime: { endOfLife: 'forbid', allowEndOfLifeUntil: '2026-12-31' } }), now: NOW });
    expect(allowed.status).toBe('pass');
    expect(allowed.warnings.join()).toMatch(/allowed by policy until 2026-12-31/);
  });

  it('judges a distribution-managed OpenSSL by the distribution, not by the upstream version', async () => {
    await freshStore();
    const inv = vendorInventory();
    inv.components = inv.components.map((c) => (c.kind === 'system' ? { ...c, managedBy: 'deb:openssl@1.0.1e-2+deb7u5' } : c));
    const r = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy(), now: NOW, osRoot: path.join(tmp, 'no-such-root') });
    const hb = r.findings.find((f) => f.advisory.id === 'CVE-2014-0160')!;
    expect(hb.status).toBe('suppressed');
    expect(hb.note).toMatch(/patched by the distribution/);
  });

  it('uses a Debian changelog that names the CVE to recognise a backported fix', async () => {
    await freshStore();
    const root = path.join(tmp, 'osroot');
    const { mkdirSync } = await import('node:fs');
    const { gzipSync } = await import('node:zlib');
    mkdirSync(path.join(root, 'usr/share/doc/libssl1.0.0'), { recursive: true });
    writeFileSync(path.join(root, 'usr/share/doc/libssl1.0.0/changelog.Debian.gz'), gzipSync('openssl (1.0.1e-2+deb7u4local1) wheezy-security; urgency=high\n\n  * Fix CVE-2014-0160 (heartbeat read overrun)\n'));
    const inv = vendorInventory([comp({ kind: 'os', ecosystem: 'deb', name: 'libssl1.0.0', sourceName: 'openssl', version: '1.0.1e-2+deb7u4', release: 'debian-7', purl: 'pkg:deb/debian/libssl1.0.0@1.0.1e-2%2Bdeb7u4' })]);
    const r = await runCheck({ inventory: inv, advisoryDir: storeDir, policy: policy(), now: NOW, osRoot: root });
    expect(r.findings.find((f) => f.advisory.id === 'DSA-2896-1')).toMatchObject({ status: 'suppressed', note: expect.stringMatching(/CVE-2014-0160 is named in .*changelog\.Debian\.gz/) });
  });

  it('SARIF 2.1.0: one rule per advisory, error for violations, suppressions for the rest', async () => {
    await freshStore();
    const r = await runCheck({ inventory: vendorInventory(), advisoryDir: storeDir, policy: policy({ minimumVersions: [{ component: 'pkg:generic/openssl', minimum: '1.0.1g' }] }), now: NOW });
    const sarif = toSarif(r) as any;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('mamori');
    const ruleIds = run.tool.driver.rules.map((x: any) => x.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['CVE-2014-0160', 'GHSA-xvch-5gv4-984h', 'GHSA-c2qf-rxjj-qqgw', 'mamori/minimum-version']));
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    const hb = run.results.find((x: any) => x.ruleId === 'CVE-2014-0160');
    expect(hb.level).toBe('error');
    expect(hb.locations[0].physicalLocation.artifactLocation.uri).toBe('mamori.policy.json');
    expect(run.results.find((x: any) => x.ruleId === 'GHSA-xvch-5gv4-984h').locations[0].physicalLocation.artifactLocation.uri).toBe('package-lock.json');
    expect(run.tool.driver.rules.find((x: any) => x.id === 'GHSA-xvch-5gv4-984h').properties['security-severity']).toBe('9.8');
    for (const res of run.results) expect(res.message.text.length).toBeGreaterThan(0);
  });
});
