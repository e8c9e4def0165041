// Back-office accounts, their server-side sessions, MFA recovery codes and the one-time
// first-owner setup link. Table types live in src/admin/admin-tables.ts.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema
    .createTable('admin_accounts')
    .addColumn('id', 'integer', autoId)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'staff', 'vendor', 'auditor')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('mfa_enrolled_at', 'text')
    // Time step of the last accepted code: a code seen once is refused again (replay).
    .addColumn('totp_last_step', 'integer')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('access_expires_at', 'text')
    .addColumn('refund_limit', 'integer')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('admin_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('admin_accounts.id').onDelete('cascade'))
    // 'password' = password checked, second factor (or enrolment) still due; 'full' = signed in.
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('password', 'full')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admin_sessions_account_idx').on('admin_sessions').column('account_id').execute();

  await db.schema
    .createTable('admin_recovery_codes')
    .addColumn('id', 'integer', autoId)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('admin_accounts.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('admin_recovery_codes_account_idx').on('admin_recovery_codes').column('account_id').execute();

  await db.schema
    .createTable('admin_setup_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admin_setup_tokens').execute();
  await db.schema.dropTable('admin_recovery_codes').execute();
  await db.schema.dropTable('admin_sessions').execute();
  await db.schema.dropTable('admin_accounts').execute();
}
