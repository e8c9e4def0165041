// The inquiry desk: customers ask through /contact and get a reference number on screen and by
// e-mail; the back office answers by e-mail, assigns, closes, and reuses canned answers. Every
// change is audited (without the message text: it is the customer's personal data).
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Locale } from '../i18n/locale.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Clock } from '../shop-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { INQUIRY_CATEGORIES, INQUIRY_STATUSES, inquiryDb, type Inquiry, type InquiryCategory, type InquiryStatus } from './inquiry-tables.ts';
import { inquiryMessages } from './inquiry-messages.ts';
import { plainTextMailHtml } from '../incident-notices/notice-templates.ts';
import { escapeHtml } from '../mail/escape-html.ts';
import { RowIdParam } from '../http/row-id.js';

export const MESSAGE_MAX = 4000;

export type InquiryFieldError = { field: 'email' | 'orderNumber' | 'category' | 'message'; code: 'required' | 'email' | 'tooLong' | 'cardNumber' | 'category'; max?: number };

export interface InquiryInput {
  email: string;
  orderNumber: string | undefined;
  category: InquiryCategory;
  message: string;
}

// NUL never belongs in text, and PostgreSQL refuses it.
const text = z.string().catch('').transform((s) => s.replace(/\u0000/g, '').trim());
const RawForm = z.object({ email: text, orderNumber: text, category: text, message: text });
const EmailCheck = z.email();

/** Every field checked at once; a card number anywhere is refused before any other check. */
export function parseInquiryForm(body: unknown): { ok: true; value: InquiryInput } | { ok: false; errors: InquiryFieldError[] } {
  const raw = RawForm.parse(body && typeof body === 'object' ? body : {});
  const errors: InquiryFieldError[] = [];
  const limits = { email: 254, orderNumber: 30, message: MESSAGE_MAX } as const;
  for (const field of ['email', 'orderNumber', 'message'] as const) {
    const v = raw[field];
    if (containsCardNumber(v)) errors.push({ field, code: 'cardNumber' });
    else if (v.length > limits[field]) errors.push({ field, code: 'tooLong', max: limits[field] });
    else if (field !== 'orderNumber' && v.length === 0) errors.push({ field, code: 'required' });
    else if (field === 'email' && !EmailCheck.safeParse(v).success) errors.push({ field, code: 'email' });
  }
  if (!(INQUIRY_CATEGORIES as readonly string[]).includes(raw.category)) errors.push({ field: 'category', code: 'category' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { email: raw.email.toLowerCase(), orderNumber: raw.orderNumber || undefined, category: raw.category as InquiryCategory, message: raw.message } };
}

export interface InquiryDeps {
  db: Kysely<any>;
  mailer: Mailer;
  clock: Clock;
  timeZone: string;
  shopName: string;
  publicUrl: string;
  /** Confirmation mails per recipient and 24 hours: /contact takes any address, unverified (mail-bombing). */
  confirmationsPerAddressPerDay?: number;
}

const DAY_MS = 86_400_000;

/** Inquiries received over the last 24 hours (the global cap of /contact). */
export async function inquiriesInLastDay(db: Kysely<any>, now: Date): Promise<number> {
  const r = await inquiryDb(db).selectFrom('inquiries').select(sql<number>`count(*)`.as('n')).where('created_at', '>=', new Date(now.getTime() - DAY_MS).toISOString()).executeTakeFirstOrThrow();
  return Number(r.n);
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read out over the phone

function shopDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).replace(/-/g, '');
}

export function newInquiryReference(at: Date, timeZone: string): string {
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `Q-${shopDate(at, timeZone)}-${suffix}`;
}

/**
 * Stores the inquiry (a fresh reference on the rare collision) and mails the customer its
 * reference, unless that address already got `confirmationsPerAddressPerDay` of them in 24 hours.
 */
