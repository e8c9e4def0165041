import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { createInquiry, inquiryCountsPerDay, newInquiryReference, parseInquiryForm } from './inquiries.ts';
import { inquiryDb } from './inquiry-tables.ts';

function outbox(shop: TestShop): string {
  const dir = path.join(shop.dataDir, 'outbox');
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(dir, f), 'utf8').replace(/=\r?\n/g, '')).join('\n');
  } catch { return ''; }
}

describe('inquiry input and references', () => {
  it('gives references as Q-YYYYMMDD-XXXX on the shop calendar day', () => {
    // 2026-11-30 20:00 UTC is already 1 December in Tokyo.
    expect(newInquiryReference(new Date('2026-11-30T20:00:00Z'), 'Asia/Tokyo')).toMatch(/^Q-20261201-[A-HJ-NP-Z2-9]{4}$/);
  });

  it('refuses a card number in the message before any other check', () => {
    const r = parseInquiryForm({ email: 'a@example.jp', category: 'order', message: 'カード 4111-1111-1111-1111 の件' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'message', code: 'cardNumber' }] });
  });
});

describeEachDatabase('inquiry desk in the back office', (database) => {
  let shop: TestShop;
  let staff: Awaited<ReturnType<typeof signIn>>;
  let staffId: number;
  let inquiryId: number;
  let reference: string;
  let now = new Date('2026-12-01T03:00:00.000Z');
  beforeAll(async () => {
    shop = await startTestShop(database, { jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
    const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
    staffId = s.account.id;
    staff = await signIn(shop, 'staff@example.jp', s.account.id, s.secret);
    const deps = { db: shop.db.db, mailer: shop.mailer, clock: () => now, timeZone: 'Asia/Tokyo', shopName: 'Mamori', publicUrl: 'http://127.0.0.1' };
    const created = await createInquiry(deps, { email: 'hanako@example.jp', orderNumber: 'MA-1', category: 'incident', message: '通知メールについて教えてください。' }, 'ja', null);
    inquiryId = created.id;
    reference = created.reference;
    now = new Date('2026-11-29T03:00:00.000Z');
    await createInquiry(deps, { email: 'john@example.com', orderNumber: undefined, category: 'other', message: 'Hello' }, 'en', null);
  });
  afterAll(async () => shop?.dispose());

  it('counts inquiries per shop day', async () => {
    const days = await inquiryCountsPerDay(shop.db.db, new Date('2026-12-01T12:00:00Z'), 'Asia/Tokyo', 5);
    expect(days).toEqual([
      { day: '2026-11-27', count: 0 }, { day: '2026-11-28', count: 0 }, { day: '2026-11-29', count: 1 }, { day: '2026-11-30', count: 0 }, { day: '2026-12-01', count: 1 },
    ]);
  });

  it('lists tickets, assigns, answers by e-mail with a canned answer, closes — all audited', async () => {
    const list = await staff.get('/admin/inquiries');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(reference);
    expect((await staff.get('/admin/inquiries?status=closed')).body).not.toContain(reference);

    expect((await staff.post('/admin/inquiries/canned', { title: '', body_ja: 'x', body_en: 'y' })).statusCode).toBe(400);
    expect((await staff.post('/admin/inquiries/canned', { title: 'カード会社への確認', body_ja: 'カード会社にご連絡ください。', body_en: 'Please contact your card company.' })).statusCode).toBe(303);
    const cannedId = (await inquiryDb(shop.db.db).selectFrom('inquiry_canned_answers').select('id').executeTakeFirstOrThrow()).id;
    expect((await staff.post(`/admin/inquiries/canned/${cannedId}`, { title: 'カード会社への確認', body_ja: 'カード裏面の番号へご連絡ください。', body_en: 'Please call the number on the back of your card.' })).statusCode).toBe(303);

    const withCanned = await staff.get(`/admin/inquiries/${inquiryId}?canned=${cannedId}`);
    expect(withCanned.body).toContain('>カード裏面の番号へご連絡ください。</textarea>');

    expect((await staff.post(`/admin/inquiries/${inquiryId}`, { status: 'open', assigneeId: String(staffId) })).statusCode).toBe(303);
    expect((await staff.post(`/admin/inquiries/${inquiryId}`, { status: 'bogus', assigneeId: '' })).statusCode).toBe(400);

    const refused = await staff.post(`/admin/inquiries/${inquiryId}/reply`, { body: 'カード 4242 4242 4242 4242 で確認しました' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body.replace(/\s/g, '')).not.toContain('4242424242424242');

    expect((await staff.post(`/admin/inquiries/${inquiryId}/reply`, { body: 'カード裏面の番号へご連絡ください。' })).statusCode).toBe(303);
    const row = await inquiryDb(shop.db.db).selectFrom('inquiries').selectAll().where('id', '=', inquiryId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'answered', assignee_id: staffId });
    const replies = await inquiryDb(shop.db.db).selectFrom('inquiry_replies').selectAll().execute();
    expect(replies).toHaveLength(1);
    expect(outbox(shop)).toContain(reference);
    const mails = await shop.db.db.selectFrom('customer_mails').select('kind').where('recipient', '=', 'hanako@example.jp').orderBy('id').execute();
    expect(mails.map((m) => m.kind)).toEqual(['inquiry_received', 'inquiry_reply']);

    expect((await staff.post(`/admin/inquiries/${inquiryId}`, { status: 'closed', assigneeId: String(staffId) })).statusCode).toBe(303);
    const audit = await shop.db.db.withTables<{ audit_log: { id: number; action: string; target: string | null } }>().selectFrom('audit_log').select('action').where('action', 'like', 'inquiry.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['inquiry.received', 'inquiry.received', 'inquiry.canned_created', 'inquiry.canned_updated', 'inquiry.updated', 'inquiry.replied', 'inquiry.updated']);
  });
});
