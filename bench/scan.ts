// `npm run bench -- scan`: the whole `mamori scan` of one endpoint as a user runs it (a process
// through bin/mamori.js, which uses dist/ when `npm run build` is current) against nmap's
// `--script ssl-enum-ciphers,ssl-heartbleed,ssl-cert` on the same target, in the same run, on the
// kinds of server issue 19 names: (a) Node's TLS limited to TLS 1.2, (b) OpenSSL 3 s_server
// restricted to TLS 1.0 with weak suites, (c) a modern OpenSSL 3 s_server, (d) the tests' fake of a
// Heartbleed-era OpenSSL 1.0.1f. Also `mamori --help`
// start-up. bench/scanner.ts measures the library call on one shop-like endpoint, and testssl.
// `npm run bench -- scan --runs 3` (or MAMORI_BENCH_RUNS=3): each tool N times per server, medians
// in a closing table (server, mamori s, nmap s, ratio nmap/mamori: above 1 means Mamori is faster).
import { spawn } from 'node:child_process';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NMAP_COMPARED_SCRIPTS, runNmap, toolAvailable } from '../test/support/external-scanners.ts';
import { CertificateFactory, startFakeTlsServer, startHttpsServer, startOpensslServer, type RunningServer } from '../test/support/local-test-servers.ts';
import { distIsCurrent } from '../bin/build-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { runs: { type: 'string' } }, allowPositionals: true });
const RUNS = Number(flags.runs ?? process.env.MAMORI_BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive whole number, got ${flags.runs}`);
const mamori = path.join(root, 'bin/mamori.js');

/** Runs a child asynchronously (server (a) lives in this process) and returns its wall time in ms. */
function timed(file: string, args: string[]): Promise<{ ms: number; code: number | null; stdout: string }> {
  const started = performance.now();
  const child = spawn(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ ms: performance.now() - started, code, stdout })));
}
/**
 * Waits, untimed, until the server answers a handshake at once. s_server is single-threaded and,
 * after refusing a renegotiation (the last probe of a Mamori scan, and one of testssl's), stays
 * busy for about a second: without this wait the next run, whichever tool, would pay for the one
 * before it.
 */
async function settle(port: number): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' });
      const done = () => { socket.destroy(); resolve(); };
      socket.once('secureConnect', done);
      socket.once('error', done); // an alert is an answer too
      socket.setTimeout(5_000, done);
    });
    if (performance.now() - started < 100) return;
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const certs = new CertificateFactory();
const leaf = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
const servers: Array<[string, RunningServer]> = [];
const table: Array<{ server: string; mamori: number[]; nmap: number[] }> = [];
try {
  console.log(`bin/mamori.js runs ${distIsCurrent(root) ? 'dist/ (build current)' : 'the sources through tsx (no current build: `npm run build` first for the shipped start-up)'}`);
  const help: number[] = [];
  for (let i = 0; i < RUNS; i++) help.push((await timed(process.execPath, [mamori, '--help'])).ms);
  console.log(`mamori --help start-up (median of ${RUNS}): ${s(median(help))}`);

  servers.push(['(a) Node TLS 1.2 only', await startHttpsServer({ key: leaf.key, cert: leaf.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, (_req, res) => res.end('shop'))]);
  servers.push(['(b) OpenSSL 3 s_server -tls1 ALL:@SECLEVEL=0', await startOpensslServer(leaf, ['-tls1', '-cipher', 'ALL:@SECLEVEL=0'])]);
  servers.push(['(c) OpenSSL 3 s_server, defaults', await startOpensslServer(leaf, [])]);
  // Issue 19's first kind, a Heartbleed-era OpenSSL 1.0.1f: Debian's OpenSSL cannot be one, so the
  // tests' fake answers as it did (SSLv3–TLS 1.2, SSLv2 with an empty list, Heartbleed, CCS
  // injection, DEFLATE, 512-bit DHE, SEED/RC4/3DES). It serves in parallel, in this process.
  servers.push(['(d) fake OpenSSL 1.0.1f', await startFakeTlsServer(leaf, {
    versions: [0x0300, 0x0301, 0x0302, 0x0303], suites: [0x0039, 0x0033, 0x0035, 0x002f, 0x0096, 0x009a, 0x000a, 0x0005, 0xc014, 0xc013],
    heartbeat: 'vulnerable', compression: true, sslv2: { ciphers: [], acceptUnlisted: true }, ccs: 'vulnerable', dhBits: 512,
  })]);
  const nmap = toolAvailable('nmap');
  for (const [name, server] of servers) {
    const url = `https://127.0.0.1:${server.port}/`;
    const ours: number[] = [];
    let last = { ms: 0, code: null as number | null, stdout: '' };
    for (let i = 0; i < RUNS; i++) { await settle(server.port); last = await timed(process.execPath, [mamori, 'scan', url, '--format', 'json']); ours.push(last.ms); }
    const t = JSON.parse(last.stdout).targets[0];
    const suites = Object.values(t.tls.ciphers as Record<string, { accepted: unknown[] }>).reduce((n, c) => n + c.accepted.length, 0);
    const row = { server: name, mamori: ours, nmap: [] as number[] };
    table.push(row);
    const line = `${name}: mamori scan ${s(median(ours))} (median of ${RUNS}, exit ${last.code}, scan itself ${s(t.durationMs)}, ${t.connections} connections, ${suites} suites, ${t.findings.length} findings)`;
    if (!nmap) { console.log(`${line}; nmap not installed`); continue; }
    const theirs = row.nmap;
    for (let i = 0; i < RUNS; i++) theirs.push((await settle(server.port), await runNmap('127.0.0.1', [server.port], 300_000, [...NMAP_COMPARED_SCRIPTS, 'ssl-cert'])).durationMs);
    const ratio = median(theirs) / median(ours);
    console.log(`${line}; nmap ${s(median(theirs))} → ${ratio >= 1 ? `mamori ${ratio.toFixed(1)}× faster` : `mamori SLOWER (${(1 / ratio).toFixed(1)}×)`}`);
  }
  const cell = (v: number[]) => (v.length ? `${(median(v) / 1000).toFixed(2)} (${v.map((ms) => (ms / 1000).toFixed(2)).join(', ')})` : 'n/a');
  console.log(`\n| server | mamori s | nmap s | ratio nmap/mamori |\n| --- | --- | --- | --- |`);
  for (const r of table) console.log(`| ${r.server} | ${cell(r.mamori)} | ${cell(r.nmap)} | ${r.nmap.length ? (median(r.nmap) / median(r.mamori)).toFixed(2) : 'n/a'} |`);
  console.log(`(medians of ${RUNS} runs, each run in brackets)`);
} finally {
  for (const [, server] of servers) await server.close();
  certs.cleanup();
}
