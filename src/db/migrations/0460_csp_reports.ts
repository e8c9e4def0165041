// CSP violation reports (src/csp-reports/): what browsers said the shop's Content-Security-Policy
// blocked. Untrusted input from anyone, so the table is bounded (CSP_REPORTS_MAX_STORED, oldest
// dropped) and holds URLs without their query strings. Types: src/csp-reports/csp-report-tables.ts.
import type { Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('csp_reports')
    .addColumn('id', 'integer', (col) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey()))
    .addColumn('received_at', 'text', (c) => c.notNull())
    /** 'report-uri' (application/csp-report) or 'report-to' (application/reports+json). */
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('effective_directive', 'text', (c) => c.notNull())
    /** A URL without query or fragment, or a keyword such as 'inline' or 'eval'. */
    .addColumn('blocked_url', 'text', (c) => c.notNull())
    .addColumn('document_url', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('source_file', 'text')
    .addColumn('line_number', 'integer')
    /** 1 when the document is on the way to payment (cart, checkout, order payment pages). */
    .addColumn('payment_page', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('csp_reports_group_idx').on('csp_reports').columns(['effective_directive', 'blocked_url']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csp_reports').execute();
}
