// Table types of the inquiry desk (migration 0510).
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const INQUIRY_STATUSES = ['open', 'answered', 'closed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];
export const INQUIRY_CATEGORIES = ['incident', 'order', 'product', 'other'] as const;
export type InquiryCategory = (typeof INQUIRY_CATEGORIES)[number];

export interface InquiryTable {
  id: Generated<number>;
  /** Given to the customer: Q-YYYYMMDD-XXXX (date in the shop's zone). */
  reference: string;
  email: string;
  order_number: string | null;
  category: InquiryCategory;
  /** The incident whose notice was published when the customer asked about it. */
  incident_id: number | null;
  message: string;
  locale: 'ja' | 'en';
  status: Generated<InquiryStatus>;
  assignee_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface InquiryReplyTable {
  id: Generated<number>;
  inquiry_id: number;
  /** 'admin:<id>' */
  author: string;
  body: string;
  sent_at: string;
}

export interface CannedAnswerTable {
  id: Generated<number>;
  title: string;
  body_ja: string;
  body_en: string;
  updated_by: string;
  updated_at: string;
}

export type InquiryTables = { inquiries: InquiryTable; inquiry_replies: InquiryReplyTable; inquiry_canned_answers: CannedAnswerTable };
export type Inquiry = Selectable<InquiryTable>;
export type InquiryReply = Selectable<InquiryReplyTable>;
export type CannedAnswer = Selectable<CannedAnswerTable>;

export function inquiryDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & InquiryTables> {
  return (db as Kysely<Database>).withTables<InquiryTables>();
}
