// `mamori backup --out FILE` and `mamori restore ARCHIVE` (DATA_DIR and DATABASE_URL name the shop).
// Exit codes: 0 done; 1 refused (archive does not match its manifest, target not empty, output
// exists, wrong engine); 2 usage, configuration or infrastructure error (pg_dump missing, I/O).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configFromEnvironment } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { createBackup } from './create-backup.ts';
import { restoreBackup } from './restore-backup.ts';

export const BACKUP_HELP = `usage: mamori backup --out <file>

Writes one archive (POSIX tar) of the shop named by DATA_DIR and DATABASE_URL while it runs:
the database (SQLite: online backup API; PostgreSQL: pg_dump custom format), DATA_DIR/media,
the audit anchors file and the admin TOTP key file, with MANIFEST.json and SHA256SUMS.
The archive holds personal data and a key: it is written 0600; store it encrypted, off the machine.
Exit codes: 0 written, 1 refused (the file exists), 2 error.
`;

export const RESTORE_HELP = `usage: mamori restore <archive>

Checks every file of the archive against its manifest's SHA-256 sums, then restores it into the
empty DATA_DIR and the empty database of DATABASE_URL (same engine as the backup), and verifies
the restored audit chain against the restored anchors. Never overwrites: a non-empty target is refused.
Exit codes: 0 restored and the audit chain verifies, 1 refused or the chain does not verify, 2 error.
`;

const BackupArgs = z.object({ out: z.string().min(1, { error: '--out <file> is required' }) });

export interface BackupCliIo { out(text: string): void; err(text: string): void }
const stdio: BackupCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function runBackupCommand(args: string[], io: BackupCliIo = stdio): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    io.err(`mamori backup: ${(err as Error).message}\n\n${BACKUP_HELP}`);
    return 2;
  }
  if (values.help) { io.out(BACKUP_HELP); return 0; }
  const parsed = BackupArgs.safeParse({ out: values.out ?? '' });
  if (!parsed.success) { io.err(`mamori backup: ${parsed.error.issues[0]!.message}\n\n${BACKUP_HELP}`); return 2; }
  const config = configFromEnvironment();
  const result = await createBackup({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, mediaDir: config.mediaDir }, parsed.data.out);
  if (!result.ok) { io.err(`mamori backup: ${result.detail}\n`); return 1; }
  const m = result.manifest;
  io.out(`backup written: ${result.file} (${result.bytes} bytes, ${m.files.length} files, ${m.engine}, snapshot ${m.snapshotAt}, audit head #${m.auditHead.id})\n`);
  return 0;
}

export async function runRestoreCommand(args: string[], io: BackupCliIo = stdio): Promise<number> {
  let positionals;
  let values;
  try {
    ({ values, positionals } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    io.err(`mamori restore: ${(err as Error).message}\n\n${RESTORE_HELP}`);
    return 2;
  }
  if (values.help) { io.out(RESTORE_HELP); return 0; }
  if (positionals.length !== 1) { io.err(`mamori restore: name one archive\n\n${RESTORE_HELP}`); return 2; }
  const config = configFromEnvironment();
  const result = await restoreBackup(positionals[0]!, { dataDir: config.dataDir, databaseUrl: config.databaseUrl, mediaDir: config.mediaDir });
  if (!result.ok) { io.err(`mamori restore: refused (${result.error}): ${result.detail}\n`); return 1; }
  const db = openDatabase(config.databaseUrl);
  try {
    const chain = await verifyAuditChain(db.db, { anchorsFile: defaultAuditAnchorsFile(config.dataDir) });
    const head = result.manifest.auditHead;
    if (!chain.ok) { io.err(`mamori restore: restored, but the audit chain does not verify: ${chain.reason} at #${chain.firstBadId}: ${chain.detail}\n`); return 1; }
    if (chain.head.id !== head.id || chain.head.hash !== head.hash) { io.err(`mamori restore: restored, but the audit head #${chain.head.id} is not the manifest's #${head.id}\n`); return 1; }
    io.out(`restored ${result.files} files (${result.manifest.engine}, snapshot ${result.manifest.snapshotAt}); audit chain verifies: ${chain.entries} entries, head #${chain.head.id}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
