// Admin-access signals (src/admin/access-signals/): the addresses and browsers each back-office
// account has signed in from, so a sign-in from one never seen before can be alerted. Both are
// stored only as hashes (an address under a key, so a copy of the database cannot be reversed by
// trying all 2^32 IPv4 addresses; a device id is 32 random bytes, so plain SHA-256 suffices), and
// bounded per account (access-signals/known-clients.ts prunes the oldest). One index for the
// signals' counts over the audit log: failed logins in a window, per-day activity on the dashboard.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_known_clients')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('admin_accounts.id').onDelete('cascade'))
    /** 'address' (HMAC of the client address, IPv6 by /64) or 'device' (SHA-256 of the device cookie). */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_known_clients_pk', ['account_id', 'kind', 'key_hash'])
    .execute();
  await db.schema.createIndex('admin_known_clients_seen_idx').on('admin_known_clients').columns(['account_id', 'kind', 'last_seen_at']).execute();
  await db.schema.createIndex('audit_log_action_created_idx').on('audit_log').columns(['action', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_action_created_idx').execute();
  await db.schema.dropTable('admin_known_clients').execute();
}
