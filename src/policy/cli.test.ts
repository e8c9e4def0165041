// End to end: the `mamori` command spawned as a pipeline would run it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCycloneDX } from '../inventory/cyclonedx.ts';
import { makeZip } from '../../test/support/zip-writer.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIX = path.join(ROOT, 'src/advisories/fixtures');
const VENDOR = path.join(ROOT, 'src/policy/fixtures/vendor-sbom.cdx.json');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mamori-cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Every test spawns the CLI through tsx, some several times: a cold start takes seconds on a busy
// machine, so these get a generous timeout rather than the 30 s default.
const SPAWNING_TESTS = { timeout: 120_000 };

function mamori(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base = process.env;
    const child = spawn(TSX, ['src/cli/mamori.ts', ...args], {
      cwd: ROOT,
      env: { ...base, NO_COLOR: '1', MAMORI_ADVISORY_DIR: path.join(tmp, 'default-store'), PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mamori inventory', SPAWNING_TESTS, () => {
  it('prints a CycloneDX 1.6 SBOM of this machine that validates against the schema', async () => {
    const r = await mamori(['inventory', '--format', 'cyclonedx']);
    expect(r.code, r.stderr).toBe(0);
    expect(await validateCycloneDX(r.stdout, { strict: true })).toBeNull();
    const doc = JSON.parse(r.stdout);
    expect(doc.components.some((c: { purl?: string }) => c.purl?.startsWith('pkg:generic/node@'))).toBe(true);
  });

  it('prints JSON and a table; usage errors exit 2', async () => {
    const json = await mamori(['inventory', '--format', 'json']);
    expect(json.code).toBe(0);
    const inv = JSON.parse(json.stdout);
    expect(inv.node.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(inv.node).toHaveProperty('eol');
    const bad = await mamori(['inventory', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be table, json or cyclonedx/);
    const unknown = await mamori(['inventory', '--nope']);
    expect(unknown.code).toBe(2);
  });
});

describe('mamori advisories', SPAWNING_TESTS, () => {
  it('a malformed advisory file: exit 2, naming the file and the record', async () => {
    const r = await mamori(['advisories', 'import', 'src/advisories/fixtures/malformed/bad-osv.json'], { MAMORI_ADVISORY_DIR: path.join(tmp, 'bad-store') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/src\/advisories\/fixtures\/malformed\/bad-osv\.json \(record MAMORI-TEST-BAD\)/);
    expect(existsSync(path.join(tmp, 'bad-store', 'manifest.json'))).toBe(false);
    const missing = await mamori(['advisories', 'import', 'no/such/file.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no\/such\/file\.json: no such file or directory/);
  });

  it('update fails clearly when offline (exit 2) and leaves the data as it was', async () => {
    const r = await mamori(['advisories', 'update'], { MAMORI_OFFLINE: '1', MAMORI_ADVISORY_DIR: path.join(tmp, 'offline-store') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/offline: none of the advisory sources can be reached.*NOT updated/);
    expect(existsSync(path.join(tmp, 'offline-store', 'manifest.json'))).toBe(false);
  });

  it('update downloads the configured sources when they can be reached (a local server here)', async () => {
    const zip = makeZip([{ name: 'GHSA-xvch-5gv4-984h.json', content: readFileSync(path.join(FIX, 'osv/GHSA-xvch-5gv4-984h.json')) }]);
    const core = readFileSync(path.join(ROOT, 'node_modules/is-my-node-vulnerable/core.json'));
    const schedule = readFileSync(path.join(ROOT, 'src/inventory/data/node-release-schedule.json'));
    const server = http.createServer((req, res) => {
      if (req.url === '/npm/all.zip') res.end(zip);
      else if (req.url === '/core.json') res.end(core);
      else if (req.url === '/schedule.json') res.end(schedule);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const policyFile = path.join(tmp, 'update-policy.json');
      writeFileSync(
        policyFile,
        JSON.stringify({
          advisories: {
            sources: [
              { name: 'osv-npm', url: `${base}/npm/all.zip`, format: 'osv-zip' },
              { name: 'nodejs-core', url: `${base}/core.json`, format: 'node-core' },
              { name: 'nodejs-schedule', url: `${base}/schedule.json`, format: 'node-schedule' },
            ],
          },
        }),
      );
      const dir = path.join(tmp, 'updated-store');
      const r = await mamori(['advisories', 'update', '--policy', policyFile], { MAMORI_ADVISORY_DIR: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/osv-npm: 1 records/);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      expect(manifest.sources.map((s: { input: string }) => s.input)).toEqual([`${base}/npm/all.zip`, `${base}/core.json`]);
      expect(existsSync(path.join(dir, 'node-release-schedule.json'))).toBe(true);
      const status = await mamori(['advisories', 'status', '--json'], { MAMORI_ADVISORY_DIR: dir });
      expect(JSON.parse(status.stdout).manifest.count).toBeGreaterThan(100);

      // a source that answers 404: exit 2, the failing source named
      writeFileSync(policyFile, JSON.stringify({ advisories: { sources: [{ name: 'gone', url: `${base}/gone.zip`, format: 'osv-zip' }] } }));
      const gone = await mamori(['advisories', 'update', '--policy', policyFile], { MAMORI_ADVISORY_DIR: dir });
      expect(gone.code).toBe(2);
      expect(gone.stdout).toMatch(/gone: .*HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('match: the scanner-style look-up of one version', async () => {
    const dir = path.join(tmp, 'match-store');
    expect((await mamori(['advisories', 'import', 'src/advisories/fixtures/derived', 'src/advisories/fixtures/cve5'], { MAMORI_ADVISORY_DIR: dir })).code).toBe(0);
    const r = await mamori(['advisories', 'match', 'generic', 'openssl', '1.0.1e', '--json'], { MAMORI_ADVISORY_DIR: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { advisory: { id: string } }) => f.advisory.id)).toEqual(['CVE-2014-0160']);
  });
});

describe('mamori check', SPAWNING_TESTS, () => {
  it('judges a vendor SBOM: exit 1 with findings in the JSON contract shape', async () => {
    const dir = path.join(tmp, 'check-store');
    const imp = await mamori(['advisories', 'import', 'src/advisories/fixtures/osv', 'src/advisories/fixtures/cve5', 'src/advisories/fixtures/derived'], { MAMORI_ADVISORY_DIR: dir });
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/imported 6 records from 3 input\(s\)/);
    const r = await mamori(['check', '--sbom', VENDOR, '--format', 'json'], { MAMORI_ADVISORY_DIR: dir });
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('fail');
    expect(out.target.source).toBe(`sbom:${VENDOR}`);
    const hb = out.findings.find((f: any) => f.advisory.id === 'CVE-2014-0160');
    expect(hb).toMatchObject({ component: { name: 'openssl', version: '1.0.1e', purl: 'pkg:generic/openssl@1.0.1e' }, advisory: { id: 'CVE-2014-0160', aliases: [] }, severity: 'high', fixed: ['1.0.1g'] });
    const mm = out.findings.find((f: any) => f.advisory.id === 'GHSA-xvch-5gv4-984h');
    expect(mm).toMatchObject({ component: { name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' }, advisory: { aliases: ['CVE-2021-44906'] }, severity: 'critical', fixed: ['1.2.6'] });
    for (const f of out.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['component', 'advisory', 'severity', 'fixed']));
      expect(Object.keys(f.component)).toEqual(expect.arrayContaining(['name', 'version', 'purl']));
      expect(Object.keys(f.advisory)).toEqual(expect.arrayContaining(['id', 'aliases']));
    }
    // the minimum versions of the default policy apply to the SBOM too: OpenSSL 1.0.1e is below 3.0.0
    expect(out.violations.some((v: any) => v.kind === 'minimum-version' && /openssl 1\.0\.1e/.test(v.message))).toBe(true);

    const table = await mamori(['check', '--sbom', VENDOR], { MAMORI_ADVISORY_DIR: dir });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/FAIL/);
    expect(table.stdout).toMatch(/CVE-2014-0160/);
    expect(table.stdout).not.toMatch(/\u001b\[/); // NO_COLOR / not a TTY: no colours
  });

  it('SARIF with explicit --advisories files (no store)', async () => {
    const r = await mamori(['check', '--sbom', VENDOR, '--advisories', 'src/advisories/fixtures/derived', '--advisories', 'src/advisories/fixtures/osv', '--format', 'sarif'], { MAMORI_ADVISORY_DIR: path.join(tmp, 'empty') });
    expect(r.code, r.stderr).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.filter((x: any) => x.level === 'error').map((x: any) => x.ruleId)).toEqual(expect.arrayContaining(['CVE-2014-0160', 'GHSA-xvch-5gv4-984h']));
  });

  it('refuses an all-clear without advisory data, and input errors exit 2', async () => {
    const clean = path.join(tmp, 'clean-sbom.json');
    writeFileSync(clean, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'semver', version: '7.8.6', purl: 'pkg:npm/semver@7.8.6' }] }));
    const none = await mamori(['check', '--sbom', clean, '--format', 'json'], { MAMORI_ADVISORY_DIR: path.join(tmp, 'still-empty') });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).violations.map((v: any) => v.kind)).toEqual(['no-advisories']);
    // explicit advisory files are dated by their mtime: copy them so an old checkout is not "stale"
    const fresh = path.join(tmp, 'fresh-osv.json');
    writeFileSync(fresh, readFileSync(path.join(FIX, 'osv/GHSA-c2qf-rxjj-qqgw.json')));
    const ok = await mamori(['check', '--sbom', clean, '--advisories', fresh]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/PASS/);

    const badPolicy = path.join(tmp, 'bad-policy.json');
    writeFileSync(badPolicy, JSON.stringify({ maxSeverity: 'apocalyptic' }));
    const bp = await mamori(['check', '--sbom', clean, '--policy', badPolicy]);
    expect(bp.code).toBe(2);
    expect(bp.stderr).toMatch(/bad-policy\.json: invalid policy: maxSeverity/);
    const badAdv = await mamori(['check', '--sbom', clean, '--advisories', 'src/advisories/fixtures/malformed/bad-osv.json']);
    expect(badAdv.code).toBe(2);
    expect(badAdv.stderr).toMatch(/bad-osv\.json \(record MAMORI-TEST-BAD\)/);
    const badSbom = await mamori(['check', '--sbom', path.join(tmp, 'missing.json')]);
    expect(badSbom.code).toBe(2);
    expect(badSbom.stderr).toMatch(/missing\.json: cannot read the SBOM file/);
    const badFormat = await mamori(['check', '--format', 'pdf']);
    expect(badFormat.code).toBe(2);
  });
});
