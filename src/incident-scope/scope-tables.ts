// Table type of the stored scope of an incident (migration 0510), via db.withTables<ScopeTables>().
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export const SCOPE_CRITERIA = ['card_paid', 'payment_started'] as const;
export type ScopeCriterion = (typeof SCOPE_CRITERIA)[number];

export interface IncidentScopeTable {
  incident_id: number;
  criterion: ScopeCriterion;
  period_from: string;
  period_to: string;
  /** JSON array of the e-mail addresses the scope was narrowed to, or null for everyone. */
  emails_json: string | null;
  orders_count: number;
  persons_count: number;
  computed_by: string;
  computed_at: string;
}

export type ScopeTables = { incident_scopes: IncidentScopeTable };

export function scopeDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & ScopeTables> {
  return (db as Kysely<Database>).withTables<ScopeTables>();
}
