// `mamori backup`: the database (consistent while the shop runs), the media, the audit anchors and
// the TOTP key file into one ustar archive with a manifest of SHA-256 sums. Order matters:
//   1. the anchors file first: every anchor in it then describes rows committed before step 2, so
//      the restored chain never looks cut off (an anchor past the table's end would say so);
//   2. the database snapshot (SQLite: the online backup API; PostgreSQL: pg_dump -Fc on an
//      exported snapshot, the same snapshot the manifest's audit head is read from);
//   3. the media after the snapshot: an image the snapshot names was written before it.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { GENESIS_HASH } from '../audit/audit-entry-hash.ts';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { totpKeyFile } from '../admin/totp-secret-box.ts';
import { ANCHORS_ENTRY, MANIFEST_ENTRY, MEDIA_PREFIX, PG_DUMP_ENTRY, SHA256SUMS_ENTRY, SQLITE_ENTRY, TOTP_KEY_ENTRY, sha256SumsText, type BackupManifest } from './backup-manifest.ts';
import { finishUstar, writeUstarBuffer, writeUstarFile } from './ustar.ts';

const run = promisify(execFile);

/** pg-boss's schema (src/jobs/pg-boss-scheduler.ts PG_BOSS_SCHEMA; importing it here is an import cycle, a test keeps them equal). */
export const QUEUE_SCHEMA = 'pgboss';

export interface BackupSource {
  dataDir: string;
  databaseUrl: string;
  /** MEDIA_DIR (shared by every instance); DATA_DIR/media when not given. */
  mediaDir?: string;
}

export type CreateBackupResult =
  | { ok: true; file: string; manifest: BackupManifest; bytes: number }
  | { ok: false; error: 'OUTPUT_EXISTS'; detail: string };

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/**
 * pg_dump / pg_restore arguments for a connection URL: the password goes in PGPASSWORD, never on
 * the command line, where every local user could read it in the process list.
 */
export function pgClientConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

export function pgToolEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGPASSFILE']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

async function sqliteSnapshot(databaseFile: string, target: string): Promise<{ auditHead: { id: number; hash: string } }> {
  const source = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step: one read transaction, so concurrent writers cannot make the copy
    // restart (SQLite restarts a stepwise backup whenever another connection writes).
    await source.backup(target, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new SQLite(target, { readonly: true, fileMustExist: true });
  try {
    const head = copy.prepare('select id, hash from audit_log order by id desc limit 1').get() as { id: number; hash: string } | undefined;
    return { auditHead: head ?? { id: 0, hash: GENESIS_HASH } };
  } finally {
    copy.close();
  }
}

async function postgresSnapshot(url: string, target: string): Promise<{ auditHead: { id: number; hash: string } }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // pg_dump --snapshot reads exactly what this transaction sees, so the audit head recorded in
    // the manifest is the dump's own.
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const head = (await client.query<{ id: number; hash: string }>('select id, hash from audit_log order by id desc limit 1')).rows[0];
    const { dbname, env } = pgClientConnection(url);
    // pg-boss's schema is left out: it is the old server's queue state, recreated on start.
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--exclude-schema=${QUEUE_SCHEMA}`, `--file=${target}`, `--dbname=${dbname}`], { env: pgToolEnv(env) })
      .catch((err: NodeJS.ErrnoException & { stderr?: string }) => {
        if (err.code === 'ENOENT') throw new Error('pg_dump not found: install the PostgreSQL client (Debian: apt-get install postgresql-client, the same major version as the server or newer)');
        throw new Error(`pg_dump failed: ${err.stderr?.trim() || err.message}`);
      });
    await client.query('commit');
    return { auditHead: head ? { id: Number(head.id), hash: head.hash } : { id: 0, hash: GENESIS_HASH } };
  } finally {
    await client.end();
  }
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) out.push(r); // symlinks and sockets are not media; never followed
  }
  return out;
}

/** Writes the archive to `outFile` (refusing to overwrite one), via a temporary name renamed at the end. */
export async function createBackup(source: BackupSource, outFile: string, now: () => Date = () => new Date()): Promise<CreateBackupResult> {
  const out = path.resolve(outFile);
  if (existsSync(out)) return { ok: false, error: 'OUTPUT_EXISTS', detail: `${out} exists; a backup never overwrites a file` };
  await fs.mkdir(path.dirname(out), { recursive: true, mode: 0o700 });
  const staging = await fs.mkdtemp(path.join(path.dirname(out), '.mamori-backup-'));
  const partial = `${out}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const createdAt = now();
    const files: BackupManifest['files'] = [];
    const stream = createWriteStream(partial, { mode: 0o600, flags: 'wx' });
    const closed = new Promise<void>((resolve, reject) => { stream.on('close', resolve); stream.on('error', reject); });
    closed.catch(() => {}); // awaited below; a write error also surfaces from the writes themselves
    const add = async (name: string, file: string) => {
      const { size, mtime } = await fs.stat(file);
      const hash = createHash('sha256');
      await writeUstarFile(stream, name, file, size, mtime, (chunk) => hash.update(chunk));
      files.push({ path: name, size, sha256: hash.digest('hex') });
    };

    // 1. anchors (copied first, see the top of this file)
    const anchors = defaultAuditAnchorsFile(source.dataDir);
    if (existsSync(anchors)) {
      const copy = path.join(staging, 'anchors');
      await fs.copyFile(anchors, copy);
      await add(ANCHORS_ENTRY, copy);
    }
    // 2. database
    const engine = isPostgresUrl(source.databaseUrl) ? 'postgres' : 'sqlite';
    const snapshotAt = now();
    const dbCopy = path.join(staging, 'database');
    const { auditHead } = engine === 'postgres'
      ? await postgresSnapshot(source.databaseUrl, dbCopy)
      : await sqliteSnapshot(source.databaseUrl.replace(/^sqlite:/, ''), dbCopy);
    await add(engine === 'postgres' ? PG_DUMP_ENTRY : SQLITE_ENTRY, dbCopy);
    // 3. media, then the TOTP key (without it no admin could pass MFA on the restored shop)
    const mediaDir = source.mediaDir ?? path.join(source.dataDir, 'media');
    for (const rel of await listFiles(mediaDir)) await add(`${MEDIA_PREFIX}${rel}`, path.join(mediaDir, rel));
    if (existsSync(totpKeyFile(source.dataDir))) await add(TOTP_KEY_ENTRY, totpKeyFile(source.dataDir));

    const manifest: BackupManifest = {
      format: 'mamori-backup', version: 1, createdAt: createdAt.toISOString(), engine,
      snapshotAt: snapshotAt.toISOString(), auditHead, files,
    };
    await writeUstarBuffer(stream, SHA256SUMS_ENTRY, Buffer.from(sha256SumsText(manifest)), createdAt);
    await writeUstarBuffer(stream, MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), createdAt);
    await finishUstar(stream);
    stream.end();
    await closed;
    const handle = await fs.open(partial, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
    await fs.rename(partial, out);
    return { ok: true, file: out, manifest, bytes: (await fs.stat(out)).size };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.rm(partial, { force: true });
  }
}
