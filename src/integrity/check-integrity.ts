// One verification of the installation against its manifest, a baseline, and an approval.
// The CLI, the scheduled job and the back office call these; alerting is the job's.
import type { Kysely } from 'kysely';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { latestWatchResult, recordWatchResult } from '../watch-results/watch-results.ts';
import type { ShopConfig } from '../config/config.ts';
import { compareWithManifest, describeFinding, type Comparison } from './compare-manifest.ts';
import { effectiveConfig, redactRecordedSetting } from './effective-config.ts';
import { defaultInstallRoot, hashDirectory, hashInstallation, packageDigests, type FileHashes } from './install-tree.ts';
import {
  createIntegrityKey, integrityPaths, manifestSha256, readIntegrityKey, readManifest, writeManifest,
  type BaselineTrust, type IntegrityPaths, type Manifest,
} from './manifest-store.ts';

export interface IntegritySubject {
  config: ShopConfig;
  /** The installation's root (INTEGRITY_ROOT, default this checkout). */
  root: string;
  paths: IntegrityPaths;
  clock: () => Date;
}

export function integritySubject(config: ShopConfig, clock: () => Date = () => new Date()): IntegritySubject {
  return { config, root: config.integrity.root ?? defaultInstallRoot(), paths: integrityPaths(config), clock };
}

interface Snapshot { files: FileHashes; stats: FileHashes; read: number; media: FileHashes; config: Record<string, string> }

function mediaDir(subject: IntegritySubject): string {
  return subject.config.mediaDir;
}

async function snapshot(subject: IntegritySubject, key: Buffer, reuse?: Manifest): Promise<Snapshot> {
  const tree = await hashInstallation(subject.root, reuse ? { files: reuse.files, stats: reuse.stats } : undefined);
  const media = await hashDirectory(mediaDir(subject), 'media');
  return { ...tree, media, config: effectiveConfig(subject.config, key) };
}

function resolveName(subject: IntegritySubject): (name: string) => string {
  return (name) => (name.startsWith('media/') ? path.join(mediaDir(subject), name.slice('media/'.length)) : path.join(subject.root, name));
}

/**
 * BASELINE_GONE: neither manifest nor key, but the database has integrity results or a baseline
 * entry (both were deleted). NOT_APPROVED: the manifest verifies but is not the one the newest
 * baseline/approval audit entry recorded (re-signed with a stolen key).
 */
export type ManifestProblem = 'BAD_HMAC' | 'MALFORMED' | 'NO_MANIFEST' | 'BASELINE_GONE' | 'NOT_APPROVED';

/** Audit actions that write a manifest; their `after.manifestSha256` is the approved manifest. */
const MANIFEST_AUDIT_ACTIONS = ['integrity.baseline_recorded', 'integrity.approved'];

/** SHA-256 of the newest baseline/approved manifest per the audit log: undefined when none was recorded (or an entry from before the hash was kept). */
async function approvedManifestSha256(db: Kysely<any>): Promise<{ entry: boolean; sha256?: string }> {
  const row = await db.selectFrom('audit_log').select('after_json').where('action', 'in', MANIFEST_AUDIT_ACTIONS)
    .orderBy('id', 'desc').limit(1).executeTakeFirst() as { after_json: string | null } | undefined;
  if (!row) return { entry: false };
  const after = row.after_json ? JSON.parse(row.after_json) as { manifestSha256?: unknown } : {};
  return typeof after.manifestSha256 === 'string' ? { entry: true, sha256: after.manifestSha256 } : { entry: true };
}

/**
 * Whether this database ever saw the integrity watcher: a recorded result or a baseline/approval
 * entry. A trust-on-first-use baseline is taken only where it did not: otherwise deleting both
 * the key and the manifest would make the next run trust whatever is installed.
 */
export async function integrityHistoryExists(db: Kysely<any>): Promise<boolean> {
  if (await latestWatchResult(db, 'integrity')) return true;
  return (await approvedManifestSha256(db)).entry;
}

