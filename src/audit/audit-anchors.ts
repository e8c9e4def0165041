// Anchors: the chain head (id + hash) copied out of the database at intervals, one JSON line per
// anchor. The hash chain alone cannot show that the newest entries were cut off (the shorter
// chain is still valid) nor that the whole table was rewritten and re-hashed; a copy of the head
// kept somewhere else can. Appending to a local file is the minimum; the same line also goes to
// the pino log so log shipping carries it off the machine, which is where it really helps.
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GENESIS_HASH } from './audit-entry-hash.ts';
import type { AuditLogDatabase } from './audit-log-table.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';

export interface AuditAnchor {
  at: string; // ISO 8601 UTC, when the anchor was taken
  id: number; // 0 for an empty log
  hash: string; // GENESIS_HASH for an empty log
}

/** Where the shop keeps its anchors unless told otherwise. */
export function defaultAuditAnchorsFile(dataDir: string): string {
  return path.join(dataDir, 'audit-anchors.log');
}

/** The newest committed entry, or the genesis position (id 0) for an empty log. */
export async function readAuditHead(db: Kysely<any>): Promise<{ id: number; hash: string }> {
  const head = await (db as Kysely<AuditLogDatabase>).selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return head ?? { id: 0, hash: GENESIS_HASH };
}

/** Appends the current head to the anchors file (created if missing) and syncs it to disk. */
export async function writeAuditAnchor(db: Kysely<any>, file: string, now: Date = new Date()): Promise<AuditAnchor> {
  const head = await readAuditHead(db);
  const anchor: AuditAnchor = { at: now.toISOString(), id: head.id, hash: head.hash };
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // fsync: an anchor that a crash can lose is an anchor an attacker can claim was never written.
  const handle = await fs.open(file, 'a', 0o640);
  try {
    await handle.appendFile(`${JSON.stringify(anchor)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return anchor;
}

const AnchorLineSchema = z.object({
  at: z.string(),
  id: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export type AuditAnchorsRead =
  | { found: false }
  | { found: true; anchors: AuditAnchor[]; malformedLines: number };

/**
 * Reads every anchor in the file. A malformed line (e.g. torn by a crash mid-write) is counted,
 * not fatal: skipping it cannot hide tampering, since whoever can edit the file can delete lines.
 */
export async function readAuditAnchors(file: string): Promise<AuditAnchorsRead> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { found: false };
    throw err;
  }
  const anchors: AuditAnchor[] = [];
  let malformedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      malformedLines++;
      continue;
    }
    const anchor = AnchorLineSchema.safeParse(parsed);
    if (anchor.success) anchors.push(anchor.data);
    else malformedLines++;
  }
  return { found: true, anchors, malformedLines };
}

/** The subset of a pino logger the anchoring job uses. */
export interface AnchorLogger {
  info(obj: object, msg?: string): void;
}

export interface AuditAnchorJobOptions {
  db: Kysely<any>;
  file: string;
  log: AnchorLogger;
  /** Default every 5 minutes (and once at start). */
  everyMs?: number;
  clock?: () => Date;
}

/**
 * Anchoring as a job of the shop's scheduler (src/jobs/): an anchor at start and then every few
 * minutes whenever the head has moved (an unchanged head adds nothing). A failed write makes the
 * run fail, which the scheduler records and logs; the next slot tries again: anchoring must never
 * take the shop down.
 */
export function auditAnchorJob(options: AuditAnchorJobOptions): JobDefinition {
  const { db, file, log } = options;
  const clock = options.clock ?? (() => new Date());
  let lastWritten: { id: number; hash: string } | null = null;
  return {
    name: 'audit-anchor',
    schedule: { everyMs: options.everyMs ?? 5 * 60_000 },
    timeoutMs: 60_000,
    runAtStart: true,
    async run() {
      const head = await readAuditHead(db);
      if (lastWritten && lastWritten.id === head.id && lastWritten.hash === head.hash) return;
      const anchor = await writeAuditAnchor(db, file, clock());
      lastWritten = { id: anchor.id, hash: anchor.hash };
      log.info({ auditAnchor: anchor }, 'audit log anchor');
    },
  };
}
