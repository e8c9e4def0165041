// The tamper-evident audit log: who did what, when, from where, before/after. Each entry
// carries the SHA-256 of its own content and of the previous entry, so an edited, deleted,
// reordered or renumbered row breaks the chain at that point (see verify-audit-chain.ts).
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrate.ts';

export interface AuditEntryInput {
  /** e.g. 'admin:<accountId>', 'system', 'customer', or null for an anonymous client. */
  actor: string | null;
  /** e.g. 'auth.login_succeeded', 'product.updated', 'order.refunded', 'security.payment.amount_mismatch'. */
  action: string;
  /** e.g. 'product:12', 'order:<uuid>', 'account:<id>'. */
  target?: string;
  ip?: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

export interface AuditLogTable {
  id: number;
  created_at: string;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}
export interface AuditTables { audit_log: AuditLogTable }

export const AUDIT_GENESIS_HASH = '0'.repeat(64);
// Any constant works: it names the lock that serialises appends on PostgreSQL.
const APPEND_LOCK_KEY = 7_265_636_173;

/** The hash of an entry: over a fixed-order array of its fields, so key order can never vary. */
export function auditEntryHash(e: Omit<AuditLogTable, 'hash'>): string {
  const canonical = JSON.stringify([e.id, e.created_at, e.actor, e.action, e.target, e.ip, e.before_json, e.after_json, e.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toJson = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Appends one entry. Appends are serialised so two can never chain to the same predecessor:
 * a transaction-scoped advisory lock on PostgreSQL, the single writer on SQLite. Works inside
 * a caller's transaction too (the entry then commits or rolls back with it).
 */
export async function appendAuditEntry(db: Kysely<any>, entry: AuditEntryInput): Promise<{ id: number; hash: string }> {
  const run = async (trx: Kysely<any>) => {
    const t = trx as unknown as Kysely<AuditTables>;
    if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(trx);
    const last = await t.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const row: Omit<AuditLogTable, 'hash'> = {
      id: (last?.id ?? 0) + 1,
      created_at: (entry.at ?? new Date()).toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      before_json: toJson(entry.before),
      after_json: toJson(entry.after),
      prev_hash: last?.hash ?? AUDIT_GENESIS_HASH,
    };
    const hash = auditEntryHash(row);
    await t.insertInto('audit_log').values({ ...row, hash }).execute();
    return { id: row.id, hash };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
