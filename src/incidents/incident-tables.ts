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

export interface IncidentTimelineEntryTable {
  id: Generated<number>;
  incident_id: number;
  occurred_at: string;
  entry: string;
  added_by: string;
  added_at: string;
}

/** Where a piece of evidence came from: uploaded by a person, or exported from the shop. */
export const EVIDENCE_SOURCES = ['upload', 'audit-log', 'page-watch-runs', 'watch-results', 'scan-history'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

export interface IncidentEvidenceTable {
  id: Generated<number>;
  incident_id: number;
  source: EvidenceSource;
  /** The name shown and offered on download (as uploaded, or generated for an export). */
  file_name: string;
  /** The file's name under DATA_DIR/incidents/<incident id>/ (random: never the uploaded name). */
  stored_name: string;
  media_type: string;
  size_bytes: number;
  /** Hex SHA-256 of the stored bytes, taken before they were written; re-checked on every download. */
  sha256: string;
  description: string;
  added_by: string;
  added_at: string;
}

export const TASK_STATUSES = ['todo', 'in_progress', 'done', 'not_applicable'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface IncidentTaskTable {
  id: Generated<number>;
  incident_id: number;
  /** One of BREACH_PROCESS_TASKS (incident-tasks.ts), or custom_<n> for a task the merchant added. */
  task_key: string;
  /** Only for an added task. */
  title: string | null;
  position: number;
  owner_account_id: number | null;
  /** YYYY-MM-DD in the shop's time zone. */
  due_on: string | null;
  status: Generated<TaskStatus>;
  note: Generated<string>;
  updated_by: string;
  updated_at: string;
}

export interface IncidentReminderSentTable {
  incident_id: number;
  clock: string;
  /** 'two_days_before' | 'due_today' | 'overdue' */
  stage: string;
  /** The due day the reminder was about (a changed due date may remind again). */
  due_on: string;
  sent_at: string;
}

export interface IncidentPpcReportTable {
  id: Generated<number>;
  incident_id: number;
  version: number;
  fields_json: string;
  saved_by: string;
  saved_at: string;
}

export interface IncidentChecklistMarkTable {
  incident_id: number;
  item: string;
  mark: 'attested' | 'waived';
  note: string;
  marked_by: string;
  marked_at: string;
}

export type IncidentTables = {
  incidents: IncidentTable;
  incident_timeline_entries: IncidentTimelineEntryTable;
  incident_evidence: IncidentEvidenceTable;
  incident_tasks: IncidentTaskTable;
  incident_reminders_sent: IncidentReminderSentTable;
  incident_ppc_reports: IncidentPpcReportTable;
  incident_checklist_marks: IncidentChecklistMarkTable;
};
export type Incident = Selectable<IncidentTable>;
export type IncidentEvidence = Selectable<IncidentEvidenceTable>;
export type IncidentTask = Selectable<IncidentTaskTable>;
export type IncidentChecklistMark = Selectable<IncidentChecklistMarkTable>;

export function incidentDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & IncidentTables> {
  return (db as Kysely<Database>).withTables<IncidentTables>();
}
