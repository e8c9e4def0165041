// Walks the audit log in id order and reports the first entry where the chain breaks: the
// check behind `npm run audit:verify` and the back office's verification page.
import type { Kysely } from 'kysely';
import { computeAuditEntryHash, GENESIS_HASH } from './audit-entry-hash.ts';
import { readAuditAnchors, type AuditAnchor } from './audit-anchors.ts';
import type { AuditLogDatabase } from './audit-log-table.ts';

export type AuditChainBreak = 'HASH_MISMATCH' | 'BROKEN_LINK' | 'MISSING_ENTRIES' | 'ANCHOR_MISMATCH';

export interface AuditAnchorsChecked {
  file: string;
  /** false when the file does not exist: a truncated tail then cannot be detected. */
  found: boolean;
  checked: number;
  malformedLines: number;
}

export type AuditChainVerification =
  | { ok: true; entries: number; head: { id: number; hash: string }; anchors: AuditAnchorsChecked | null }
  | { ok: false; firstBadId: number; reason: AuditChainBreak; detail: string; entriesChecked: number; anchors: AuditAnchorsChecked | null };

export interface VerifyAuditChainOptions {
  /** Anchors file written by writeAuditAnchor / auditAnchorJob; without it a cut-off tail goes unnoticed. */
  anchorsFile?: string;
  /** Rows read per query: the walk never holds more than this many entries in memory. */
  batchSize?: number;
}

/**
 * Checks, entry by entry in id order: the stored hash matches the entry's content (edited row →
 * HASH_MISMATCH; swapped rows fail here too, because the id is hashed); the ids run 1, 2, 3 …
 * (deleted rows → MISSING_ENTRIES at the next surviving id); the entry chains to its predecessor
 * (BROKEN_LINK); and every anchor taken at that id recorded the same hash (a re-hashed rewrite →
 * ANCHOR_MISMATCH). Finally the newest anchor must not be beyond the table's end (cut-off tail →
 * MISSING_ENTRIES at the first missing id).
 */
export async function verifyAuditChain(db: Kysely<any>, options: VerifyAuditChainOptions = {}): Promise<AuditChainVerification> {
  const batchSize = options.batchSize ?? 500;
  // Anchors are read before the table: every anchor then describes rows that were committed
  // before the walk began, so appends during verification cannot cause a false alarm.
  const anchorHashes = new Map<number, AuditAnchor[]>();
  let newestAnchor: AuditAnchor | null = null;
  let anchors: AuditAnchorsChecked | null = null;
  if (options.anchorsFile !== undefined) {
    const read = await readAuditAnchors(options.anchorsFile);
    anchors = { file: options.anchorsFile, found: read.found, checked: 0, malformedLines: read.found ? read.malformedLines : 0 };
    for (const anchor of read.found ? read.anchors : []) {
      anchorHashes.set(anchor.id, [...(anchorHashes.get(anchor.id) ?? []), anchor]);
      if (!newestAnchor || anchor.id > newestAnchor.id) newestAnchor = anchor;
    }
  }

  const typed = db as Kysely<AuditLogDatabase>;
  let prev = { id: 0, hash: GENESIS_HASH };
  let entries = 0;
  const broken = (firstBadId: number, reason: AuditChainBreak, detail: string): AuditChainVerification =>
    ({ ok: false, firstBadId, reason, detail, entriesChecked: entries, anchors });

  for (;;) {
    const rows = await typed.selectFrom('audit_log').selectAll().where('id', '>', prev.id).orderBy('id').limit(batchSize).execute();
    for (const row of rows) {
      const { hash, ...content } = row;
      if (computeAuditEntryHash(content) !== hash) {
        return broken(row.id, 'HASH_MISMATCH', `entry ${row.id}'s content does not match its hash: it was edited, or moved from another position`);
      }
      if (row.id !== prev.id + 1) {
        const missing = row.id === prev.id + 2 ? `entry ${prev.id + 1} is` : `entries ${prev.id + 1}–${row.id - 1} are`;
        return broken(row.id, 'MISSING_ENTRIES', `${missing} missing before entry ${row.id}`);
      }
      if (row.prev_hash !== prev.hash) {
        return broken(row.id, 'BROKEN_LINK', `entry ${row.id} does not chain to entry ${prev.id}`);
      }
      for (const anchor of anchorHashes.get(row.id) ?? []) {
        if (anchor.hash !== row.hash) {
          return broken(row.id, 'ANCHOR_MISMATCH', `the anchor taken at ${anchor.at} recorded a different hash for entry ${row.id}: the log was rewritten from here or earlier`);
        }
        anchors!.checked++;
      }
      prev = { id: row.id, hash: row.hash };
      entries++;
    }
    if (rows.length < batchSize) break;
  }

  if (newestAnchor && newestAnchor.id > prev.id) {
    return broken(prev.id + 1, 'MISSING_ENTRIES', `the anchor taken at ${newestAnchor.at} recorded entry ${newestAnchor.id}, but the log ends at entry ${prev.id}: its tail was cut off`);
  }
  // An anchor at id 0 is the empty log; it can only ever hold the genesis hash.
  for (const anchor of anchorHashes.get(0) ?? []) {
    if (anchor.hash !== GENESIS_HASH) return broken(0, 'ANCHOR_MISMATCH', `the anchor taken at ${anchor.at} is not a valid empty-log anchor`);
    anchors!.checked++;
  }
  return { ok: true, entries, head: prev, anchors };
}
