import { colorsFor, severityColor, table } from '../advisories/term.ts';
import type { CheckResult } from './check.ts';

export function formatCheckTable(r: CheckResult, stream: NodeJS.WriteStream = process.stdout): string {
  const c = colorsFor(stream);
  const out: string[] = [];
  out.push(c.bold(`mamori check: ${r.target.source} (${r.target.host}) at ${r.checkedAt}`));
  out.push(`policy: ${r.policyFile ?? 'built-in defaults'}; advisories: ${r.advisoryData.count} (as of ${r.advisoryData.asOf ?? 'never'}${r.advisoryData.ageHours !== null ? `, ${r.advisoryData.ageHours} h old` : ''}; max ${r.advisoryData.maxAgeHours} h)`);
  if (r.node) out.push(`Node.js ${r.node.version} (${r.node.line}${r.node.codename ? ` ${r.node.codename}` : ""}): ${r.node.eol ? c.red(`end of life since ${r.node.endOfLife}`) : `${r.node.phase}${r.node.endOfLife ? `, end of life ${r.node.endOfLife}` : ''}`}; bundled OpenSSL ${r.node.openssl}`);
  out.push('');
  const shown = r.findings.filter((f) => f.status !== 'suppressed');
  if (shown.length) {
    out.push(c.bold('Findings'));
    out.push(
      table(
        shown.map((f) => [
          f.status === 'violation' ? c.red('FAIL') : f.status === 'excepted' ? c.cyan('except') : c.yellow('warn'),
          severityColor(c, f.severity)(`${f.severity}${f.score !== undefined ? ` ${f.score}` : ''}`),
          `${f.component.name} ${f.component.version}`,
          [f.advisory.id, ...f.advisory.aliases.slice(0, 2)].join(' '),
          f.fixed.slice(0, 3).join(', ') || '-',
          f.hint,
        ]),
        ['', 'severity', 'component', 'advisory', 'fixed', 'what to do'],
      ),
    );
    out.push('');
  }
  const suppressed = r.findings.filter((f) => f.status === 'suppressed');
  if (suppressed.length) out.push(c.dim(`${suppressed.length} finding(s) suppressed (distribution backports / distribution-managed): see --format json`));
  const other = r.violations.filter((v) => v.kind !== 'finding');
  if (other.length) {
    out.push(c.bold('Policy violations'));
    for (const v of other) out.push(`  ${c.red('✗')} ${v.kind}: ${v.message}`);
    out.push('');
  }
  for (const w of r.warnings) out.push(c.yellow(`warning: ${w}`));
  const s = r.summary;
  out.push('');
  out.push(
    r.status === 'pass'
      ? c.green(c.bold(`PASS: ${s.components} components, ${s.findings} finding(s) within policy (${s.tolerated} tolerated, ${s.excepted} excepted)`))
      : c.red(c.bold(`FAIL: ${s.violations} violation(s); ${s.findings} finding(s) on ${s.components} components`)),
  );
  return out.join('\n');
}
