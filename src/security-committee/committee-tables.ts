// Table types of the security committee's sign-off (migration 0540), reached with committeeDb(db).
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const REVIEW_STATES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const FROZEN_FORMATS = ['html-ja', 'html-en', 'json', 'pdf'] as const;
export type FrozenFormat = (typeof FROZEN_FORMATS)[number];

export interface CommitteeMemberTable { account_id: number; added_by: string; added_at: string }

export interface MonthlyReportReviewTable {
  month: string;
  state: ReviewState;
  version: number;
  comments_json: string;
  actions_json: string;
  closed_actions_json: string;
  submitted_by_account: number | null;
  submitted_by_email: string | null;
  submitted_at: string | null;
  approved_by_account: number | null;
  approved_by_email: string | null;
  approved_at: string | null;
  updated_by: string;
  updated_at: string;
}

export interface ReviewNoteTable {
  id: import('kysely').Generated<number>;
  month: string;
  kind: 'submitted' | 'returned' | 'approved';
  body: string;
  author_account: number;
  author_email: string;
  created_at: string;
}

export interface FrozenReportTable {
  month: string;
  format: FrozenFormat;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  frozen_at: string;
}

export interface ReportReminderSentTable { month: string; kind: 'submit' | 'approve'; sent_at: string }

export type CommitteeTables = {
  security_committee_members: CommitteeMemberTable;
  monthly_report_reviews: MonthlyReportReviewTable;
  monthly_report_review_notes: ReviewNoteTable;
  monthly_report_frozen: FrozenReportTable;
  monthly_report_reminders_sent: ReportReminderSentTable;
};
export type MonthlyReportReview = Selectable<MonthlyReportReviewTable>;
export type ReviewNote = Selectable<ReviewNoteTable>;

export function committeeDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & CommitteeTables> {
  return (db as Kysely<Database>).withTables<CommitteeTables>();
}
