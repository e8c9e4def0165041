// Rate-limit counters shared by every shop instance on one PostgreSQL database (the
// @fastify/rate-limit store in src/http/rate-limit-store.ts). UNLOGGED on PostgreSQL: a counter
// lost in a crash only resets a window, and skipping the WAL halves the cost of each increment.
// SQLite (one instance) keeps counters in memory; the table exists there too, unused.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  let create = db.schema.createTable('rate_limit_counters');
  if (pg) create = create.modifyFront(sql`unlogged`);
  await create
    .addColumn('counter_key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    // Epoch milliseconds: compared with the caller's clock in one statement, no time zone involved.
    .addColumn('resets_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_counters_resets_at').on('rate_limit_counters').column('resets_at_ms').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_counters').execute();
}
