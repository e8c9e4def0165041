// Table types of the customer notices and the public notice page (migration 0510).
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface NoticeTemplateTable {
  incident_id: number;
  locale: 'ja' | 'en';
  subject: string;
  body: string;
  updated_by: string;
  updated_at: string;
}

export interface NoticeSendTable {
  id: Generated<number>;
  incident_id: number;
  subject_ja: string;
  body_ja: string;
  subject_en: string;
  body_en: string;
  status: 'sending' | 'done';
  recipients_total: number;
  started_by: string;
  started_at: string;
  finished_at: string | null;
}

export const RECIPIENT_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface NoticeRecipientTable {
  id: Generated<number>;
  send_id: number;
  email: string;
  name: string;
  locale: string;
  /** Comma-separated order numbers of this person in the scope. */
  order_numbers: string;
  status: Generated<RecipientStatus>;
  attempts: Generated<number>;
  claimed_at: string | null;
  sent_at: string | null;
  last_error: string | null;
}

export interface PublicNoticeTable {
  id: Generated<number>;
  incident_id: number;
  slug: string;
  title_ja: string;
  title_en: string;
  body_ja: string;
  body_en: string;
  published_at: string | null;
  unpublished_at: string | null;
  updated_at: string;
}

export type NoticeTables = {
  incident_notice_templates: NoticeTemplateTable;
  incident_notice_sends: NoticeSendTable;
  incident_notice_recipients: NoticeRecipientTable;
  public_notices: PublicNoticeTable;
};
export type NoticeSend = Selectable<NoticeSendTable>;
export type NoticeRecipient = Selectable<NoticeRecipientTable>;
export type PublicNotice = Selectable<PublicNoticeTable>;

export function noticeDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & NoticeTables> {
  return (db as Kysely<Database>).withTables<NoticeTables>();
}
