// `mamori check [--sbom <cyclonedx.json>] [--policy <file>] [--advisories <file|dir>]… [--format table|json|sarif]`
// The command a deploy pipeline runs. Exit codes: 0 all clear, 1 findings or policy violated,
// 2 usage or input error (bad policy, unreadable SBOM, malformed advisory file).
import { configFromEnvironment } from '../config/config.ts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdvisoryInputError } from '../advisories/errors.ts';
import { progressBar } from '../advisories/term.ts';
import { openDatabaseHandle } from '../inventory/cli.ts';
import { SbomInputError } from '../inventory/cyclonedx.ts';
import { CheckInputError, runCheck, type CheckResult } from './check.ts';
import { formatCheckTable } from './report.ts';
import { toSarif } from './sarif.ts';
import { PolicyError } from './schema.ts';

const HELP = `usage: mamori check [options]

The deploy gate: inventory (this system, or --sbom) + advisories + policy.

options:
  --sbom <file>             judge a CycloneDX JSON SBOM (e.g. a vendor's server) instead of this system
  --policy <file>           policy file (default ./mamori.policy.json)
  --advisories <path>       advisory file, directory, zip or store directory; repeatable
                            (default: the store in ./data/advisories or MAMORI_ADVISORY_DIR)
  --format table|json|sarif output format (default table)
  --output <file>           write the report to a file (the exit code is unchanged)
  --database <url>          include the database engine version (DATABASE_URL when set)
  -h, --help
exit codes: 0 all clear, 1 findings or policy violated, 2 usage or input error`;

export function checkJson(r: CheckResult): string {
  return JSON.stringify(r, null, 2);
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        sbom: { type: 'string' },
        policy: { type: 'string' },
        advisories: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' },
        output: { type: 'string', short: 'o' },
        database: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`mamori check: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'sarif') {
    process.stderr.write(`mamori check: --format must be table, json or sarif (got ${format})\n`);
    return 2;
  }
  let result: CheckResult;
  const bar = progressBar();
  const db = values.sbom ? undefined : await openDatabaseHandle(values.database ?? configFromEnvironment().databaseUrl).catch(() => undefined);
  try {
    result = await runCheck({ policyPath: values.policy, sbom: values.sbom, advisoryInputs: values.advisories, database: db, progress: bar.update });
    bar.done();
  } catch (err) {
    bar.done();
    if (err instanceof PolicyError || err instanceof SbomInputError || err instanceof AdvisoryInputError || err instanceof CheckInputError) {
      process.stderr.write(`mamori check: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await db?.close();
  }
  const text = format === 'json' ? checkJson(result) : format === 'sarif' ? JSON.stringify(toSarif(result, { policyUri: values.policy ?? 'mamori.policy.json' }), null, 2) : formatCheckTable(result, values.output ? ({ isTTY: false } as NodeJS.WriteStream) : process.stdout);
  if (values.output) writeFileSync(values.output, text + '\n');
  else process.stdout.write(text + '\n');
  return result.exitCode;
}
