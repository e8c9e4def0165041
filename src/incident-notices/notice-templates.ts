// The customer notice's wording: a subject and a body per language that the merchant edits, with
// four placeholders. Filling them is a plain search-and-replace over a fixed list (no template
// engine: a merchant's text must never run code, and a customer's name must never become markup).
import { escapeHtml } from '../mail/escape-html.ts';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Locale } from '../i18n/locale.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { noticeDb } from './notice-tables.ts';

export const NOTICE_PLACEHOLDERS = ['name', 'orders', 'inquiryDesk', 'reference'] as const;
export type NoticePlaceholder = (typeof NOTICE_PLACEHOLDERS)[number];
export type NoticeValues = Record<NoticePlaceholder, string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Placeholders in a text that are not among the four (shown to the merchant as an error). */
export function unknownPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !(NOTICE_PLACEHOLDERS as readonly string[]).includes(k)))];
}

/** Replaces each known `{{placeholder}}` with its value, once, left to right (a value is never re-scanned). */
export function fillPlaceholders(text: string, values: NoticeValues): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => ((NOTICE_PLACEHOLDERS as readonly string[]).includes(key) ? values[key as NoticePlaceholder] : whole));
}

export interface NoticeTemplate {
  subject: string;
  body: string;
}

export type NoticeTemplates = Record<Locale, NoticeTemplate>;

/** What a merchant starts from: the usual お詫び structure (what happened, what it means for you, what to do, where to ask). */
export const DEFAULT_NOTICE_TEMPLATES: NoticeTemplates = {
  ja: {
    subject: '【重要】不正アクセスによる個人情報漏えいの可能性に関するお詫びとお知らせ（{{reference}}）',
    body: [
      '{{name}} 様',
      '',
      'このたび、弊社が運営するオンラインショップにおいて、第三者による不正アクセスを受け、お客様の個人情報（クレジットカード情報を含む可能性があります）が漏えいした可能性があることが判明いたしました。',
      'お客様には多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。',
      '',
      '■ 対象となるご注文',
      '{{orders}}',
      '',
      '■ お客様へのお願い',
      'クレジットカードのご利用明細に身に覚えのない請求がないかご確認ください。不審な請求がある場合は、カード裏面に記載のカード会社へお問い合わせください。',
      '',
      '■ お問い合わせ窓口',
      '{{inquiryDesk}}',
      '',
      '今後、再発防止に全力で取り組んでまいります。',
    ].join('\n'),
  },
  en: {
    subject: 'Important: notice and apology about a possible leak of your personal information ({{reference}})',
    body: [
      'Dear {{name}},',
      '',
      'We have found that our online shop was accessed without authorisation and that your personal information, possibly including card details, may have been exposed.',
      'We sincerely apologise for the trouble and concern this causes you.',
      '',
      'Orders concerned:',
      '{{orders}}',
      '',
      'What we ask of you: please check your card statements for charges you do not recognise, and contact the card company on the back of your card about any.',
      '',
      'Inquiry desk:',
      '{{inquiryDesk}}',
      '',
      'We are doing everything we can to prevent this from happening again.',
    ].join('\n'),
  },
};

const templateText = (max: number) => textWithoutCardNumber(z.string().trim().min(1).max(max))
  .refine((s) => unknownPlaceholders(s).length === 0, { error: 'unknownPlaceholder' });
export const NoticeTemplateForm = z.object({
  subject_ja: templateText(200), body_ja: templateText(20_000),
  subject_en: templateText(200), body_en: templateText(20_000),
});

export async function loadNoticeTemplates(db: Kysely<any>, incidentId: number): Promise<NoticeTemplates & { saved: boolean }> {
  const rows = await noticeDb(db).selectFrom('incident_notice_templates').selectAll().where('incident_id', '=', incidentId).execute();
  const out: NoticeTemplates = { ja: { ...DEFAULT_NOTICE_TEMPLATES.ja }, en: { ...DEFAULT_NOTICE_TEMPLATES.en } };
  for (const r of rows) out[r.locale] = { subject: r.subject, body: r.body };
  return { ...out, saved: rows.length > 0 };
}

export async function saveNoticeTemplates(db: Kysely<any>, incidentId: number, t: NoticeTemplates, actor: string, at: Date, ip?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const d = noticeDb(trx);
    await d.deleteFrom('incident_notice_templates').where('incident_id', '=', incidentId).execute();
    for (const locale of ['ja', 'en'] as const) {
      await d.insertInto('incident_notice_templates').values({ incident_id: incidentId, locale, subject: t[locale].subject, body: t[locale].body, updated_by: actor, updated_at: at.toISOString() }).execute();
    }
    await appendAuditEntry(trx, { actor, action: 'incident.notice_templates_saved', target: `incident:${incidentId}`, ...(ip ? { ip } : {}), after: t, at });
  });
}

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
}


/** The HTML part of a plain-text mail: already-escaped text, line breaks kept. */
export function plainTextMailHtml(escapedBody: string): string {
  return `<!doctype html><html><body><div style="white-space:pre-wrap;font-family:sans-serif">${escapedBody}</div></body></html>`;
}

/** The mail for one recipient. HTML: the merchant's text and every value escaped, line breaks kept. */
export function renderNotice(t: NoticeTemplate, values: NoticeValues): RenderedNotice {
  const subject = fillPlaceholders(t.subject, values).replace(/[\r\n]+/g, ' ');
  const text = fillPlaceholders(t.body, values);
  const escaped = Object.fromEntries(NOTICE_PLACEHOLDERS.map((k) => [k, escapeHtml(values[k])])) as NoticeValues;
  const html = plainTextMailHtml(fillPlaceholders(escapeHtml(t.body), escaped));
  return { subject, text, html };
}
