// Which months the archive lists: every month from the shop's first recorded month (its first audit
// entry, or the first review; last month at the latest) up to the current one, newest first; at most ten years.
import type { Kysely } from 'kysely';
import { committeeDb } from './committee-tables.ts';
import { addMonths, monthOf } from './review-service.ts';

const MAX_MONTHS = 120;

/** The newest month with a page: the current one (its draft can be prepared, not yet submitted). */
export function archiveMonthsLimit(now: Date, timeZone: string): string {
  return monthOf(now, timeZone);
}

export async function archiveMonths(db: Kysely<any>, now: Date, timeZone: string): Promise<string[]> {
  const current = monthOf(now, timeZone);
  const firstAudit = await db.withTables<{ audit_log: { id: number; created_at: string } }>().selectFrom('audit_log').select('created_at').orderBy('id').limit(1).executeTakeFirst();
  const firstReview = await committeeDb(db).selectFrom('monthly_report_reviews').select('month').orderBy('month').limit(1).executeTakeFirst();
  // Last month is always there: its report is the one being prepared.
  let first = addMonths(current, -1);
  if (firstAudit && monthOf(new Date(firstAudit.created_at), timeZone) < first) first = monthOf(new Date(firstAudit.created_at), timeZone);
  if (firstReview && firstReview.month < first) first = firstReview.month;
  const months: string[] = [];
  for (let m = current; m >= first && months.length < MAX_MONTHS; m = addMonths(m, -1)) months.push(m);
  return months;
}