export type VerifyOutcome =
  | { outcome: 'clean'; manifest: Manifest; comparison: Comparison; filesChecked: number; filesRead: number; durationMs: number }
  | { outcome: 'changed'; manifest: Manifest; comparison: Comparison; filesChecked: number; filesRead: number; durationMs: number }
  /**
   * The manifest fails authentication, or is gone while its key is there (so a baseline was
   * taken): an intruder may have rewritten it to hide a change. Never clean.
   */
  | { outcome: 'tampered'; problem: ManifestProblem; detail: string; durationMs: number }
  /** Neither a manifest nor a key: nothing was ever baselined here. */
  | { outcome: 'no-baseline'; durationMs: number }
  | { outcome: 'failed'; error: 'KEY_MISSING' | 'KEY_REFUSED' | 'CHECK_FAILED'; detail: string; durationMs: number };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Compares the installation with its manifest. `quick`: files whose lstat fingerprint (size,
 * mtime, ctime, inode) matches the manifest's are not read again — a rewrite moves ctime, which
 * no process can set back without root; the full check reads and hashes every file.
 */
export async function verifyInstallation(subject: IntegritySubject, opts: { quick?: boolean; db?: Kysely<any> } = {}): Promise<VerifyOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths);
  } catch (err) {
    return { outcome: 'failed', error: 'KEY_REFUSED', detail: errorText(err), durationMs: took() };
  }
  const manifestExists = existsSync(subject.paths.manifestFile);
  try {
    if (!key) {
      if (manifestExists) return { outcome: 'failed', error: 'KEY_MISSING', detail: `the manifest exists but its key ${subject.paths.keyFile} does not: restore the key, or approve a new baseline`, durationMs: took() };
      if (opts.db && await integrityHistoryExists(opts.db)) {
        return { outcome: 'tampered', problem: 'BASELINE_GONE', detail: `neither the manifest ${subject.paths.manifestFile} nor its key exists, but this database has integrity results: both were deleted`, durationMs: took() };
      }
      return { outcome: 'no-baseline', durationMs: took() };
    }
    const read = readManifest(subject.paths, key);
    if (!read.ok) {
      const detail = read.error === 'NO_MANIFEST' ? `the manifest ${subject.paths.manifestFile} is missing although its key exists (a baseline was taken): it was deleted` : read.detail;
      return { outcome: 'tampered', problem: read.error, detail, durationMs: took() };
    }
    if (opts.db) {
      let approved = await approvedManifestSha256(opts.db);
      // Read again once: an approval in progress writes the file before its audit entry commits.
      if (approved.sha256 && approved.sha256 !== read.sha256) approved = await approvedManifestSha256(opts.db);
      if (approved.sha256 && approved.sha256 !== read.sha256) {
        return { outcome: 'tampered', problem: 'NOT_APPROVED', detail: `the manifest verifies but is not the one last approved (audit log sha256 ${approved.sha256.slice(0, 16)}…, file ${read.sha256.slice(0, 16)}…): it was re-signed with the key`, durationMs: took() };
      }
    }
    // A manifest from before URL query strings were fingerprinted holds them in clear: compare (and show) them fingerprinted.
    const recordedConfig = Object.fromEntries(Object.entries(read.manifest.config).map(([name, value]) => [name, redactRecordedSetting(key!, name, value)]));
    const now = await snapshot(subject, key, opts.quick ? read.manifest : undefined);
    const comparison = await compareWithManifest({ ...read.manifest, config: recordedConfig }, { ...now, resolve: resolveName(subject) });
    const filesChecked = Object.keys(now.files).length + Object.keys(now.media).length;
    return { outcome: comparison.findings.length === 0 ? 'clean' : 'changed', manifest: read.manifest, comparison, filesChecked, filesRead: now.read + Object.keys(now.media).length, durationMs: took() };
  } catch (err) {
    return { outcome: 'failed', error: 'CHECK_FAILED', detail: errorText(err), durationMs: took() };
  }
}

async function buildManifest(subject: IntegritySubject, key: Buffer, trust: BaselineTrust, recordedBy: string): Promise<Manifest> {
  const now = await snapshot(subject, key);
  return {
    format: 'mamori-integrity/1', createdAt: subject.clock().toISOString(), trust, recordedBy, root: subject.root,
    files: now.files, stats: now.stats, packages: packageDigests(now.files), media: now.media, config: now.config,
  };
}

export type BaselineResult = { ok: true; manifest: Manifest } | { ok: false; error: 'BASELINE_EXISTS' | 'KEY_REFUSED'; detail: string };

/**
 * The first baseline: only where there is neither a manifest nor a key (a key without a manifest
 * means a manifest was deleted, and trusting the installation again would hide what changed) and
 * the database never saw an integrity result. Audited (with the manifest's SHA-256) in the same
 * transaction as the write. `db` undefined only for the benchmark's throw-away DATA_DIR: no history
 * check, no audit entry, so a later verify with the database cannot compare its hash.
 */
