import { colorsFor, table, type Colors } from '../advisories/term.ts';
import { countByKind } from './collect.ts';
import type { Inventory } from './types.ts';

export function nodeSummary(inv: Inventory, c: Colors): string[] {
  const n = inv.node;
  if (!n) return [];
  const phase = n.eol ? c.bold(c.red(`END OF LIFE since ${n.endOfLife ?? '(no date: too old)'}`)) : n.phase === 'unknown' ? c.yellow('not in the release schedule') : c.green(`${n.phase}${n.endOfLife ? `, end of life ${n.endOfLife}` : ''}`);
  return [`Node.js ${n.version} (${n.line}${n.codename ? ` ${n.codename}` : ''}): ${phase}; OpenSSL ${n.openssl}; ${n.execPath}`];
}

export function formatInventoryTable(inv: Inventory, stream: NodeJS.WriteStream = process.stdout): string {
  const c = colorsFor(stream);
  const rows = inv.components.map((x) => [
    x.kind,
    x.name,
    x.version,
    x.kind === 'npm' ? `${x.direct ? 'direct' : 'transitive'}${x.dev ? ', dev' : ''}` : (x.release ?? ''),
    x.license ?? '',
    c.dim(x.purl),
  ]);
  const counts = countByKind(inv);
  const summary = Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return [
    c.bold(`Inventory of ${inv.host.hostname}${inv.host.release ? ` (${inv.host.release})` : ''} at ${inv.generatedAt}`),
    ...nodeSummary(inv, c),
    '',
    table(rows, ['kind', 'name', 'version', 'scope/release', 'license', 'purl']),
    '',
    c.bold(`${inv.components.length} components: ${summary}`),
    ...inv.notes.map((n) => c.yellow(`note: ${n}`)),
  ].join('\n');
}