export async function createInquiry(deps: InquiryDeps, input: InquiryInput, locale: Locale, incidentId: number | null, ip?: string): Promise<{ id: number; reference: string; confirmationSent: boolean }> {
  const at = deps.clock();
  let created: { id: number; reference: string } | undefined;
  for (let tries = 0; !created; tries++) {
    const reference = newInquiryReference(at, deps.timeZone);
    try {
      created = await deps.db.transaction().execute(async (trx) => {
        const row = await inquiryDb(trx).insertInto('inquiries').values({
          reference, email: input.email, order_number: input.orderNumber ?? null, category: input.category,
          incident_id: input.category === 'incident' ? incidentId : null, message: input.message, locale, assignee_id: null,
          created_at: at.toISOString(), updated_at: at.toISOString(),
        }).returning('id').executeTakeFirstOrThrow();
        await appendAuditEntry(trx, { actor: 'customer', action: 'inquiry.received', target: `inquiry:${row.id}`, ...(ip ? { ip } : {}), after: { reference, category: input.category, incidentId: input.category === 'incident' ? incidentId : null }, at });
        return { id: row.id, reference };
      });
    } catch (err) {
      const taken = await inquiryDb(deps.db).selectFrom('inquiries').select('id').where('reference', '=', reference).executeTakeFirst();
      if (!taken || tries >= 5) throw err;
    }
  }
  if (deps.confirmationsPerAddressPerDay !== undefined) {
    const sent = await inquiryDb(deps.db).selectFrom('customer_mails').select(sql<number>`count(*)`.as('n'))
      .where('recipient', '=', input.email).where('kind', '=', 'inquiry_received').where('sent_at', '>=', new Date(at.getTime() - DAY_MS).toISOString()).executeTakeFirstOrThrow();
    if (Number(sent.n) >= deps.confirmationsPerAddressPerDay) return { ...created, confirmationSent: false };
  }
  const m = inquiryMessages(locale).mail;
  const body = m.receivedBody(created.reference, deps.shopName);
  await deps.mailer.send({ to: input.email, subject: m.receivedSubject(created.reference, deps.shopName), text: body, html: htmlOf(body) });
  await inquiryDb(deps.db).insertInto('customer_mails').values({ recipient: input.email, order_id: null, kind: 'inquiry_received', sent_at: deps.clock().toISOString() }).execute();
  return { ...created, confirmationSent: true };
}

function htmlOf(textBody: string): string {
  return plainTextMailHtml(escapeHtml(textBody));
}

export interface InquiryFilter {
  status?: InquiryStatus | undefined;
}

