// Optional TOTP for customer accounts (issue 18): the secret, its enrolment time and the last
// accepted time step are columns of customers (0640); the ten single-use recovery codes given at
// enrolment are rows here, stored only as SHA-256 (src/admin/totp.ts hashRecoveryCode).
import type { Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('customer_recovery_codes')
    .addColumn('id', 'integer', (c) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey()))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('customer_recovery_codes_customer_idx').on('customer_recovery_codes').columns(['customer_id', 'code_hash']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_recovery_codes').execute();
}
