// JSON-lines export of the audit log for auditors and off-box archiving. Oldest first and with
// prevHash/hash on every line, so an unfiltered export can be re-verified without the database.
import type { Kysely } from 'kysely';
import { toAuditEntry, type AuditLogDatabase } from './audit-log-table.ts';
import { AuditLogFilterSchema, whereAuditFilter, type AuditLogFilter } from './search-audit-log.ts';

/**
 * Streams every matching entry to write(), one JSON object per call, each ending in "\n" (so
 * write can go straight to a response or file). Reads in batches by id, never the whole log at
 * once; awaits write when it returns a promise (back-pressure). Returns how many were written.
 */
export async function exportAuditLogJsonl(db: Kysely<any>, filter: AuditLogFilter, write: (line: string) => void | Promise<void>, options: { batchSize?: number } = {}): Promise<{ count: number }> {
  const f = AuditLogFilterSchema.parse(filter);
  const batchSize = options.batchSize ?? 500;
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await whereAuditFilter((db as Kysely<AuditLogDatabase>).selectFrom('audit_log').selectAll(), f)
      .where('id', '>', afterId).orderBy('id').limit(batchSize).execute();
    for (const row of rows) {
      await write(`${JSON.stringify(toAuditEntry(row))}\n`);
      count++;
    }
    if (rows.length < batchSize) return { count };
    afterId = rows[rows.length - 1]!.id;
  }
}
