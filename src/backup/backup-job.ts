// The scheduled backup (BACKUP_INTERVAL_HOURS, into BACKUP_DIR, keeping BACKUP_KEEP archives). On
// PostgreSQL the shop's scheduler runs each slot once across instances (pg-boss), so N instances
// still write one archive per slot. A failure is recorded as a failed run (status page) and logged.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JobDefinition } from '../jobs/job-definition.ts';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { createBackup } from './create-backup.ts';

export const BACKUP_JOB = 'backup';
const NAME = /^mamori-backup-\d{8}T\d{6}Z\.tar$/;

export function backupFileName(at: Date): string {
  return `mamori-backup-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.tar`;
}

/** Deletes all but the newest `keep` scheduled archives in `dir` (other files are left alone). */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => NAME.test(n)).sort().reverse();
  const removed = names.slice(keep);
  for (const name of removed) await fs.rm(path.join(dir, name), { force: true });
  return removed;
}

export async function runScheduledBackup(shop: ShopContext, log: ShopLogger): Promise<{ file: string; removed: string[] }> {
  const { dir, keep } = shop.config.backup;
  const at = shop.clock();
  const result = await createBackup({ dataDir: shop.config.dataDir, databaseUrl: shop.config.databaseUrl, mediaDir: shop.config.mediaDir }, path.join(dir, backupFileName(at)), shop.clock);
  // The same slot twice (a retried run after a crash between rename and the run's record): the archive exists.
  const file = result.ok ? result.file : path.join(dir, backupFileName(at));
  const removed = await pruneBackups(dir, keep);
  log.info({ backup: file, bytes: result.ok ? result.bytes : undefined, removed }, 'backup written');
  return { file, removed };
}

export function backupJob(shop: ShopContext, log: ShopLogger): JobDefinition | undefined {
  if (shop.config.backup.intervalMs === 0) return undefined;
  return {
    name: BACKUP_JOB,
    schedule: { everyMs: shop.config.backup.intervalMs },
    timeoutMs: 2 * 3_600_000,
    async run() { await runScheduledBackup(shop, log); },
  };
}
