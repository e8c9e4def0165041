// `mamori scan <url>… [--format table|json|sarif|html] [--out <file>] [--timeout <s>] [--policy <file>]`
// Exit codes (external checks rely on them): 0 every target passes, 1 a target fails, 2 usage or connection error.
import { existsSync, writeFileSync } from 'node:fs';
import { loadPolicyFile, PolicyError } from '../policy/schema.ts';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_BOUNDS } from './connection-budget.ts';
import type { BannerAdvisoryLookup } from './http-checks.ts';
import { buildScanReport, exitCodeOf, type ScanReport } from './scan-report.ts';
import { scanTarget, type ScanOptions, type ScanProgress } from './scan-target.ts';

export const SCAN_HELP = `usage: mamori scan <url>… [--format table|json|sarif|html] [--out <file>] [--timeout <s>] [--policy <file>]

ASV-style external scan of the shop's own endpoints: TLS protocols and cipher suites (hand-built
handshakes, SSLv2 to TLS 1.3), Heartbleed (CVE-2014-0160), secure renegotiation, compression, OCSP
stapling, the certificate, security headers, cookie flags, version banners and exposed files
(/.git/, /.env, backups, directory listings, phpinfo/server-status, admin pages, TRACE, plain HTTP).

  --format <f>    table (default), json, sarif (2.1.0) or html (one self-contained page)
  --out <file>    write the report to <file> instead of standard output
  --timeout <s>   connect/read timeout per connection in seconds (default ${DEFAULT_BOUNDS.timeoutMs / 1000})
  --policy <file> policy file whose "scanner" section sets the certificate-expiry warning window
                  and the CAA resolver (default ./mamori.policy.json when it exists)
  -h, --help      this text

Verdict per target: fail when any finding scores CVSS 4.0 or more, or is one the PCI ASV Program
Guide fails automatically (SSL 3.0/TLS 1.0 accepted, Heartbleed, exposed sensitive files).
Exit codes: 0 every target passes, 1 a target fails, 2 usage or connection error.
Each target gets at most ${DEFAULT_BOUNDS.maxConnections} connections and ${DEFAULT_BOUNDS.maxDurationMs / 1000} s; only the URLs named are contacted
(plus port 80 of an https URL's host, to check the redirect to HTTPS). No crawling.

ONLY SCAN SYSTEMS YOU OWN OR ARE EXPLICITLY AUTHORISED TO TEST. Probing other people's servers
may be illegal (in Japan, for example, under the Unauthorized Computer Access Act).
`;

const ArgsSchema = z.object({
  urls: z.array(z.url({ protocol: /^https?$/ })).min(1, 'name at least one URL to scan'),
  format: z.enum(['table', 'json', 'sarif', 'html']).default('table'),
  out: z.string().min(1).optional(),
  timeout: z.coerce.number().positive().max(300).optional(),
  policy: z.string().min(1).optional(),
});

export type ScanCliArgs = z.infer<typeof ArgsSchema>;

export function parseScanArgs(args: string[]): { ok: true; value: ScanCliArgs } | { ok: false; error: 'HELP' | 'USAGE'; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, timeout: { type: 'string' }, policy: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return { ok: false, error: 'USAGE', message: err instanceof Error ? err.message : String(err) };
  }
  if (parsed.values.help) return { ok: false, error: 'HELP', message: SCAN_HELP };
  const checked = ArgsSchema.safeParse({ urls: parsed.positionals, format: parsed.values.format, out: parsed.values.out, timeout: parsed.values.timeout, policy: parsed.values.policy });
  if (!checked.success) return { ok: false, error: 'USAGE', message: checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ') };
  return { ok: true, value: checked.data };
}

// Each renderer (and the advisory store below) is loaded only when used: preact, the advisory index
// with semver and yauzl cost a scan's start-up more than a scan of a fast server takes.
async function render(report: ScanReport, format: ScanCliArgs['format'], colors: boolean): Promise<string> {
  switch (format) {
    case 'json': return (await import('./report-json.ts')).renderJson(report);
    case 'sarif': return (await import('./report-sarif.ts')).renderSarif(report);
    case 'html': return (await import('./report-html.tsx')).renderHtml(report);
    case 'table': return (await import('./report-table.ts')).renderTable(report, colors);
  }
}

/** Progress on stderr: a rewritten status line on a terminal, one line per step otherwise. */
function progressReporter(stream: NodeJS.WriteStream): { onProgress: (p: ScanProgress) => void; clear: () => void } {
  const running = new Map<string, Set<string>>();
  const tty = stream.isTTY === true;
  return {
    onProgress(p) {
      const steps = running.get(p.url) ?? new Set<string>();
      running.set(p.url, steps);
      if (p.state === 'start') steps.add(p.step); else steps.delete(p.step);
      if (tty) stream.write(`\r\x1b[K${p.url}: ${[...steps].join(', ') || 'finishing'}…`);
      else if (p.state === 'done') stream.write(`scan ${p.url}: ${p.step} done${p.detail ? ` (${p.detail})` : ''}\n`);
    },
    clear() { if (tty) stream.write('\r\x1b[K'); },
  };
}

/** Banners matched against the local advisory store (`mamori advisories`); unreadable data only warns. */
function advisoryLookupOrWarn(): BannerAdvisoryLookup {
  let lookup: BannerAdvisoryLookup | undefined;
  let warned = false;
  return async (component) => {
    try {
      lookup ??= (await import('./banner-advisory-lookup.ts')).bannerAdvisoryLookup();
      return await lookup(component);
    } catch (err) {
      if (!warned) process.stderr.write(`mamori scan: advisory data unusable, banners not matched: ${err instanceof Error ? err.message : String(err)}\n`);
      warned = true;
      return [];
    }
  };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseScanArgs(args);
  if (!parsed.ok) {
    if (parsed.error === 'HELP') { process.stdout.write(parsed.message); return 0; }
    process.stderr.write(`mamori scan: ${parsed.message}\n${SCAN_HELP.split('\n')[0]}\nRun \`mamori scan --help\` for the options.\n`);
    return 2;
  }
  const { urls, format, out, timeout, policy: policyPath } = parsed.value;
  let scannerPolicy: { certificateExpiryWarningDays: number; caaResolver?: string } | undefined;
  try {
    const file = policyPath ?? (existsSync('mamori.policy.json') ? 'mamori.policy.json' : undefined);
    if (file) scannerPolicy = loadPolicyFile(file).scanner;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    process.stderr.write(`mamori scan: ${err.message}\n`);
    return 2;
  }
  const progress = progressReporter(process.stderr);
  const options: ScanOptions = {
    onProgress: progress.onProgress, advisoryLookup: advisoryLookupOrWarn(), ...(timeout ? { bounds: { timeoutMs: timeout * 1000 } } : {}),
    ...(scannerPolicy ? { certificateExpiryWarningDays: scannerPolicy.certificateExpiryWarningDays, ...(scannerPolicy.caaResolver ? { caaResolver: scannerPolicy.caaResolver } : {}) } : {}),
  };
  // Targets one after another: each is already scanned in parallel, and a per-target cap means little if all run at once.
  const results = [];
  for (const url of urls) results.push(await scanTarget(url, options));
  progress.clear();
  const report = buildScanReport(results);
  const text = await render(report, format, !out && process.stdout.isTTY === true);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  for (const t of report.targets) {
    process.stderr.write(`${t.url}: ${t.verdict.toUpperCase()}${t.error ? ` (${t.error.code}: ${t.error.detail})` : ''} — ${t.findings.length} findings\n`);
  }
  return exitCodeOf(report);
}
