// Table types of the admin-access signals (migration 0480_admin_known_clients.ts), reached with
// db.withTables<AccessSignalTables>() so the shop's core schema stays untouched.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AdminTables } from '../admin-tables.ts';
import type { AuditLogRow } from '../../audit/audit-log-table.ts';

export type KnownClientKind = 'address' | 'device';

export interface AdminKnownClientTable {
  account_id: number;
  kind: KnownClientKind;
  /** address: HMAC of the client address (IPv6 by /64); device: SHA-256 of the device cookie. */
  key_hash: string;
  first_seen_at: string;
  last_seen_at: string;
}

// A type alias, not an interface: withTables<T> wants an index-signature-compatible record.
export type AccessSignalTables = AdminTables & {
  audit_log: AuditLogRow;
  admin_known_clients: AdminKnownClientTable;
};

export type AccessSignalDb = Kysely<Database & AccessSignalTables>;

export function accessSignalDb(db: Kysely<Database> | Kysely<any>): AccessSignalDb {
  return (db as Kysely<Database>).withTables<AccessSignalTables>();
}
