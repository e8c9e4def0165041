// Optional passkeys (WebAuthn) for customer accounts (issue 18): the credentials a customer
// registered, and the single-use challenges of registration and sign-in, stored only as SHA-256
// and valid for minutes (customer-passkeys.ts).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_passkeys')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('customer_passkeys_customer_idx').on('customer_passkeys').column('customer_id').execute();
  await db.schema
    .createTable('customer_webauthn_challenges')
    .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sqlIn('purpose', ['register', 'login'])))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_webauthn_challenges').execute();
  await db.schema.dropTable('customer_passkeys').execute();
}