export async function listInquiries(db: Kysely<any>, f: InquiryFilter, page: { limit: number; offset: number }) {
  let q = inquiryDb(db).selectFrom('inquiries');
  if (f.status) q = q.where('status', '=', f.status);
  const [rows, total] = await Promise.all([
    q.select(['id', 'reference', 'email', 'category', 'status', 'assignee_id', 'created_at']).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Inquiries received per day (the shop's calendar day) over the last `days` days, oldest first. */
export async function inquiryCountsPerDay(db: Kysely<any>, now: Date, timeZone: string, days = 14): Promise<{ day: string; count: number }[]> {
  const since = new Date(now.getTime() - (days + 1) * 86_400_000).toISOString();
  // Grouped by UTC hour in SQL (the same on both engines), then the hours are put on the shop's days.
  const rows = await inquiryDb(db).selectFrom('inquiries').select([sql<string>`substr(created_at, 1, 13)`.as('hour'), sql<number>`count(*)`.as('n')])
    .where('created_at', '>=', since).groupBy(sql`substr(created_at, 1, 13)`).execute();
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const counts = new Map<string, number>();
  for (let i = days - 1; i >= 0; i--) counts.set(fmt.format(new Date(now.getTime() - i * 86_400_000)), 0);
  for (const r of rows) {
    const day = fmt.format(new Date(`${r.hour}:00:00Z`));
    if (counts.has(day)) counts.set(day, counts.get(day)! + Number(r.n));
  }
  return [...counts].map(([day, count]) => ({ day, count }));
}

export async function loadInquiry(db: Kysely<any>, id: number) {
  const d = inquiryDb(db);
  const inquiry = await d.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!inquiry) return undefined;
  const replies = await d.selectFrom('inquiry_replies').selectAll().where('inquiry_id', '=', id).orderBy('id').execute();
  return { inquiry, replies };
}

export const ReplyForm = z.object({ body: textWithoutCardNumber(z.string().trim().min(1).max(MESSAGE_MAX)) });
export const UpdateForm = z.object({
  status: z.enum(INQUIRY_STATUSES),
  assigneeId: z.union([z.literal('').transform(() => null), RowIdParam]),
});

/** E-mails the reply to the customer, then records it (status 'answered'), audited. */
export async function replyToInquiry(deps: InquiryDeps, inquiry: Inquiry, body: string, actor: string, ip?: string): Promise<void> {
  const m = inquiryMessages(inquiry.locale).mail;
  await deps.mailer.send({ to: inquiry.email, subject: m.replySubject(inquiry.reference, deps.shopName), text: body, html: htmlOf(body) });
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const d = inquiryDb(trx);
    await d.insertInto('inquiry_replies').values({ inquiry_id: inquiry.id, author: actor, body, sent_at: at.toISOString() }).execute();
    await d.updateTable('inquiries').set({ status: 'answered', updated_at: at.toISOString() }).where('id', '=', inquiry.id).where('status', '!=', 'closed').execute();
    await d.insertInto('customer_mails').values({ recipient: inquiry.email, order_id: null, kind: 'inquiry_reply', sent_at: at.toISOString() }).execute();
    await appendAuditEntry(trx, { actor, action: 'inquiry.replied', target: `inquiry:${inquiry.id}`, ...(ip ? { ip } : {}), after: { reference: inquiry.reference, length: body.length }, at });
  });
}

export async function updateInquiry(db: Kysely<any>, inquiry: Inquiry, change: { status: InquiryStatus; assigneeId: number | null }, actor: string, at: Date, ip?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await inquiryDb(trx).updateTable('inquiries').set({ status: change.status, assignee_id: change.assigneeId, updated_at: at.toISOString() }).where('id', '=', inquiry.id).execute();
    await appendAuditEntry(trx, {
      actor, action: 'inquiry.updated', target: `inquiry:${inquiry.id}`, ...(ip ? { ip } : {}),
      before: { status: inquiry.status, assigneeId: inquiry.assignee_id }, after: change, at,
    });
  });
}

export const CannedForm = z.object({
  title: textWithoutCardNumber(z.string().trim().min(1).max(100)),
  body_ja: textWithoutCardNumber(z.string().trim().min(1).max(MESSAGE_MAX)),
  body_en: textWithoutCardNumber(z.string().trim().min(1).max(MESSAGE_MAX)),
});
export type CannedInput = z.infer<typeof CannedForm>;

export async function listCannedAnswers(db: Kysely<any>) {
  return inquiryDb(db).selectFrom('inquiry_canned_answers').selectAll().orderBy('title').execute();
}

/** Creates (id undefined) or edits a canned answer, audited. */
export async function saveCannedAnswer(db: Kysely<any>, id: number | undefined, input: CannedInput, actor: string, at: Date, ip?: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const d = inquiryDb(trx);
    let target: number;
    if (id === undefined) {
      target = (await d.insertInto('inquiry_canned_answers').values({ ...input, updated_by: actor, updated_at: at.toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      const r = await d.updateTable('inquiry_canned_answers').set({ ...input, updated_by: actor, updated_at: at.toISOString() }).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      target = id;
    }
    await appendAuditEntry(trx, { actor, action: id === undefined ? 'inquiry.canned_created' : 'inquiry.canned_updated', target: `canned_answer:${target}`, ...(ip ? { ip } : {}), after: { title: input.title }, at });
    return true;
  });
}
