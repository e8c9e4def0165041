// npm run audit:verify — walks the audit log's hash chain (and the anchors file) and reports the
// first entry where it breaks. Uses the shop's own configuration (DATABASE_URL, DATA_DIR).
// Exit status: 0 intact, 1 broken (tampering or loss), 2 could not check (config, database).
//   --anchors <file>  anchors to compare against (default: <DATA_DIR>/audit-anchors.log)
//   --no-anchors      chain only (a cut-off tail then goes unnoticed)
//   --json            print the result as JSON
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { defaultAuditAnchorsFile } from '../src/audit/audit-anchors.ts';
import { verifyAuditChain, type AuditChainVerification } from '../src/audit/verify-audit-chain.ts';

const EXIT_OK = 0;
const EXIT_BROKEN = 1;
const EXIT_ERROR = 2;

function describe(result: AuditChainVerification): string[] {
  const lines: string[] = [];
  if (result.ok) {
    lines.push(`audit log intact: ${result.entries} entries, head #${result.head.id} ${result.head.hash}`);
  } else {
    lines.push(`audit log BROKEN at entry #${result.firstBadId}: ${result.reason}`, `  ${result.detail}`, `  (${result.entriesChecked} entries before it verified)`);
  }
  const a = result.anchors;
  if (!a) lines.push('anchors: not checked (--no-anchors); a cut-off tail cannot be detected');
  else if (!a.found) lines.push(`anchors: WARNING no anchors file at ${a.file}; a cut-off tail cannot be detected`);
  else lines.push(`anchors: ${a.checked} matched in ${a.file}${a.malformedLines ? `, ${a.malformedLines} malformed line(s) skipped` : ''}`);
  return lines;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { anchors: { type: 'string' }, 'no-anchors': { type: 'boolean' }, json: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    console.error(`audit:verify: ${(err as Error).message}`);
    return EXIT_ERROR;
  }
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    console.error(`audit:verify: invalid configuration:\n  ${loaded.errors.join('\n  ')}`);
    return EXIT_ERROR;
  }
  const { databaseUrl, dataDir } = loaded.config;
  const isPostgresUrl = /^postgres(ql)?:\/\//.test(databaseUrl);
  // Opening a SQLite path that does not exist would create an empty database and "verify" it.
  const sqliteFile = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : databaseUrl;
  if (!isPostgresUrl && !existsSync(sqliteFile)) {
    console.error(`audit:verify: no database at ${sqliteFile}`);
    return EXIT_ERROR;
  }
  const anchorsFile = args['no-anchors'] ? undefined : (args.anchors ?? defaultAuditAnchorsFile(dataDir));

  const handle = openDatabase(databaseUrl);
  try {
    const result = await verifyAuditChain(handle.db, anchorsFile === undefined ? {} : { anchorsFile });
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else for (const line of describe(result)) console.log(line);
    return result.ok ? EXIT_OK : EXIT_BROKEN;
  } catch (err) {
    // Never a stack trace: the message says enough (no connection, no audit_log table yet, …).
    console.error(`audit:verify: could not check the audit log: ${(err as Error).message}`);
    return EXIT_ERROR;
  } finally {
    await handle.close().catch(() => {});
  }
}

process.exitCode = await main();
