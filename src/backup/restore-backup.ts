// `mamori restore <archive>`: every byte is checked against the manifest before anything is
// written, and only into an empty target (a restore never merges into, or overwrites, a shop).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { totpKeyFile } from '../admin/totp-secret-box.ts';
import { ensurePrivateDirectory } from '../../platform/private-files.ts';
import { ANCHORS_ENTRY, BackupManifestSchema, MANIFEST_ENTRY, MEDIA_PREFIX, PG_DUMP_ENTRY, SHA256SUMS_ENTRY, SQLITE_ENTRY, TOTP_KEY_ENTRY, type BackupManifest } from './backup-manifest.ts';
import { isPostgresUrl, pgClientConnection, pgToolEnv, type BackupSource } from './create-backup.ts';
import { listUstarEntries, readUstarEntry, UstarFormatError, type UstarEntry } from './ustar.ts';

const run = promisify(execFile);

export type RestoreErrorCode = 'NOT_A_BACKUP' | 'MANIFEST_MISMATCH' | 'ENGINE_MISMATCH' | 'TARGET_NOT_EMPTY';

export type RestoreResult =
  | { ok: true; manifest: BackupManifest; files: number }
  | { ok: false; error: RestoreErrorCode; detail: string };

const fail = (error: RestoreErrorCode, detail: string): RestoreResult => ({ ok: false, error, detail });

async function sha256Of(handle: FileHandle, entry: UstarEntry): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readUstarEntry(handle, entry)) hash.update(chunk);
  return hash.digest('hex');
}

