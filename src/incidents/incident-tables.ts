// Table types of the incident record (migrations 0500+), reached with db.withTables<IncidentTables>().
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentTable {
  id: Generated<number>;
  /** Shown to people and printed on reports: INC-YYYY-NNNN. */
  reference: string;
  title: string;
  what_was_noticed: string;
  /** When the merchant became aware (ISO 8601 UTC): the PPC's reporting clocks start here. */
  aware_at: string;
  /** 1 when the cause is (or may be) unauthorised access: the final report is then due in 60 days, not 30. */
  unauthorized_access: Generated<number>;
  status: Generated<IncidentStatus>;
  opened_by: string;
  opened_at: string;
  closed_at: string | null;
}

export type IncidentTables = { incidents: IncidentTable };
export type Incident = Selectable<IncidentTable>;

export function incidentDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & IncidentTables> {
  return (db as Kysely<Database>).withTables<IncidentTables>();
}
