// Failed-login counters keyed by (attempted name, client address) rather than by account: a
// stranger's guesses lock out the stranger's address, not the account, and an unknown name is
// counted exactly like a real one (no enumeration). `address = '*'` holds the name-wide lock.
// Admin sessions get their own CSRF secret, so a token minted elsewhere (the storefront's
// cookie, planted from a sibling subdomain) is worthless in the back office.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_login_throttle')
    /** HMAC of the attempted name (login-throttle.ts): what was typed is never stored. */
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failed_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addPrimaryKeyConstraint('admin_login_throttle_pk', ['name_key', 'address'])
    .execute();
  await db.schema.alterTable('admin_sessions').addColumn('csrf_secret', 'text').execute();
  // Sessions from before have no CSRF secret and could post nothing: sign in again.
  await db.deleteFrom('admin_sessions').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admin_sessions').dropColumn('csrf_secret').execute();
  await db.schema.dropTable('admin_login_throttle').execute();
}
