// The audit_log row as stored (migration 0300_audit_log.ts) and as handed to the back office.
// Kept here rather than in src/db/schema.ts so the audit module can be typed on its own; the
// functions take Kysely<any> so they accept the shop's Kysely<Database> and transactions.

export interface AuditLogRow {
  id: number;
  created_at: string; // ISO 8601 UTC
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  before_json: string | null; // canonical JSON text, hashed byte for byte
  after_json: string | null;
  prev_hash: string; // hex SHA-256 of the previous entry, GENESIS_HASH for id 1
  hash: string;
}

export interface AuditLogDatabase {
  audit_log: AuditLogRow;
}

/** An entry as the back office shows and exports it. */
export interface AuditEntry {
  id: number;
  createdAt: string;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export function toAuditEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    createdAt: row.created_at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    ip: row.ip,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
