// Data directories hold personal data (the shop) and merchant secrets (the gateway): only the
// account that runs the process may read them. A world-readable gateway WAL once let a local
// user read the merchant HMAC secret and forge a "captured" notification.
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

const GROUP_OR_OTHER = 0o077;
const enforced = process.platform !== 'win32';

export class LoosePermissionsError extends Error {
  readonly code = 'MAMORI_ERR_LOOSE_PERMISSIONS';
  constructor(readonly target: string, readonly mode: number, readonly fix: string) {
    super(`${target} is readable or writable by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): run \`${fix}\` and start again`);
  }
}

/**
 * Files this process creates from now on get no group/other bits (0600 files, 0700 folders),
 * whatever module creates them. Worker threads cannot change the umask; their parent does.
 */
export function restrictUmask(): void {
  if (!enforced || !isMainThread) return;
  process.umask(process.umask() | GROUP_OR_OTHER);
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Creates `dir` (mode 0700) or checks an existing one. An existing directory open to others is
 * refused, not silently fixed: its contents may already have been read, which the operator
 * should know.
 */
export function ensurePrivateDirectory(dir: string): void {
  const abs = path.resolve(dir);
  const st = statOrUndefined(abs);
  if (!st) {
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    if (enforced) chmodSync(abs, 0o700); // the umask may have masked less than asked
    return;
  }
  if (!st.isDirectory()) throw new Error(`${abs} is not a directory`);
  if (enforced && (st.mode & GROUP_OR_OTHER) !== 0) throw new LoosePermissionsError(abs, st.mode, `chmod 700 ${abs}`);
}

/**
 * Creates an empty `file` with mode 0600 (SQLite then gives its -wal and -shm files the same
 * mode) or checks an existing one, refusing it when group or others may read or write it.
 */
export function ensurePrivateFile(file: string): void {
  const abs = path.resolve(file);
  const st = statOrUndefined(abs);
  if (!st) {
    closeSync(openSync(abs, 'a', 0o600));
    if (enforced) chmodSync(abs, 0o600);
    return;
  }
  if (enforced && (st.mode & GROUP_OR_OTHER) !== 0) throw new LoosePermissionsError(abs, st.mode, `chmod 600 ${abs}*`);
}

/** Refuses an existing file open to group or others (a missing one is fine). */
export function refuseIfOpenToOthers(file: string, fix = `chmod 600 ${path.resolve(file)}`): void {
  const st = statOrUndefined(path.resolve(file));
  if (st && enforced && (st.mode & GROUP_OR_OTHER) !== 0) throw new LoosePermissionsError(path.resolve(file), st.mode, fix);
}
