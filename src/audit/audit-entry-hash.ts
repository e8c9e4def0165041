// How one entry's hash is computed. This is the audit log's file format: changing anything here
// (field set, order, prefix) makes every existing chain fail verification, so bump the version
// prefix and keep the old computation for old rows instead.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { AuditLogRow } from './audit-log-table.ts';

/** What entry 1 chains to: a fixed value, so a chain cannot be started "in the middle". */
export const GENESIS_HASH = '0'.repeat(64);

const FORMAT_PREFIX = 'mamori.audit.v1\n';

/**
 * SHA-256 over the canonical serialisation of every stored field except the hash itself,
 * including the id (so rows cannot be renumbered or swapped) and the previous entry's hash.
 * before_json / after_json are hashed as the exact stored text, so verification never has to
 * re-serialise what the database returns.
 */
export function computeAuditEntryHash(row: Omit<AuditLogRow, 'hash'>): string {
  const material = canonicalJson({
    id: row.id,
    created_at: row.created_at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    ip: row.ip,
    before_json: row.before_json,
    after_json: row.after_json,
    prev_hash: row.prev_hash,
  });
  return createHash('sha256').update(FORMAT_PREFIX).update(material, 'utf8').digest('hex');
}
