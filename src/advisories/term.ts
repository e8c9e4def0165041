// Terminal helpers shared by the inventory, advisories and check commands: colours only
// when the stream is a TTY and NO_COLOR is not set (FORCE_COLOR forces them), and a
// progress bar on stderr for long imports.
import pc from 'picocolors';
import { configFromEnvironment } from '../config/config.ts';
import type { SeverityLevel } from './cvss.ts';
import type { ImportProgress } from './sources.ts';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const { noColor, forceColor } = configFromEnvironment().terminal;
  const enabled = noColor ? false : forceColor ? true : Boolean(stream.isTTY);
  return pc.createColors(enabled);
}

export function severityColor(c: Colors, level: SeverityLevel): (s: string) => string {
  switch (level) {
    case 'critical':
      return (s) => c.bold(c.red(s));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    default:
      return c.dim;
  }
}

/** Plain-text table: columns padded to the widest cell (cells may contain ANSI codes). */
export function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of all) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell)))).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}

/** A progress bar on stderr: redrawn in place on a TTY, one summary line per input otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update: (p: ImportProgress) => void; done: () => void } {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let current: ImportProgress | null = null;
  const draw = (p: ImportProgress) => {
    const width = 28;
    const ratio = p.total ? Math.min(1, p.done / p.total) : 1;
    const filled = Math.round(ratio * width);
    const name = p.input.length > 40 ? `…${p.input.slice(-39)}` : p.input;
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.done}/${p.total} files, ${p.records} records  ${name}\u001b[K`);
  };
  return {
    update(p) {
      if (current && current.input !== p.input) {
        if (tty) stream.write('\n');
        else stream.write(`imported ${current.records} records from ${current.input}\n`);
      }
      current = p;
      if (!tty) return;
      const now = Date.now();
      if (now - last < 80 && p.done < p.total) return;
      last = now;
      draw(p);
    },
    done() {
      if (!current) return;
      if (tty) {
        draw(current);
        stream.write('\n');
      } else stream.write(`imported ${current.records} records from ${current.input}\n`);
      current = null;
    },
  };
}
