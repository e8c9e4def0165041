// `mamori integrity baseline|verify|approve [--format table|json]`
// Exit codes (external checks rely on them): 0 the installation matches its manifest (or the
// baseline / approval was written), 1 changes listed or the manifest itself was tampered with,
// 2 could not check (no baseline yet, key missing or refused, usage, database). verify opens the
// database too: the audit log holds the approved manifest's SHA-256 and the integrity history.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { configFromEnvironment, type ShopConfig } from '../config/config.ts';
import { ensurePrivateDataDir } from '../db/data-dir-permissions.ts';
import { describeFinding } from './compare-manifest.ts';
import { approveInstallation, integritySubject, recordApprovalResult, recordFirstBaseline, verifyInstallation, type VerifyOutcome } from './check-integrity.ts';

export const INTEGRITY_HELP = `usage: mamori integrity baseline|verify|approve [--quick] [--format table|json]

Checks the installed code and static files (src/, paygate/, platform/, public/, bin/,
package.json, package-lock.json, node_modules/), DATA_DIR/media and the effective configuration
(secrets as keyed fingerprints) against a manifest in DATA_DIR authenticated with HMAC-SHA-256;
the key is INTEGRITY_KEY_FILE (outside DATA_DIR, 0600, created at the first baseline).

  baseline      record the first manifest (refused when one, or its key, exists: use approve)
  verify        list added, changed and removed files, possible web shells and changed settings
  approve       re-baseline after a deploy; the audit log records who (cli:<user>) and every change
  --quick       verify: do not re-read files whose size, mtime, ctime and inode are unchanged
                (a rewrite moves ctime; only root can set it back); default reads every file
  --format <f>  table (default) or json
  -h, --help    this text

Run it with the shop's environment (DATA_DIR, DATABASE_URL, INTEGRITY_*), or settings differ.
Exit codes: 0 matches, 1 changes found or the manifest was tampered with, 2 could not check.
`;

const ArgsSchema = z.object({ command: z.enum(['baseline', 'verify', 'approve']), format: z.enum(['table', 'json']).default('table') });

export interface IntegrityCliDeps {
  config: () => ShopConfig;
  openDb: () => Promise<{ db: Kysely<any>; close(): Promise<void> }>;
  operator: () => string;
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => Date;
}

function defaultDeps(): IntegrityCliDeps {
  return {
    config: () => configFromEnvironment(),
    openDb: async () => {
      const { openDatabase } = await import('../db/database.ts');
      // The audit table comes with the shop's migrations; a CLI does not migrate behind the shop's back.
      return openDatabase(configFromEnvironment().databaseUrl);
    },
    operator: () => `cli:${os.userInfo().username}`,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    clock: () => new Date(),
  };
}

export function exitCodeOf(outcome: VerifyOutcome['outcome']): number {
  return outcome === 'clean' ? 0 : outcome === 'changed' || outcome === 'tampered' ? 1 : 2;
}

function verifyJson(v: VerifyOutcome): unknown {
  switch (v.outcome) {
    case 'clean':
    case 'changed':
      return {
        outcome: v.outcome, baseline: { trust: v.manifest.trust, recordedBy: v.manifest.recordedBy, createdAt: v.manifest.createdAt },
        filesChecked: v.filesChecked, filesRead: v.filesRead, durationMs: v.durationMs, findings: v.comparison.findings, uploads: v.comparison.uploads, mediaRemoved: v.comparison.mediaRemoved,
      };
    default:
      return v;
  }
}

