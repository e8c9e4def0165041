// One verification of the installation against its manifest, a baseline, and an approval.
// The CLI, the scheduled job and the back office call these; alerting is the job's.
import type { Kysely } from 'kysely';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import type { ShopConfig } from '../config/config.ts';
import { compareWithManifest, describeFinding, type Comparison } from './compare-manifest.ts';
import { effectiveConfig } from './effective-config.ts';
import { defaultInstallRoot, hashDirectory, hashInstallation, packageDigests, type FileHashes } from './install-tree.ts';
import {
  createIntegrityKey, integrityPaths, readIntegrityKey, readManifest, writeManifest,
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
  return path.join(subject.config.dataDir, 'media');
}

async function snapshot(subject: IntegritySubject, key: Buffer, reuse?: Manifest): Promise<Snapshot> {
  const tree = await hashInstallation(subject.root, reuse ? { files: reuse.files, stats: reuse.stats } : undefined);
  const media = await hashDirectory(mediaDir(subject), 'media');
  return { ...tree, media, config: effectiveConfig(subject.config, key) };
}

function resolveName(subject: IntegritySubject): (name: string) => string {
  return (name) => (name.startsWith('media/') ? path.join(mediaDir(subject), name.slice('media/'.length)) : path.join(subject.root, name));
}

export type ManifestProblem = 'BAD_HMAC' | 'MALFORMED' | 'NO_MANIFEST';

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
export async function verifyInstallation(subject: IntegritySubject, opts: { quick?: boolean } = {}): Promise<VerifyOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths);
  } catch (err) {
    return { outcome: 'failed', error: 'KEY_REFUSED', detail: errorText(err), durationMs: took() };
  }
  const manifestExists = existsSync(subject.paths.manifestFile);
  if (!key) {
    return manifestExists
      ? { outcome: 'failed', error: 'KEY_MISSING', detail: `the manifest exists but its key ${subject.paths.keyFile} does not: restore the key, or approve a new baseline`, durationMs: took() }
      : { outcome: 'no-baseline', durationMs: took() };
  }
  try {
    const read = readManifest(subject.paths, key);
    if (!read.ok) {
      const detail = read.error === 'NO_MANIFEST' ? `the manifest ${subject.paths.manifestFile} is missing although its key exists (a baseline was taken): it was deleted` : read.detail;
      return { outcome: 'tampered', problem: read.error, detail, durationMs: took() };
    }
    const now = await snapshot(subject, key, opts.quick ? read.manifest : undefined);
    const comparison = await compareWithManifest(read.manifest, { ...now, resolve: resolveName(subject) });
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
 * means a manifest was deleted, and trusting the installation again would hide what changed).
 */
export async function recordFirstBaseline(subject: IntegritySubject, trust: BaselineTrust, recordedBy: string): Promise<BaselineResult> {
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths);
  } catch (err) {
    return { ok: false, error: 'KEY_REFUSED', detail: errorText(err) };
  }
  if (key || existsSync(subject.paths.manifestFile)) {
    return { ok: false, error: 'BASELINE_EXISTS', detail: 'a baseline (or its key) exists already: use `mamori integrity approve` to replace it' };
  }
  key = createIntegrityKey(subject.paths);
  const manifest = await buildManifest(subject, key, trust, recordedBy);
  writeManifest(subject.paths, key, manifest);
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
  const replaced = await verifyInstallation(subject);
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
        changeCount: changes.length, changes: changes.slice(0, AUDITED_CHANGES),
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
