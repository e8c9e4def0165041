// `mamori advisories import <file|dir|zip>…`, `mamori advisories update`, `mamori advisories status`,
// `mamori advisories match <ecosystem> <name> <version>`.
import { parseArgs } from 'node:util';
import { AdvisoryInputError } from './errors.ts';
import { matchComponent } from './index.ts';
import { defaultAdvisoryDir, importAdvisories, readManifest } from './store.ts';
import { colorsFor, progressBar, severityColor, table } from './term.ts';
import { DEFAULT_SOURCES, OfflineError, updateAdvisories, type AdvisorySource } from './update.ts';

const HELP = `usage: mamori advisories <import|update|status|match> [options]

  import <file|dir|zip>…   import OSV records, CVE JSON 5 records, the Node.js core list,
                           directories of them, or osv.dev zip dumps into the store
  update                   download the sources configured in the policy (online only)
  status                   what the store holds and how old it is
  match <ecosystem> <name> <version>
                           which advisories apply to one component (e.g. generic openssl 1.0.1e)

options:
  --dir <dir>       advisory store (default ./data/advisories or MAMORI_ADVISORY_DIR)
  --policy <file>   policy whose advisories.sources \`update\` uses (default ./mamori.policy.json)
  --json            machine-readable output (status, match)
  -h, --help
exit codes: 0 done, 1 (match) advisories found, 2 usage, input error or offline`;

async function sourcesFromPolicy(policyPath?: string): Promise<AdvisorySource[]> {
  const { resolvePolicy } = await import('../policy/check.ts');
  const { policy } = resolvePolicy({ policyPath });
  return policy.advisories.sources.length ? policy.advisories.sources : DEFAULT_SOURCES;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { dir: { type: 'string' }, policy: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`mamori advisories: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    (values.help ? process.stdout : process.stderr).write(HELP + '\n');
    return values.help ? 0 : 2;
  }
  const dir = values.dir ?? defaultAdvisoryDir();
  const err = colorsFor(process.stderr);
  const out = colorsFor(process.stdout);

  if (sub === 'import') {
    if (rest.length === 0) {
      process.stderr.write('mamori advisories import: name at least one file, directory or zip\n');
      return 2;
    }
    const bar = progressBar();
    try {
      const r = await importAdvisories(rest, { dir, progress: bar.update });
      bar.done();
      process.stdout.write(`imported ${r.imported} records from ${r.inputs.length} input(s); the store at ${r.dir} now holds ${r.total} advisories (updated ${r.manifest.updatedAt})\n`);
      return 0;
    } catch (e) {
      bar.done();
      if (e instanceof AdvisoryInputError) {
        process.stderr.write(`${err.red('mamori advisories import:')} ${e.message}\nnothing was imported.\n`);
        return 2;
      }
      throw e;
    }
  }

  if (sub === 'update') {
    let sources: AdvisorySource[];
    try {
      sources = await sourcesFromPolicy(values.policy);
    } catch (e) {
      process.stderr.write(`mamori advisories update: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const bar = progressBar();
    try {
      const outcomes = await updateAdvisories(sources, { dir, progress: bar.update, log: (l) => process.stderr.write(`${l}\n`) });
      bar.done();
      for (const o of outcomes) {
        process.stdout.write(o.ok ? `${out.green('✓')} ${o.source.name}: ${o.records} records\n` : `${out.red('✗')} ${o.source.name}: ${o.error}\n`);
      }
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length) {
        process.stderr.write(`mamori advisories update: ${failed.length} of ${outcomes.length} source(s) failed; the data from them was not updated\n`);
        return 2;
      }
      return 0;
    } catch (e) {
      bar.done();
      if (e instanceof OfflineError) {
        process.stderr.write(`${err.red('mamori advisories update:')} ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }

  if (sub === 'status') {
    const m = await readManifest(dir);
    if (values.json) {
      process.stdout.write(JSON.stringify({ dir, manifest: m }, null, 2) + '\n');
      return 0;
    }
    if (!m) {
      process.stdout.write(`no advisory data in ${dir}: run mamori advisories import <file|dir|zip> or mamori advisories update\n`);
      return 0;
    }
    const ageH = (Date.now() - Date.parse(m.updatedAt)) / 3_600_000;
    process.stdout.write(`${dir}: ${m.count} advisories, updated ${m.updatedAt} (${ageH.toFixed(1)} hours ago)\n`);
    process.stdout.write(table(m.sources.map((s) => [s.kind, String(s.records), s.importedAt, s.input]), ['kind', 'records', 'imported', 'source']) + '\n');
    return 0;
  }

  if (sub === 'match') {
    const [ecosystem, name, version] = rest;
    if (!ecosystem || !name || !version) {
      process.stderr.write('usage: mamori advisories match <ecosystem> <name> <version>   (e.g. generic openssl 1.0.1e, npm minimist 1.2.5)\n');
      return 2;
    }
    const findings = await matchComponent({ ecosystem, name, version }, { dir });
    if (values.json) process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
    else if (!findings.length) process.stdout.write(`no advisory in ${dir} (and the Node.js core list) applies to ${ecosystem} ${name} ${version}\n`);
    else
      process.stdout.write(
        table(
          findings.map((f) => [severityColor(out, f.severity)(`${f.severity}${f.score !== undefined ? ` ${f.score}` : ''}`), [f.advisory.id, ...f.advisory.aliases].join(' '), f.fixed.join(', ') || '-', f.hint]),
          ['severity', 'advisory', 'fixed', 'what to do'],
        ) + '\n',
      );
    return findings.length ? 1 : 0;
  }

  process.stderr.write(`mamori advisories: unknown sub-command '${sub}'\n\n${HELP}\n`);
  return 2;
}
