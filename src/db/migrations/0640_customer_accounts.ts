// Customer accounts (会員, issue 18): accounts, their server-side sessions, single-use links
// (verification, password reset, e-mail change) stored only as SHA-256, saved addresses, and the
// link from an order to the account that placed it. The link is a table of its own rather than a
// column on orders: guest checkout and place-order.ts stay exactly as they were, and deleting an
// account (APPI) removes the link while the order stays for the merchant's accounting records.
// Failed logins are counted in admin_login_throttle under a key of their own (login-throttle.ts).
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('customers')
    .addColumn('id', 'integer', autoId)
    // Normalised (NFKC, trimmed, lower case) so one address cannot hold two accounts.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('ja', 'en')`))
    .addColumn('email_verified_at', 'text')
    // A back-office 会員管理 decision; a disabled account cannot sign in and its sessions end.
    .addColumn('disabled_at', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enrolled_at', 'text')
    .addColumn('totp_last_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    // 'password': password checked, TOTP still due; 'full': signed in.
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('password', 'full')`))
    // 'web' (cookie) or 'api' (Store API bearer token): an API token never opens a web page.
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('web', 'api')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_sessions_customer_idx').on('customer_sessions').column('customer_id').execute();

  await db.schema
    .createTable('customer_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('verify_email', 'reset_password', 'change_email')`))
    // The address a change_email link confirms.
    .addColumn('new_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('customer_tokens_customer_idx').on('customer_tokens').columns(['customer_id', 'purpose']).execute();

  await db.schema
    .createTable('customer_addresses')
    .addColumn('id', 'integer', autoId)
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('prefecture', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('line1', 'text', (c) => c.notNull())
    .addColumn('line2', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_addresses_customer_idx').on('customer_addresses').column('customer_id').execute();

  await db.schema
    .createTable('customer_orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_orders_customer_idx').on('customer_orders').column('customer_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['customer_orders', 'customer_addresses', 'customer_tokens', 'customer_sessions', 'customers']) await db.schema.dropTable(t).execute();
}
