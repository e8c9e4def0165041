// ROBOT agreement tests: the fake TLS server reproducing a padding oracle's protocol behaviour (it
// answers a non-PKCS #1 block at once, a conformant one only after the Finished) is found; the same
// fake answering uniformly, Debian's OpenSSL 3 (implicit rejection) and an ECDHE-only server are not.
import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateFactory, opensslAvailable, startFakeTlsServer, startOpensslServer, type CertificateFiles, type FakeTlsOptions, type RunningServer } from '../../test/support/local-test-servers.ts';
import { ConnectionBudget, DEFAULT_BOUNDS } from './connection-budget.ts';
import { ROBOT_PROBES, probeRobot, robotPremasterBlock } from './robot-probe.ts';
import { scanTarget } from './scan-target.ts';
import { buildScanReport } from './scan-report.ts';
import { renderHtml } from './report-html.tsx';
import { renderJson } from './report-json.ts';
import { renderSarif } from './report-sarif.ts';
import { renderTable } from './report-table.ts';
import { ScanJsonContract } from './scan-json-contract.ts';

const certs = new CertificateFactory();
let cert: CertificateFiles;
beforeAll(() => { cert = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' }); });
afterAll(() => certs.cleanup());

const budget = () => new ConnectionBudget({ ...DEFAULT_BOUNDS, timeoutMs: 5000 });
const at = (s: RunningServer) => ({ host: '127.0.0.1', port: s.port });
async function withServer<T>(start: Promise<RunningServer>, run: (s: RunningServer) => Promise<T>): Promise<T> {
  const server = await start;
  try { return await run(server); } finally { await server.close(); }
}
const fake = (options: FakeTlsOptions) => startFakeTlsServer(cert, { suites: [0x002f, 0x009c], ...options });

describe('ROBOT premaster blocks (the paper\'s probe set)', () => {
  // What a server's PKCS #1 v1.5 check sees after decrypting each block with its private key.
  it('are the correct block and the four malformations, each a full-size RSA input', () => {
    const k = 256;
    const blocks = Object.fromEntries(ROBOT_PROBES.map((p) => [p, robotPremasterBlock(p, k, 0x0303)]));
    for (const b of Object.values(blocks)) expect(b.length).toBe(k);
    const firstZero = (b: Buffer) => b.indexOf(0, 2);
    expect(blocks.correct!.subarray(0, 2)).toEqual(Buffer.from([0, 2]));
    expect(firstZero(blocks.correct!)).toBe(k - 49);
    expect(blocks.correct!.readUInt16BE(k - 48)).toBe(0x0303);
    expect(blocks['wrong-first-bytes']!.subarray(0, 2)).toEqual(Buffer.from([0x41, 0x17]));
    expect(firstZero(blocks['zero-in-wrong-position']!)).toBe(k - 57); // still ≥ 8 padding bytes: PKCS #1-valid, wrong length
    expect(firstZero(blocks['no-zero-separator']!)).toBe(-1);
    expect(blocks['wrong-premaster-version']!.readUInt16BE(k - 48)).toBe(0x0202);
    expect(firstZero(blocks['wrong-premaster-version']!)).toBe(k - 49);
  });

  it('round-trip through RSA without padding: the server decrypts exactly the block we built', async () => {
    const { publicEncrypt, X509Certificate } = await import('node:crypto');
    const key = new X509Certificate(cert.cert).publicKey;
    const block = robotPremasterBlock('correct', 256, 0x0303);
    const decrypted = privateDecrypt({ key: createPrivateKey(cert.key), padding: constants.RSA_NO_PADDING }, publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, block));
    expect(decrypted).toEqual(block);
  });
});

describe('ROBOT (CVE-2017-13099 family)', () => {
  it('finds the oracle on a server that answers malformed padding differently', async () => {
    const v = await withServer(fake({ robot: 'oracle' }), (s) => probeRobot(at(s), ['TLSv1.2'], budget(), 400));
    expect(v.vulnerable, v.evidence).toBe(true);
    expect(v.applicable).toBe(true);
    expect(v.answers!['with-ccs-finished']).toEqual({
      correct: 'alert 20', 'wrong-first-bytes': 'alert 40', 'zero-in-wrong-position': 'alert 20', 'no-zero-separator': 'alert 40', 'wrong-premaster-version': 'alert 20',
    });
    // The shortened flow shows it too: the malformed blocks are refused at once, the others wait for a Finished.
    expect(v.answers!['key-exchange-only']).toMatchObject({ correct: 'timeout', 'wrong-first-bytes': 'alert 40' });
    expect(v.evidence).toContain('padding oracle');
  });

  it('clears the same server when it answers every probe alike', async () => {
    const v = await withServer(fake({ robot: 'uniform' }), (s) => probeRobot(at(s), ['TLSv1.2'], budget(), 400));
    expect(v.vulnerable, v.evidence).toBe(false);
    expect(new Set(Object.values(v.answers!['with-ccs-finished']!))).toEqual(new Set(['alert 20']));
    expect(new Set(Object.values(v.answers!['key-exchange-only']!))).toEqual(new Set(['timeout']));
  });

  it.skipIf(!opensslAvailable())("clears Debian's OpenSSL 3 s_server on a TLS_RSA suite", async () => {
    const v = await withServer(startOpensslServer(cert, ['-tls1_2', '-cipher', 'AES128-SHA:AES256-GCM-SHA384']), (s) => probeRobot(at(s), ['TLSv1.2'], budget(), 400));
    expect(v.vulnerable, v.evidence).toBe(false);
    expect(v.applicable).toBe(true);
    expect(new Set(Object.values(v.answers!['with-ccs-finished']!)).size).toBe(1);
  });

  it('is "not applicable" where no RSA key exchange is offered', async () => {
    const ecdheOnly = await withServer(fake({ suites: [0xc02f], robot: 'oracle' }), (s) => probeRobot(at(s), ['TLSv1.2'], budget()));
    expect(ecdheOnly).toMatchObject({ vulnerable: false, applicable: false });
    expect(ecdheOnly.evidence).toContain('not applicable');
    expect(await probeRobot({ host: '127.0.0.1', port: 9 }, ['TLSv1.3'], budget())).toMatchObject({ vulnerable: false, applicable: false });
  });

  it('fails the scan, with the finding in every output format and the answers in the JSON contract', async () => {
    const r = await withServer(fake({ robot: 'oracle' }), (s) => scanTarget(`https://127.0.0.1:${s.port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 2000 } }));
    const f = r.findings.find((x) => x.id === 'robot')!;
    expect(f).toMatchObject({ cvss: 5.9, autoFail: true, cve: expect.arrayContaining(['CVE-2017-13099']) });
    expect(r.verdict).toBe('fail');
    const report = buildScanReport([r]);
    const json = JSON.parse(renderJson(report));
    expect(ScanJsonContract.safeParse(json).error).toBeUndefined();
    expect(json.targets[0].tls.vulnerabilities.robot).toMatchObject({ vulnerable: true, applicable: true });
    const table = renderTable(report);
    const html = renderHtml(report);
    expect(table).toContain('robot: VULNERABLE');
    expect(html).toContain('CVE-2017-13099');
    for (const text of [table, html]) expect(text).toContain('robot');
    const sarif = JSON.parse(renderSarif(report));
    expect(sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'robot').properties).toMatchObject({ cvss: 5.9, autoFail: true });
  });
});
