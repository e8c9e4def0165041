// The terminal view: one block per target, findings sorted by score.
import pc from 'picocolors';
import type { Severity } from './findings.ts';
import type { ScanReport } from './scan-report.ts';
import { TLS_PROTOCOLS } from './tls-protocols.ts';

const SEVERITY_COLOR: Record<Severity, (s: string) => string> = { critical: pc.magenta, high: pc.red, medium: pc.yellow, low: pc.cyan, info: pc.dim };

export function renderTable(report: ScanReport, colors = false): string {
  const c = colors ? pc : pc.createColors(false);
  const color = (s: Severity, text: string) => (colors ? SEVERITY_COLOR[s](text) : text);
  const lines: string[] = [];
  for (const t of report.targets) {
    const verdict = t.verdict === 'pass' ? c.green('PASS') : c.red('FAIL');
    lines.push(`${c.bold(t.url)}  ${verdict}  (${t.durationMs} ms, ${t.connections} connections)`);
    if (t.error) { lines.push(`  error: ${t.error.code}: ${t.error.detail}`, ''); continue; }
    const protocols = TLS_PROTOCOLS.map((p) => `${p} ${t.tls.protocols[p] ? 'yes' : 'no'}`).join('  ');
    lines.push(t.url.startsWith('http:') ? '  TLS: not probed (plain-HTTP URL)' : `  protocols: SSLv2 ${t.tls.sslv2 ? 'yes' : 'no'}  ${protocols}`);
    const v2 = t.tls.sslv2State;
    if (v2 && v2.state !== 'not-offered') lines.push(`  sslv2: ${v2.state === 'offered-no-ciphers' ? 'empty cipher list' : v2.ciphers.join(', ')}; forced cipher ${v2.forcedCipher === null ? 'not tried' : v2.forcedCipher ? c.red('ACCEPTED') : 'refused'}`);
    for (const [protocol, ciphers] of Object.entries(t.tls.ciphers)) {
      const pref = ciphers.serverPreference === null ? '' : ciphers.serverPreference ? ' (server order)' : ' (client order)';
      const group = (s: (typeof ciphers.accepted)[number]) => (s.keyExchangeGroup ? ` {${s.keyExchangeGroup.kind === 'dh' ? `DH ${s.keyExchangeGroup.bits}` : s.keyExchangeGroup.name}}` : '');
      lines.push(`  ${protocol}${pref}: ${ciphers.accepted.map((s) => (s.strength === 'strong' ? `${s.name}${group(s)}` : `${s.name}${group(s)} [${s.strength}]`)).join(', ')}`);
    }
    const v = t.tls.vulnerabilities;
    const said = (x: { vulnerable: boolean | null } | undefined, yes: string, no: string) => (!x || x.vulnerable === null ? 'not checked' : x.vulnerable ? c.red(yes) : no);
    if (v) lines.push(`  ccs injection: ${said(v.ccsInjection, 'VULNERABLE', 'not vulnerable')}  fallback scsv: ${said(v.fallbackScsv, 'NOT supported', 'supported')}  ticketbleed: ${said(v.ticketbleed, 'VULNERABLE', 'not vulnerable')}  client renegotiation: ${said(v.clientRenegotiation, 'accepted', 'refused')}  robot: ${v.robot && !v.robot.applicable ? 'not applicable (no RSA key exchange)' : said(v.robot, 'VULNERABLE', 'not vulnerable')}`);
    if (t.tls.certificateTransparency || t.tls.caa) lines.push(`  certificate transparency: ${t.tls.certificateTransparency ? (t.tls.certificateTransparency.source === 'none' ? 'no SCTs' : `SCTs in the ${t.tls.certificateTransparency.source}`) : 'n/a'}  caa: ${t.tls.caa ? t.tls.caa.evidence : 'n/a'}`);
    const cert = t.tls.certificate;
    if (cert) lines.push(`  certificate: ${cert.subject} — ${cert.keyType} ${cert.keyBits}, ${cert.signatureAlgorithm}, expires ${cert.notAfter.slice(0, 10)} (${cert.daysLeft} days)`);
    lines.push(`  http: ${t.http ? (t.http.reachable ? `${t.http.status} (${t.http.banners.map((b) => `${b.product}/${b.version}`).join(', ') || 'no version banners'})` : `no answer (${t.http.error ?? 'unknown'}), HTTP checks skipped`) : 'not checked'}`);
    if (t.tls.heartbleed) lines.push(`  heartbleed: ${t.tls.heartbleed.vulnerable ? c.red('VULNERABLE') : 'not vulnerable'}`);
    if (t.findings.length === 0) lines.push('  no findings');
    for (const f of t.findings) {
      const score = f.cvss.toFixed(1).padStart(4);
      lines.push(`  ${color(f.severity, `${score} ${f.severity.padEnd(8)}`)} ${f.id.padEnd(28)} ${f.title}${f.cve.length ? ` (${f.cve.join(', ')})` : ''}${f.autoFail ? ' [ASV auto-fail]' : ''}`);
      lines.push(`       evidence: ${f.evidence}`);
      lines.push(`       fix: ${f.fix}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
