// Appends to the tamper-evident audit log: who did what, when, from where, with
// before/after snapshots. Each entry carries the previous entry's hash, so editing, deleting or
// reordering rows breaks the chain that verifyAuditChain walks. Nothing in this module updates
// or deletes entries; the migration's triggers refuse it at the database too.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { isPostgres } from '../db/migrate.ts';
import { canonicalJson } from './canonical-json.ts';
import { computeAuditEntryHash, GENESIS_HASH } from './audit-entry-hash.ts';
import type { AuditLogDatabase, AuditLogRow } from './audit-log-table.ts';

// Names of the first committed version of this module, kept so nothing that imported them breaks.
export type { AuditLogRow as AuditLogTable, AuditLogDatabase as AuditTables } from './audit-log-table.ts';
export { GENESIS_HASH as AUDIT_GENESIS_HASH, computeAuditEntryHash as auditEntryHash } from './audit-entry-hash.ts';

export interface AuditEntryInput {
  actor: string | null;        // e.g. 'admin:<accountId>' , 'system', 'customer', null for anonymous
  action: string;              // e.g. 'auth.login_succeeded', 'auth.login_failed', 'auth.locked', 'mfa.enrolled', 'product.updated', 'order.refunded', 'settings.changed', 'security.payment.amount_mismatch'
  target?: string;             // e.g. 'product:12', 'order:<uuid>', 'account:<id>'
  ip?: string;
  before?: unknown;            // JSON-serialisable snapshot where it applies
  after?: unknown;
  at?: Date;                   // default now
}

const AuditEntryInputSchema = z.object({
  actor: z.string().min(1).max(200).nullable(),
  action: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, { error: 'dotted lower-case action, e.g. auth.login_failed' }).max(120),
  target: z.string().min(1).max(300).optional(),
  ip: z.string().max(100).optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  at: z.date().refine((d) => !Number.isNaN(d.getTime()), { error: 'invalid date' }).optional(),
});

/**
 * Any fixed 64-bit key works; it only has to be the same for every appender. pg_advisory_xact_lock
 * is released at commit/rollback, so a crashed appender cannot leave the chain locked.
 */
const AUDIT_CHAIN_LOCK_KEY = 0x6d616d6f7269; // "mamori"

/**
 * Appends one entry and returns its id and hash. Appends are serialised so two writers can never
 * chain to the same head (a fork): PostgreSQL takes a transaction-scoped advisory lock, SQLite an
 * immediate (write) transaction. The id is assigned as head + 1 under that lock, and the primary
 * key would reject a second "head + 1" anyway, so a fork cannot be committed even by a bug here.
 *
 * Pass a transaction to record the entry atomically with the change it describes; on PostgreSQL
 * the chain lock is then held until that transaction ends (keep such transactions short, and at
 * the default READ COMMITTED isolation so the head is re-read after the lock is taken).
 * Invalid input (e.g. an action that is not dotted lower-case) is a programming error and throws.
 */
export async function appendAuditEntry(db: Kysely<any>, entry: AuditEntryInput): Promise<{ id: number; hash: string }> {
  const input = AuditEntryInputSchema.parse(entry);
  const fields = {
    created_at: (input.at ?? new Date()).toISOString(),
    actor: input.actor,
    action: input.action,
    target: input.target ?? null,
    ip: input.ip || null,
    before_json: input.before === undefined ? null : canonicalJson(input.before),
    after_json: input.after === undefined ? null : canonicalJson(input.after),
  };
  const pg = isPostgres(db);
  const append = async (trx: Kysely<any>) => {
    if (pg) await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`.execute(trx);
    return appendAfterHead(trx as Kysely<AuditLogDatabase>, fields);
  };

  if (db.isTransaction) return append(db);
  if (pg) return db.transaction().execute(append);
  // SQLite: Kysely's plain transaction is BEGIN DEFERRED, which lets another process read the
  // same head before either writes; BEGIN IMMEDIATE takes the write lock up front (busy_timeout waits).
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await append(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

async function appendAfterHead(db: Kysely<AuditLogDatabase>, fields: Omit<AuditLogRow, 'id' | 'prev_hash' | 'hash'>): Promise<{ id: number; hash: string }> {
  const head = await db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row = { id: head ? head.id + 1 : 1, ...fields, prev_hash: head?.hash ?? GENESIS_HASH };
  const hash = computeAuditEntryHash(row);
  await db.insertInto('audit_log').values({ ...row, hash }).execute();
  return { id: row.id, hash };
}

/** The shape of src/security-events' recordSecurityEvent arguments, so security events are written here. */
export interface SecurityEventForAudit {
  type: string; // e.g. 'payment.amount_mismatch'
  detail: Record<string, unknown>;
  at: Date;
  clientIp?: string;
}

/**
 * Adapter for security events from the rest of the system: actor 'system', action
 * 'security.<type>', the detail as the "after" snapshot, the order as target when the detail names one.
 */
export async function appendSecurityEventToAudit(db: Kysely<any>, event: SecurityEventForAudit): Promise<{ id: number; hash: string }> {
  const orderId = event.detail.orderId;
  return appendAuditEntry(db, {
    actor: 'system',
    action: `security.${event.type}`,
    ...(typeof orderId === 'string' || typeof orderId === 'number' ? { target: `order:${orderId}` } : {}),
    ...(event.clientIp ? { ip: event.clientIp } : {}),
    after: event.detail,
    at: event.at,
  });
}