function verifyTable(v: VerifyOutcome): string {
  switch (v.outcome) {
    case 'clean':
      return `The installation matches the ${v.manifest.trust} baseline of ${v.manifest.createdAt} (${v.filesChecked} files, ${v.durationMs} ms).\n`
        + (v.comparison.uploads.length ? `${v.comparison.uploads.length} valid image upload(s) since the baseline.\n` : '')
        + (v.manifest.trust === 'trust-on-first-use' ? 'The baseline was recorded on trust: check the installation and run `mamori integrity approve`.\n' : '');
    case 'changed': {
      const lines = v.comparison.findings.map((f) => `  ${f.pausesCheckout ? '!' : ' '} ${describeFinding(f)}`);
      return `${v.comparison.findings.length} change(s) since the ${v.manifest.trust} baseline of ${v.manifest.createdAt} (${v.filesChecked} files, ${v.durationMs} ms); ! = pauses card checkout:\n${lines.join('\n')}\n`
        + (v.comparison.uploads.length ? `${v.comparison.uploads.length} valid image upload(s) since the baseline (not changes).\n` : '');
    }
    case 'tampered':
      return `The manifest cannot be trusted (${v.problem}): ${v.detail}\nTreat the installation as changed: restore it from a known-good copy, then run \`mamori integrity approve\`.\n`;
    case 'no-baseline':
      return 'No baseline yet: run `mamori integrity baseline` (the shop records one on trust at its first start).\n';
    case 'failed':
      return `Could not check (${v.error}): ${v.detail}\n`;
  }
}

export async function run(args: string[], overrides: Partial<IntegrityCliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    deps.err(`mamori integrity: ${err instanceof Error ? err.message : String(err)}\n\n${INTEGRITY_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    deps.out(INTEGRITY_HELP);
    return 0;
  }
  const checked = ArgsSchema.safeParse({ command: parsed.positionals[0], format: parsed.values.format });
  if (!checked.success || parsed.positionals.length !== 1) {
    const why = checked.success ? 'one command: baseline, verify or approve' : checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    deps.err(`mamori integrity: ${why}\n\n${INTEGRITY_HELP}`);
    return 2;
  }
  const { command, format } = checked.data;
  let config: ShopConfig;
  try {
    config = deps.config();
    ensurePrivateDataDir(config.dataDir);
  } catch (err) {
    deps.err(`mamori integrity: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const subject = integritySubject(config, deps.clock);

  let handle: Awaited<ReturnType<IntegrityCliDeps['openDb']>>;
  try {
    handle = await deps.openDb();
  } catch (err) {
    deps.err(`mamori integrity: cannot open the database for the audit log: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    if (command === 'verify') {
      // With the database: a deleted baseline is tampering once it has integrity history, and the
      // manifest must be the one the audit log last approved.
      const v = await verifyInstallation(subject, { quick: parsed.values.quick === true, db: handle.db });
      if (format === 'json') deps.out(JSON.stringify(verifyJson(v), null, 2) + '\n');
      else (v.outcome === 'failed' || v.outcome === 'no-baseline' ? deps.err : deps.out)(verifyTable(v));
      return exitCodeOf(v.outcome);
    }
    const actor = deps.operator();
    if (command === 'baseline') {
      const first = await recordFirstBaseline(subject, 'approved', actor, handle.db);
      if (!first.ok) {
        deps.err(`mamori integrity: ${first.detail}\n`);
        return 2;
      }
      const summary = { outcome: 'baseline-recorded', files: Object.keys(first.manifest.files).length, packages: Object.keys(first.manifest.packages).length, media: Object.keys(first.manifest.media).length, manifest: subject.paths.manifestFile, keyFile: subject.paths.keyFile };
      deps.out(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : `Baseline recorded: ${summary.files} files (${summary.packages} packages), ${summary.media} media files.\nManifest ${summary.manifest}; key ${summary.keyFile} (keep it apart from DATA_DIR and its backups).\n`);
      return 0;
    }
    const approved = await approveInstallation(handle.db, subject, { id: actor });
    if (!approved.ok) {
      deps.err(`mamori integrity: ${approved.detail}\n`);
      return 2;
    }
    await recordApprovalResult(handle.db, approved, deps.clock());
    const summary = { outcome: 'approved', by: actor, files: Object.keys(approved.manifest.files).length, replaced: approved.replaced.outcome, changes: approved.changes };
    deps.out(format === 'json' ? JSON.stringify(summary, null, 2) + '\n'
      : `Approved as ${actor}: ${summary.files} files. The previous baseline was ${summary.replaced}; ${approved.changes.length} change(s) accepted${approved.changes.length ? ':\n' + approved.changes.map((c) => `  ${c}`).join('\n') : '.'}\nCard payments paused by an integrity alert stay paused until an owner resumes them.\n`);
    return 0;
  } finally {
    await handle.close();
  }
}