/** Reads and checks an archive without writing anything: the manifest, or why it is refused. */
export async function verifyBackupArchive(archive: string): Promise<{ ok: true; manifest: BackupManifest; entries: Map<string, UstarEntry> } | { ok: false; error: 'NOT_A_BACKUP' | 'MANIFEST_MISMATCH'; detail: string }> {
  const handle = await fs.open(archive, 'r');
  try {
    let list: UstarEntry[];
    try {
      list = await listUstarEntries(handle);
    } catch (err) {
      if (err instanceof UstarFormatError) return { ok: false, error: 'NOT_A_BACKUP', detail: err.message };
      throw err;
    }
    const entries = new Map<string, UstarEntry>();
    for (const e of list) {
      if (entries.has(e.name)) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `${e.name} appears twice in the archive` };
      entries.set(e.name, e);
    }
    const manifestEntry = entries.get(MANIFEST_ENTRY);
    if (!manifestEntry || manifestEntry.size > 16 * 1024 * 1024) return { ok: false, error: 'NOT_A_BACKUP', detail: `no ${MANIFEST_ENTRY}: not a Mamori backup` };
    const chunks: Buffer[] = [];
    for await (const c of readUstarEntry(handle, manifestEntry)) chunks.push(c);
    let parsed;
    try {
      parsed = BackupManifestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      return { ok: false, error: 'NOT_A_BACKUP', detail: `${MANIFEST_ENTRY} is not JSON` };
    }
    if (!parsed.success) return { ok: false, error: 'NOT_A_BACKUP', detail: `${MANIFEST_ENTRY}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const manifest = parsed.data;
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const name of entries.keys()) {
      if (name !== MANIFEST_ENTRY && name !== SHA256SUMS_ENTRY && !listed.has(name)) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `${name} is in the archive but not in its manifest` };
    }
    const dbEntry = manifest.engine === 'postgres' ? PG_DUMP_ENTRY : SQLITE_ENTRY;
    if (!listed.has(dbEntry)) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `the manifest lists no ${dbEntry}` };
    for (const f of manifest.files) {
      const entry = entries.get(f.path);
      if (!entry) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `${f.path} is in the manifest but missing from the archive` };
      if (entry.size !== f.size) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `${f.path}: ${entry.size} bytes, the manifest says ${f.size}` };
      const actual = await sha256Of(handle, entry);
      if (actual !== f.sha256) return { ok: false, error: 'MANIFEST_MISMATCH', detail: `${f.path}: SHA-256 ${actual}, the manifest says ${f.sha256}` };
    }
    return { ok: true, manifest, entries };
  } finally {
    await handle.close();
  }
}

async function dirIsEmpty(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

async function postgresTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
    return r.rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function extract(handle: FileHandle, entry: UstarEntry, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const out = createWriteStream(target, { mode: 0o600, flags: 'wx' });
  const closed = new Promise<void>((resolve, reject) => { out.on('close', resolve); out.on('error', reject); });
  for await (const chunk of readUstarEntry(handle, entry)) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await closed;
}

/** Restores into `target` (its DATA_DIR and DATABASE_URL), which must be empty. */
export async function restoreBackup(archive: string, target: BackupSource): Promise<RestoreResult> {
  const checked = await verifyBackupArchive(archive);
  if (!checked.ok) return checked;
  const { manifest, entries } = checked;
  const engine = isPostgresUrl(target.databaseUrl) ? 'postgres' : 'sqlite';
  if (engine !== manifest.engine) return fail('ENGINE_MISMATCH', `the archive holds a ${manifest.engine} database, DATABASE_URL names ${engine}; restore into the same engine (moving between engines is not supported)`);

  const dataDir = path.resolve(target.dataDir);
  const sqliteFile = engine === 'sqlite' ? path.resolve(target.databaseUrl.replace(/^sqlite:/, '')) : undefined;
  if (!(await dirIsEmpty(dataDir))) return fail('TARGET_NOT_EMPTY', `${dataDir} is not empty; restore into an empty DATA_DIR (a restore never overwrites a shop)`);
  if (sqliteFile && existsSync(sqliteFile) && (await fs.stat(sqliteFile)).size > 0) return fail('TARGET_NOT_EMPTY', `${sqliteFile} exists; restore into a new database file`);
  if (engine === 'postgres') {
    const tables = await postgresTables(target.databaseUrl);
    if (tables > 0) return fail('TARGET_NOT_EMPTY', `the database of DATABASE_URL has ${tables} tables; restore into a new, empty database (createdb)`);
  }

  ensurePrivateDirectory(dataDir);
  const handle = await fs.open(archive, 'r');
  try {
    for (const f of manifest.files) {
      const entry = entries.get(f.path)!;
      if (f.path === SQLITE_ENTRY) {
        if (sqliteFile && existsSync(sqliteFile)) await fs.rm(sqliteFile); // the empty file the check allowed
        await extract(handle, entry, sqliteFile!);
      } else if (f.path === PG_DUMP_ENTRY) {
        const dump = path.join(dataDir, `.restore-${randomBytes(4).toString('hex')}.pgdump`);
        await extract(handle, entry, dump);
        try {
          const { dbname, env } = pgClientConnection(target.databaseUrl);
          // One transaction: a failed restore leaves the database as empty as it was.
          await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, dump], { env: pgToolEnv(env) })
            .catch((err: NodeJS.ErrnoException & { stderr?: string }) => {
              if (err.code === 'ENOENT') throw new Error('pg_restore not found: install the PostgreSQL client (Debian: apt-get install postgresql-client)');
              throw new Error(`pg_restore failed: ${err.stderr?.trim() || err.message}`);
            });
        } finally {
          await fs.rm(dump, { force: true });
        }
      } else if (f.path === ANCHORS_ENTRY) {
        await extract(handle, entry, defaultAuditAnchorsFile(dataDir));
      } else if (f.path === TOTP_KEY_ENTRY) {
        await extract(handle, entry, totpKeyFile(dataDir));
      } else if (f.path.startsWith(MEDIA_PREFIX)) {
        await extract(handle, entry, path.join(target.mediaDir ? path.resolve(target.mediaDir) : path.join(dataDir, 'media'), ...f.path.slice(MEDIA_PREFIX.length).split('/')));
      }
    }
  } finally {
    await handle.close();
  }
  return { ok: true, manifest, files: manifest.files.length };
}
