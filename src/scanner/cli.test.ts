// The command-line contract of issue 6: arguments, exit codes 0/1/2, and the json/sarif/html outputs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScanArgs, run } from './cli.ts';
import { CertificateFactory, startFakeHeartbeatServer, startHttpServer, startHttpsServer, type CertificateFiles, type RunningServer } from '../../test/support/local-test-servers.ts';
import { ScanJsonContract } from './scan-json-contract.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = mkdtempSync(path.join(tmpdir(), 'mamori-scan-cli-'));
const certs = new CertificateFactory();
let ca: CertificateFiles;
let leaf: CertificateFiles;
let careless: RunningServer;

function hostileBanner(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('server', 'Evil/1.0 <script>alert(1)</script>');
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html><title>x</title></html>');
}

beforeAll(async () => {
  ca = certs.make({ cn: 'Mamori Test CA', isCa: true });
  leaf = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca });
  careless = await startHttpServer(hostileBanner);
});
afterAll(async () => { await careless.close(); certs.cleanup(); rmSync(out, { recursive: true, force: true }); });

describe('argument parsing', () => {
  it('accepts the documented options', () => {
    expect(parseScanArgs(['https://a.example/', 'https://b.example/', '--format', 'sarif', '--out', 'r.sarif', '--timeout', '3'])).toEqual({
      ok: true, value: { urls: ['https://a.example/', 'https://b.example/'], format: 'sarif', out: 'r.sarif', timeout: 3 },
    });
  });

  it.each([[[]], [['ftp://x/']], [['https://x/', '--format', 'xml']], [['https://x/', '--timeout', '-1']], [['https://x/', '--bogus']]])('rejects %j with exit code 2', async (args) => {
    expect(parseScanArgs(args).ok).toBe(false);
    expect(await run(args)).toBe(2);
  });

  it('prints help with the authorisation warning', () => {
    const r = parseScanArgs(['--help']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/ONLY SCAN SYSTEMS YOU OWN OR ARE EXPLICITLY AUTHORISED TO TEST/);
  });
});

describe('outputs and exit codes', () => {
  it('writes the JSON contract and exits 1 for a failing target', async () => {
    const file = path.join(out, 'r.json');
    expect(await run([`http://127.0.0.1:${careless.port}/`, '--format', 'json', '--out', file, '--timeout', '2'])).toBe(1);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(ScanJsonContract.safeParse(report).error).toBeUndefined();
    const [t] = report.targets;
    expect(t).toMatchObject({ url: `http://127.0.0.1:${careless.port}/`, verdict: 'fail' });
    expect(Object.keys(t.tls.protocols)).toEqual(['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    expect(t.tls).toHaveProperty('ciphers');
    expect(t.tls).toHaveProperty('certificate');
    for (const f of t.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'title', 'severity', 'cvss', 'cve', 'evidence', 'fix']));
  });

  it('reports Heartbleed as a finding whose cve includes CVE-2014-0160, and exits 1', async () => {
    const server = await startFakeHeartbeatServer(leaf, 'vulnerable');
    try {
      const file = path.join(out, 'hb.json');
      expect(await run([`https://127.0.0.1:${server.port}/`, '--format', 'json', '--out', file, '--timeout', '1'])).toBe(1);
      const report = ScanJsonContract.parse(JSON.parse(readFileSync(file, 'utf8')));
      const [t] = report.targets;
      expect(t!.verdict).toBe('fail');
      expect(t!.tls.protocols['TLSv1.2']).toBe(true);
      expect(t!.tls.certificate?.subject).toContain('localhost');
      expect(t!.findings.filter((f) => f.cve.includes('CVE-2014-0160')).map((f) => f.id)).toEqual(['heartbleed']);
    } finally { await server.close(); }
  });

  it('writes SARIF 2.1.0 with one rule per finding id', async () => {
    const file = path.join(out, 'r.sarif');
    await run([`http://127.0.0.1:${careless.port}/`, '--format', 'sarif', '--out', file]);
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const [runEntry] = sarif.runs;
    expect(runEntry.tool.driver.name).toBe('mamori-scan');
    const ruleIds = runEntry.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const result of runEntry.results) {
      expect(ruleIds).toContain(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(`http://127.0.0.1:${careless.port}/`);
    }
  });

  it('writes one self-contained HTML page with everything from the server escaped', async () => {
    const file = path.join(out, 'r.html');
    await run([`http://127.0.0.1:${careless.port}/`, '--format', 'html', '--out', file]);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=/);
    expect(html).toContain('FAIL');
  });

  it('exits 2 when a target cannot be reached', async () => {
    const closed = await startHttpServer(() => {});
    await closed.close();
    expect(await run([`https://127.0.0.1:${closed.port}/`, '--format', 'json', '--out', path.join(out, 'x.json'), '--timeout', '1'])).toBe(2);
    const report = JSON.parse(readFileSync(path.join(out, 'x.json'), 'utf8'));
    expect(report.targets[0].error.code).toBe('CONNECT_FAILED');
  });

  it('exits 0 through `mamori scan` for a clean target (trusting the test CA via NODE_EXTRA_CA_CERTS)', async () => {
    const server = await startHttpsServer({ key: leaf.key, cert: leaf.cert, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' }, (_req, res) => {
      res.writeHead(200, {
        'strict-transport-security': 'max-age=31536000', 'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'content-type': 'text/html',
      });
      res.end('<html><title>shop</title></html>');
    });
    try {
      const child = spawn('tsx', [path.join(root, 'src/cli/mamori.ts'), 'scan', `https://127.0.0.1:${server.port}/`, '--format', 'json'], {
        cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.certPath }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout).targets[0].verdict).toBe('pass');
      expect(stderr).toMatch(/protocols done/); // the progress display
    } finally { await server.close(); }
  });
});