export async function recordFirstBaseline(subject: IntegritySubject, trust: BaselineTrust, recordedBy: string, db?: Kysely<any>): Promise<BaselineResult> {
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths);
  } catch (err) {
    return { ok: false, error: 'KEY_REFUSED', detail: errorText(err) };
  }
  if (key || existsSync(subject.paths.manifestFile)) {
    return { ok: false, error: 'BASELINE_EXISTS', detail: 'a baseline (or its key) exists already: use `mamori integrity approve` to replace it' };
  }
  if (db && await integrityHistoryExists(db)) {
    return { ok: false, error: 'BASELINE_EXISTS', detail: 'this database has integrity results although neither manifest nor key exists (both were deleted): use `mamori integrity approve`, audited' };
  }
  key = createIntegrityKey(subject.paths);
  const manifest = await buildManifest(subject, key, trust, recordedBy);
  if (!db) {
    writeManifest(subject.paths, key, manifest);
    return { ok: true, manifest };
  }
  await db.transaction().execute(async (trx) => {
    await appendAuditEntry(trx, {
      actor: recordedBy, action: 'integrity.baseline_recorded', target: 'integrity:manifest',
      after: { trust, files: Object.keys(manifest.files).length, media: Object.keys(manifest.media).length, manifestSha256: manifestSha256(manifest) },
      at: subject.clock(),
    });
    writeManifest(subject.paths, key!, manifest);
  });
  return { ok: true, manifest };
}

export type ApproveResult =
  | { ok: true; manifest: Manifest; replaced: VerifyOutcome; changes: string[] }
  | { ok: false; error: 'KEY_REFUSED'; detail: string };

/** Most changes an audit entry lists one by one; the counts are always complete. */
const AUDITED_CHANGES = 500;

/**
 * Approves the installation as it is now (after a deploy): a new manifest, and in the same
 * transaction an audit entry naming who approved and every change it accepts.
 */
export async function approveInstallation(db: Kysely<any>, subject: IntegritySubject, actor: { id: string; ip?: string }): Promise<ApproveResult> {
  const replaced = await verifyInstallation(subject, { db });
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths) ?? createIntegrityKey(subject.paths);
  } catch (err) {
    return { ok: false, error: 'KEY_REFUSED', detail: errorText(err) };
  }
  const manifest = await buildManifest(subject, key, 'approved', actor.id);
  const changes = approvedChanges(replaced);
  await db.transaction().execute(async (trx) => {
    await appendAuditEntry(trx, {
      actor: actor.id, action: 'integrity.approved', target: 'integrity:manifest', ...(actor.ip ? { ip: actor.ip } : {}),
      before: replaced.outcome === 'clean' || replaced.outcome === 'changed'
        ? { trust: replaced.manifest.trust, recordedBy: replaced.manifest.recordedBy, createdAt: replaced.manifest.createdAt }
        : { outcome: replaced.outcome, ...('detail' in replaced ? { detail: replaced.detail } : {}) },
      after: {
        files: Object.keys(manifest.files).length, packages: Object.keys(manifest.packages).length, media: Object.keys(manifest.media).length,
        changeCount: changes.length, changes: changes.slice(0, AUDITED_CHANGES), manifestSha256: manifestSha256(manifest),
      },
      at: subject.clock(),
    });
    // Written inside the transaction: if the file cannot be written, the audit entry rolls back.
    writeManifest(subject.paths, key, manifest);
  });
  return { ok: true, manifest, replaced, changes };
}

/** The approval as the watcher's latest result (status page, incident checklist). */
export async function recordApprovalResult(db: Kysely<any>, approved: Extract<ApproveResult, { ok: true }>, at: Date): Promise<void> {
  const by = approved.manifest.recordedBy;
  await recordWatchResult(db, {
    watcher: 'integrity', outcome: 'clean', at,
    summary: `installation approved by ${by} (${approved.changes.length} changes accepted)`,
    details: { outcome: 'approved', by, files: Object.keys(approved.manifest.files).length, changes: approved.changes.length },
  });
}

function approvedChanges(replaced: VerifyOutcome): string[] {
  switch (replaced.outcome) {
    case 'clean':
    case 'changed':
      return [...replaced.comparison.findings.map(describeFinding), ...replaced.comparison.uploads.map((u) => `upload: ${u}`)];
    case 'tampered':
      return [`the previous manifest could not be trusted (${replaced.problem}): every file re-recorded`];
    case 'failed':
      return [`the previous manifest could not be checked (${replaced.error}): every file re-recorded`];
    case 'no-baseline':
      return ['first baseline'];
  }
}
