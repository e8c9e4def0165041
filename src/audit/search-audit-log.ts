// Searching the audit log for the back office: filters by who, what, which object, when, and
// free text over everything stored, newest first, paged by id (stable while entries are added).
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { toAuditEntry, type AuditEntry, type AuditLogDatabase } from './audit-log-table.ts';
import { RowIdParam } from '../http/row-id.js';

// Query strings send empty fields as ''; an empty filter field means "any".
const optionalText = (max: number) => z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().trim().min(1).max(max).optional());
const optionalDate = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), { error: 'invalid date' }).optional());

export const AuditLogFilterSchema = z.object({
  actor: optionalText(200),
  /** Exact action, or every action under a prefix when it ends in ".*" (e.g. "auth.*"). */
  action: optionalText(120),
  target: optionalText(300),
  /** Inclusive lower bound on the entry's time. */
  from: optionalDate,
  /** Exclusive upper bound on the entry's time. */
  to: optionalDate,
  /** Case-insensitive (ASCII) substring of actor, action, target, ip or the before/after snapshots. */
  text: optionalText(200),
});
export type AuditLogFilter = z.input<typeof AuditLogFilterSchema>;

export const AuditLogSearchSchema = AuditLogFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Page backwards: only entries with a smaller id (the previous page's nextBeforeId). */
  beforeId: z.preprocess((v) => (v === '' || v === null ? undefined : v), RowIdParam.optional()),
});
export type AuditLogSearch = z.input<typeof AuditLogSearchSchema>;

/** Validates untrusted input (e.g. the admin page's query string) into a search. */
export function parseAuditLogSearch(input: unknown): { ok: true; search: z.output<typeof AuditLogSearchSchema> } | { ok: false; error: 'INVALID_AUDIT_FILTER'; issues: string[] } {
  const parsed = AuditLogSearchSchema.safeParse(input);
  if (parsed.success) return { ok: true, search: parsed.data };
  return { ok: false, error: 'INVALID_AUDIT_FILTER', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Adds a filter's conditions to a query over audit_log; shared by search and export. */
export function whereAuditFilter<O>(query: SelectQueryBuilder<AuditLogDatabase, 'audit_log', O>, filter: z.output<typeof AuditLogFilterSchema>): SelectQueryBuilder<AuditLogDatabase, 'audit_log', O> {
  let q = query;
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.action?.endsWith('.*')) {
    q = q.where(sql<boolean>`action like ${`${likeEscape(filter.action.slice(0, -1))}%`} escape '\\'`);
  } else if (filter.action) {
    q = q.where('action', '=', filter.action);
  }
  if (filter.target) q = q.where('target', '=', filter.target);
  if (filter.from) q = q.where('created_at', '>=', filter.from.toISOString());
  if (filter.to) q = q.where('created_at', '<', filter.to.toISOString());
  if (filter.text) {
    const pattern = `%${likeEscape(filter.text.toLowerCase())}%`;
    const columns = ['actor', 'action', 'target', 'ip', 'before_json', 'after_json'] as const;
    q = q.where((eb) => eb.or(columns.map((c) => sql<boolean>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`)));
  }
  return q;
}

/**
 * One page of matching entries, newest first. nextBeforeId is the beforeId for the next (older)
 * page, or null when there is none. Takes already-valid input (see parseAuditLogSearch); invalid
 * input here is a programming error and throws.
 */
export async function searchAuditLog(db: Kysely<any>, search: AuditLogSearch): Promise<{ entries: AuditEntry[]; nextBeforeId: number | null }> {
  const s = AuditLogSearchSchema.parse(search);
  let q = whereAuditFilter((db as Kysely<AuditLogDatabase>).selectFrom('audit_log').selectAll(), s);
  if (s.beforeId !== undefined) q = q.where('id', '<', s.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(s.limit + 1).execute();
  const page = rows.slice(0, s.limit);
  return { entries: page.map(toAuditEntry), nextBeforeId: rows.length > s.limit ? page[page.length - 1]!.id : null };
}
