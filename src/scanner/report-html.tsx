// One self-contained page (inline CSS, no scripts, no external resources) a merchant can forward to
// its scanning vendor. Rendered with Preact so every value from the scanned server is escaped.
import { renderToString } from 'preact-render-to-string';
import type { Finding } from './findings.ts';
import type { ScanReport } from './scan-report.ts';
import type { TargetResult } from './scan-target.ts';
import { TLS_PROTOCOLS } from './tls-protocols.ts';

const CSS = `
body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f3f3f3}.pass{color:#0a6b2d;font-weight:bold}.fail{color:#b00020;font-weight:bold}
.critical{background:#f3d1f4}.high{background:#fbd3d0}.medium{background:#fdf0c6}.low{background:#e3f1fb}.info{background:#f5f5f5}
code{word-break:break-all}.note{color:#555;font-size:.85rem}`;

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p>No findings.</p>;
  return (
    <table>
      <thead><tr><th>Score</th><th>Finding</th><th>Evidence</th><th>Fix</th></tr></thead>
      <tbody>
        {findings.map((f) => (
          <tr class={f.severity}>
            <td>{f.cvss.toFixed(1)} {f.severity}{f.autoFail ? ' (ASV auto-fail)' : ''}</td>
            <td><strong>{f.title}</strong><br /><code>{f.id}</code>{f.cve.length > 0 ? <><br />{f.cve.join(', ')}</> : null}</td>
            <td><code>{f.evidence}</code></td>
            <td>{f.fix}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const verdictText = (x: { vulnerable: boolean | null } | undefined, yes: string, no: string) => (!x || x.vulnerable === null ? 'not checked' : x.vulnerable ? yes : no);

/** Facts added with issue 19: SSLv2 state, the vulnerability probes, certificate transparency, CAA. */
function Extra({ t }: { t: TargetResult }) {
  const v = t.tls.vulnerabilities;
  const v2 = t.tls.sslv2State;
  if (!v && !v2 && !t.tls.certificateTransparency && !t.tls.caa) return null;
  return (
    <table>
      <thead><tr><th>SSLv2 ciphers</th><th>SSLv2 forced cipher</th><th>CCS injection</th><th>TLS_FALLBACK_SCSV</th><th>Ticketbleed</th><th>Client renegotiation</th><th>ROBOT</th><th>Certificate transparency</th><th>CAA</th></tr></thead>
      <tbody><tr>
        <td>{!v2 || v2.state === 'not-offered' ? 'n/a' : v2.state === 'offered-no-ciphers' ? 'empty list' : v2.ciphers.join(', ')}</td>
        <td>{!v2 || v2.forcedCipher === null ? 'not tried' : v2.forcedCipher ? 'ACCEPTED' : 'refused'}</td>
        <td>{verdictText(v?.ccsInjection, 'VULNERABLE', 'not vulnerable')}</td>
        <td>{verdictText(v?.fallbackScsv, 'not supported', 'supported')}</td>
        <td>{verdictText(v?.ticketbleed, 'VULNERABLE', 'not vulnerable')}</td>
        <td>{verdictText(v?.clientRenegotiation, 'accepted', 'refused')}</td>
        <td>{v?.robot && !v.robot.applicable ? 'not applicable (no RSA key exchange)' : verdictText(v?.robot, 'VULNERABLE', 'not vulnerable')}</td>
        <td>{t.tls.certificateTransparency ? (t.tls.certificateTransparency.source === 'none' ? 'no SCTs' : `SCTs in the ${t.tls.certificateTransparency.source}`) : 'n/a'}</td>
        <td>{t.tls.caa ? t.tls.caa.evidence : 'n/a'}</td>
      </tr></tbody>
    </table>
  );
}

function Target({ t }: { t: TargetResult }) {
  const cert = t.tls.certificate;
  return (
    <section>
      <h2>{t.url} — <span class={t.verdict}>{t.verdict.toUpperCase()}</span></h2>
      <p class="note">Scanned {t.startedAt} in {t.durationMs} ms with {t.connections} connections.</p>
      {t.error ? <p class="fail">Could not scan: {t.error.code}: {t.error.detail}</p> : null}
      <table>
        <thead><tr><th>SSLv2</th>{TLS_PROTOCOLS.map((p) => <th>{p}</th>)}<th>Heartbleed</th><th>Secure renegotiation</th><th>Compression</th><th>OCSP stapling</th></tr></thead>
        <tbody><tr>
          <td>{t.tls.sslv2 ? 'accepted' : 'no'}</td>
          {TLS_PROTOCOLS.map((p) => <td>{t.tls.protocols[p] ? 'accepted' : 'no'}</td>)}
          <td>{t.tls.heartbleed ? (t.tls.heartbleed.vulnerable ? 'VULNERABLE' : 'not vulnerable') : 'n/a'}</td>
          <td>{String(t.tls.secureRenegotiation ?? 'n/a')}</td>
          <td>{String(t.tls.compression ?? 'n/a')}</td>
          <td>{String(t.tls.ocspStapling ?? 'n/a')}</td>
        </tr></tbody>
      </table>
      <Extra t={t} />
      {cert ? (
        <table>
          <tbody>
            <tr><th>Certificate subject</th><td>{cert.subject}</td></tr>
            <tr><th>Issuer</th><td>{cert.issuer}</td></tr>
            <tr><th>Valid</th><td>{cert.notBefore} – {cert.notAfter} ({cert.daysLeft} days left)</td></tr>
            <tr><th>Key / signature</th><td>{cert.keyType} {cert.keyBits} bits, {cert.signatureAlgorithm}</td></tr>
            <tr><th>Host name match / trust</th><td>{cert.hostnameMatches ? 'matches' : 'does not match'} {cert.hostname}; {cert.selfSigned ? 'self-signed' : cert.trusted ? 'trusted' : `untrusted (${cert.trustError ?? 'not verified'})`}</td></tr>
          </tbody>
        </table>
      ) : null}
      <p>HTTP: {t.http ? (t.http.reachable ? `status ${t.http.status}; version banners: ${t.http.banners.map((b) => `${b.product} ${b.version}`).join(', ') || 'none'}` : `no answer (${t.http.error ?? 'unknown'}); HTTP checks skipped`) : 'not checked'}</p>
      {Object.entries(t.tls.ciphers).map(([protocol, c]) => (
        <details>
          <summary>{protocol}: {c.accepted.length} cipher suites{c.serverPreference === null ? '' : c.serverPreference ? ', server order' : ', client order'}</summary>
          <table>
            <tbody>{c.accepted.map((s) => <tr><td><code>{s.id}</code></td><td>{s.name}</td><td>{s.bits} bits</td><td>{s.strength}</td><td>{s.forwardSecrecy ? 'forward secrecy' : 'no forward secrecy'}</td><td>{s.keyExchangeGroup ? (s.keyExchangeGroup.kind === 'dh' ? `DH ${s.keyExchangeGroup.bits} bits` : `${s.keyExchangeGroup.name} (${s.keyExchangeGroup.bits} bits)`) : ''}</td></tr>)}</tbody>
          </table>
        </details>
      ))}
      <Findings findings={t.findings} />
    </section>
  );
}

export function renderHtml(report: ScanReport): string {
  const failed = report.targets.filter((t) => t.verdict === 'fail').length;
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <title>External scan report — {report.generatedAt}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <h1>External vulnerability scan (PCI ASV style)</h1>
        <p>Generated {report.generatedAt} by {report.scanner.name} {report.scanner.version}. {report.targets.length} target(s), {failed} failing.
          A target fails when a finding scores CVSS 4.0 or more, or is one the ASV Program Guide fails automatically.</p>
        <p class="note">This self-run scan helps prepare for the quarterly scan by an Approved Scanning Vendor (PCI DSS 11.3.2); it does not replace it.
          Scans may only be run against systems you are authorised to test.</p>
        {report.targets.map((t) => <Target t={t} />)}
      </body>
    </html>
  );
  return '<!doctype html>\n' + renderToString(page) + '\n';
}
