// Runs Debian's testssl and nmap against a local endpoint and reads their protocol and Heartbleed
// verdicts, for the agreement test and bench/scanner.ts. Both are optional: callers skip without them.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TlsProtocol } from '../../src/scanner/tls-protocols.ts';

export interface ExternalVerdict {
  protocols: Partial<Record<TlsProtocol | 'SSLv2', boolean>>;
  heartbleed: boolean | null;
  durationMs: number;
  /** nmap only: the suite names ssl-enum-ciphers listed per protocol. */
  ciphers?: Partial<Record<TlsProtocol, string[]>>;
  /** nmap's ssl-ccs-injection / testssl's CCS verdict, when that check ran. */
  ccsInjection?: boolean | null;
}

export function toolAvailable(tool: 'testssl' | 'nmap'): boolean {
  try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

function runTool(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ stdout: string; durationMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      // testssl exits non-zero when it finds problems; only a kill or a missing binary is a failure.
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      if (err && err.killed) return reject(new Error(`${file} timed out after ${timeoutMs} ms`));
      resolve({ stdout, durationMs: Date.now() - started });
    });
  });
}

const TESTSSL_IDS: Record<string, TlsProtocol | 'SSLv2'> = { SSLv2: 'SSLv2', SSLv3: 'SSLv3', TLS1: 'TLSv1.0', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };

/**
 * testssl's longest waits for a server's reply, in seconds (defaults 10, 8 and 5). A reply ends the
 * wait at once, but when the wait runs out testssl reports "not offered" / "not vulnerable, timed
 * out": on a busy machine the defaults turned a vulnerable server into a clean verdict.
 */
const TESTSSL_SOCKET_WAITS = { MAX_WAITSOCK: '30', HEARTBLEED_MAX_WAITSOCK: '30', CCS_MAX_WAITSOCK: '30' };

/**
 * testssl with `checks` (default `-p -H`: protocols and Heartbleed; pass [] for the full run).
 * NXCONNECT and --nodns none keep it from making any DNS query.
 */
export async function runTestssl(host: string, port: number, checks: string[] = ['-p', '-H'], timeoutMs = 600_000): Promise<ExternalVerdict> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-testssl-'));
  const jsonFile = path.join(dir, 'out.json');
  try {
    const { durationMs } = await runTool('testssl', ['--nodns', 'none', '--warnings', 'off', '--quiet', '--color', '0', '--jsonfile', jsonFile, ...checks, `${host}:${port}`],
      { ...process.env, NXCONNECT: '127.0.0.1:0', ...TESTSSL_SOCKET_WAITS }, timeoutMs);
    const entries = JSON.parse(readFileSync(jsonFile, 'utf8')) as Array<{ id: string; finding: string }>;
    const protocols: ExternalVerdict['protocols'] = {};
    let heartbleed: boolean | null = null;
    let ccsInjection: boolean | null = null;
    for (const e of entries) {
      if (e.id === 'CCS') ccsInjection = /VULNERABLE/.test(e.finding) && !/not vulnerable/i.test(e.finding);
      const protocol = TESTSSL_IDS[e.id];
      if (protocol) protocols[protocol] = /^offered/i.test(e.finding);
      if (e.id === 'heartbleed') heartbleed = /VULNERABLE/.test(e.finding) && !/not vulnerable/i.test(e.finding);
    }
    return { protocols, heartbleed, durationMs, ccsInjection };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const NMAP_PROTOCOLS: Record<string, TlsProtocol> = { SSLv3: 'SSLv3', 'TLSv1.0': 'TLSv1.0', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

/** The scripts whose verdicts are read below; the bench adds ssl-cert to match what Mamori's scan does. */
export const NMAP_COMPARED_SCRIPTS = ['ssl-enum-ciphers', 'ssl-heartbleed'];

/** nmap's TLS scripts (default: only those compared) on some ports of one host; XML parsed per port. */
export async function runNmap(host: string, ports: number[], timeoutMs = 120_000, scripts = NMAP_COMPARED_SCRIPTS): Promise<{ byPort: Map<number, ExternalVerdict>; durationMs: number; xml: string }> {
  const { stdout, durationMs } = await runTool('nmap', ['-Pn', '-n', '-p', ports.join(','), '--script', scripts.join(','), '-oX', '-', host], process.env, timeoutMs);
  const byPort = new Map<number, ExternalVerdict>();
  for (const block of stdout.split('<port ').slice(1)) {
    const port = Number(/portid="(\d+)"/.exec(block)?.[1]);
    const enumScript = /<script id="ssl-enum-ciphers"[\s\S]*?<\/script>/.exec(block)?.[0] ?? '';
    const protocols: ExternalVerdict['protocols'] = {};
    // ssl-enum-ciphers lists only what it found: everything it can test and did not list is not offered.
    for (const key of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2']) protocols[NMAP_PROTOCOLS[key]!] = enumScript.includes(`<table key="${key}">`);
    const heartbleedScript = /<script id="ssl-heartbleed"[\s\S]*?<\/script>/.exec(block)?.[0];
    const ciphers: ExternalVerdict['ciphers'] = {};
    for (const key of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2']) {
      const section = new RegExp(`<table key="${key.replace('.', '\\.')}">([\\s\\S]*?)<elem key="cipher preference">`).exec(enumScript)?.[1];
      if (section) ciphers[NMAP_PROTOCOLS[key]!] = [...section.matchAll(/<elem key="name">([^<]+)<\/elem>/g)].map((m) => m[1]!);
    }
    const ccsScript = /<script id="ssl-ccs-injection"[\s\S]*?<\/script>/.exec(block)?.[0];
    byPort.set(port, {
      protocols, ciphers, durationMs,
      heartbleed: heartbleedScript ? /<elem key="state">VULNERABLE<\/elem>/.test(heartbleedScript) : false,
      // ssl-ccs-injection prints only when it finds the server vulnerable.
      ...(scripts.includes('ssl-ccs-injection') ? { ccsInjection: ccsScript ? /VULNERABLE/.test(ccsScript) : false } : {}),
    });
  }
  return { byPort, durationMs, xml: stdout };
}
