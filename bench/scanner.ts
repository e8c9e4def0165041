// `npm run bench -- scanner`: times a full `mamori scan` of one local HTTPS endpoint and, in the same
// run and on the same endpoint, nmap's ssl-enum-ciphers/ssl-heartbleed/ssl-cert scripts and a full
// testssl run (NXCONNECT=127.0.0.1:0, --nodns none: no DNS). Goal: the whole scan under 5 s.
// testssl takes about 5 minutes: skip it with `--skip-testssl` or MAMORI_BENCH_SKIP_TESTSSL=1.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NMAP_COMPARED_SCRIPTS, runNmap, runTestssl, toolAvailable } from '../test/support/external-scanners.ts';
import { CertificateFactory, startHttpServer, startHttpsServer } from '../test/support/local-test-servers.ts';
import { scanTarget } from '../src/scanner/scan-target.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipTestssl = process.argv.includes('--skip-testssl') || process.env.MAMORI_BENCH_SKIP_TESTSSL === '1';
const RUNS = 5;

const certs = new CertificateFactory();
const ca = certs.make({ cn: 'Mamori Bench CA', isCa: true });
const leaf = certs.make({ cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', ca });
// A shop-like endpoint: Node's TLS defaults plus legacy protocols enabled, so every probe has work to do.
const endpoint = await startHttpsServer({ key: leaf.key, cert: leaf.cert, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }, (req, res) => {
  res.setHeader('server', 'nginx/1.24.0');
  res.setHeader('set-cookie', 'sid=1; Path=/; HttpOnly');
  res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' });
  res.end('<!doctype html><html><head><title>Mamori shop</title></head><body>shop</body></html>');
});
const redirect = await startHttpServer((req, res) => { res.writeHead(301, { location: `https://127.0.0.1:${endpoint.port}${req.url}` }); res.end(); });
const url = `https://127.0.0.1:${endpoint.port}/`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  const times: number[] = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    last = await scanTarget(url, { trustedCa: [ca.cert], plainHttpPort: redirect.port });
    times.push(performance.now() - started);
  }
  const ours = median(times);
  const suites = Object.values(last!.tls.ciphers).reduce((n, c) => n + c.accepted.length, 0);
  console.log(`endpoint: ${url} (Node ${process.versions.node}, TLS 1.0–1.3, ${suites} suites accepted)`);
  console.log(`mamori scan (library, median of ${RUNS}): ${seconds(ours)}  [${last!.connections} connections, ${last!.findings.length} findings, verdict ${last!.verdict}]`);

  const cliStarted = performance.now();
  // Asynchronous on purpose: the endpoint lives in this process, so a synchronous spawn would starve it.
  const cli = spawn('tsx', [path.join(root, 'src/cli/mamori.ts'), 'scan', url, '--format', 'json'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.certPath }, stdio: 'ignore' });
  const cliStatus = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
  const cliMs = performance.now() - cliStarted;
  console.log(`mamori scan (CLI process incl. tsx start-up, exit ${cliStatus}): ${seconds(cliMs)}`);
  console.log(`goal (whole scan of one endpoint < 5 s): ${ours < 5000 ? 'met' : 'NOT met'}`);

  if (toolAvailable('nmap')) {
    const nmap = await runNmap('127.0.0.1', [endpoint.port], 120_000, [...NMAP_COMPARED_SCRIPTS, 'ssl-cert']);
    console.log(`nmap --script ssl-enum-ciphers,ssl-heartbleed,ssl-cert: ${seconds(nmap.durationMs)}  → nmap/mamori = ${(nmap.durationMs / ours).toFixed(1)}×`);
  } else {
    console.log('nmap: not installed (apt-get install nmap), skipped');
  }

  if (skipTestssl) {
    console.log('testssl: skipped (--skip-testssl / MAMORI_BENCH_SKIP_TESTSSL=1)');
  } else if (toolAvailable('testssl')) {
    console.log('testssl: full run, about 5 minutes…');
    const testssl = await runTestssl('127.0.0.1', endpoint.port, [], 900_000);
    console.log(`testssl (full, NXCONNECT=127.0.0.1:0 --nodns none): ${seconds(testssl.durationMs)}  → testssl/mamori = ${(testssl.durationMs / ours).toFixed(0)}×`);
  } else {
    console.log('testssl: not installed (apt-get install testssl.sh), skipped');
  }
} finally {
  await endpoint.close();
  await redirect.close();
  certs.cleanup();
}
