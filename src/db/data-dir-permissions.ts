// The shop's DATA_DIR holds the database (personal data), the outbox's e-mails, keys, the
// audit anchors and uploads: 0700 for the folder and 0600 for every file in it. Called first
// thing at start-up, before anything is written there.
import { ensurePrivateDirectory, ensurePrivateFile, refuseIfOpenToOthers, restrictUmask } from '../../platform/private-files.ts';

export { LoosePermissionsError } from '../../platform/private-files.ts';

/** Sets the process umask to 077, creates DATA_DIR 0700 or refuses one open to other users. */
export function ensurePrivateDataDir(dataDir: string): void {
  restrictUmask();
  ensurePrivateDirectory(dataDir);
}

/** For an SQLite database file (anywhere, DATA_DIR or not): created 0600, or refused when open to others. */
export function ensurePrivateDatabaseFile(file: string): void {
  ensurePrivateFile(file);
  // Left over from a start before this check: SQLite reuses them with the mode they have.
  for (const side of ['-wal', '-shm']) refuseIfOpenToOthers(file + side, `chmod 600 ${file}*`);
}
