// Table types of migration 0460_csp_reports, reached with db.withTables<CspReportTables>().
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type CspReportFormat = 'report-uri' | 'report-to';

export interface CspReportTable {
  id: Generated<number>;
  received_at: string;
  format: CspReportFormat;
  effective_directive: string;
  blocked_url: string;
  document_url: string;
  disposition: string;
  source_file: string | null;
  line_number: number | null;
  payment_page: number;
}

// A type alias, not an interface: withTables<T> wants an index-signature-compatible record.
export type CspReportTables = { csp_reports: CspReportTable };

export function cspReportDb(db: Kysely<any>): Kysely<Database & CspReportTables> {
  return (db as Kysely<Database>).withTables<CspReportTables>();
}
