import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { insertIncidentOrder, insertTestIncident } from '../../test/support/incident-orders.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { silentLogger } from '../shop-context.ts';
import { saveIncidentScope } from '../incident-scope/incident-scope.ts';
import { fillPlaceholders, renderNotice, saveNoticeTemplates, unknownPlaceholders, DEFAULT_NOTICE_TEMPLATES } from './notice-templates.ts';
import { sendDueNotices, sendProgress, startNoticeSend, idempotencyKeyOf } from './send-notices.ts';
import { noticeDb } from './notice-tables.ts';

function outboxMails(dir: string): { to: string; raw: string }[] {
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.eml')); } catch { return []; }
  return files.map((f) => {
    const raw = readFileSync(path.join(dir, f), 'utf8');
    return { to: /^To: (.+)$/m.exec(raw)?.[1]?.trim() ?? '', raw };
  });
}

describe('notice placeholders', () => {
  it('fills the four placeholders once and leaves everything else as written', () => {
    const v = { name: '{{orders}}', orders: '・MA-1', inquiryDesk: 'https://shop/contact', reference: 'INC-1' };
    // A value that looks like a placeholder is not filled again, and unknown ones stay.
    expect(fillPlaceholders('{{ name }} / {{orders}} / {{other}} / {{reference}}', v)).toBe('{{orders}} / ・MA-1 / {{other}} / INC-1');
    expect(unknownPlaceholders('{{name}} {{constructor}} {{__proto__}}{{x}}')).toEqual(['constructor', 'x']);
  });

  it('escapes the merchant text and every value in the HTML body; one-line subject', () => {
    const m = renderNotice({ subject: 'A {{name}}', body: '<b>{{name}}</b>\n{{orders}}' }, { name: '<script>x</script>\r\nBcc: evil', orders: 'o', inquiryDesk: '', reference: '' });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;b&gt;&lt;script&gt;');
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describeEachDatabase('incident notices', (database) => {
  let t: MigratedTestDatabase;
  let incidentId: number;
  let outbox: string;
  let mailer: Mailer;
  let now = new Date('2026-11-10T00:00:00.000Z');
  const clock = () => now;
  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    outbox = path.join(t.dataDir, 'outbox');
    mailer = createMailer({ outboxDir: outbox, from: 'Shop <shop@example.jp>' });
    incidentId = await insertTestIncident(t.db);
    for (let i = 1; i <= 7; i++) {
      await insertIncidentOrder(t.db, { orderNumber: `MA-${i}`, email: `p${i % 5}@example.jp`, name: `客 ${i % 5}`, locale: i % 5 === 1 ? 'en' : 'ja', createdAt: '2026-11-02T00:00:00.000Z', paidAt: `2026-11-02T00:0${i}:00.000Z` });
    }
    await saveIncidentScope(t.db, incidentId, { criterion: 'card_paid', from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' }, 'admin:1', now);
  });
  afterAll(async () => t?.dispose());

  it('sends each person one notice in their language, within the per-minute limit, every send recorded', async () => {
    await saveNoticeTemplates(t.db, incidentId, { ja: { subject: '{{reference}} お詫び', body: '{{name}} 様\n{{orders}}\n{{inquiryDesk}}' }, en: DEFAULT_NOTICE_TEMPLATES.en }, 'admin:1', now);
    const started = await startNoticeSend(t.db, incidentId, 'admin:1', now);
    expect(started).toMatchObject({ ok: true, recipients: 5 });
    expect(await startNoticeSend(t.db, incidentId, 'admin:1', now)).toEqual({ ok: false, error: 'ALREADY_SENDING' });
    const deps = { db: t.db, mailer, clock, publicUrl: 'https://shop.example.jp', perMinute: 3, log: silentLogger };

    expect(await sendDueNotices(deps, { staleAfterMs: 60_000 })).toEqual({ sent: 3, failed: 0, remaining: 2 });
    // Same minute: the budget is spent.
    expect(await sendDueNotices(deps, { staleAfterMs: 60_000 })).toEqual({ sent: 0, failed: 0, remaining: 2 });
    now = new Date(now.getTime() + 60_000);
    expect(await sendDueNotices(deps, { staleAfterMs: 60_000 })).toEqual({ sent: 2, failed: 0, remaining: 0 });

    const mails = outboxMails(outbox);
    expect(mails.map((m) => m.to).sort()).toEqual(['p0@example.jp', 'p1@example.jp', 'p2@example.jp', 'p3@example.jp', 'p4@example.jp']);
    const p2 = mails.find((m) => m.to === 'p2@example.jp')!.raw;
    expect(p2).toContain('Message-ID: <incident-notice-');
    const sends = await noticeDb(t.db).selectFrom('incident_notice_sends').selectAll().execute();
    expect(sends[0]).toMatchObject({ status: 'done', recipients_total: 5 });
    expect(await sendProgress(t.db, started.ok ? started.sendId : 0)).toEqual({ pending: 0, sending: 0, sent: 5, failed: 0, total: 5 });
    const recorded = await t.db.selectFrom('customer_mails').select(['recipient']).where('kind', '=', 'incident_notice').execute();
    expect(recorded.map((r) => r.recipient).sort()).toEqual(['p0@example.jp', 'p1@example.jp', 'p2@example.jp', 'p3@example.jp', 'p4@example.jp']);
    const recipients = await noticeDb(t.db).selectFrom('incident_notice_recipients').selectAll().orderBy('email').execute();
    expect(recipients.find((r) => r.email === 'p2@example.jp')!.order_numbers.split(',').sort()).toEqual(['MA-2', 'MA-7']);
    expect(recipients.find((r) => r.email === 'p1@example.jp')!.locale).toBe('en');
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'incident.notice%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['incident.notice_templates_saved', 'incident.notice_send_started', 'incident.notice_send_finished']);
  });

  it('a retry of a claim whose run crashed after the mail went out sends nothing new', async () => {
    const recipient = await noticeDb(t.db).selectFrom('incident_notice_recipients').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
    const before = outboxMails(outbox).length;
    // The same mail again (what a retry after a crash does): the keyed outbox keeps one copy.
    await mailer.send({ to: recipient.email, subject: 's', text: 't', html: 'h', idempotencyKey: idempotencyKeyOf(recipient) });
    expect(outboxMails(outbox).length).toBe(before);
  });

  it('keeps a failing address pending, then marks it failed after repeated errors', async () => {
    const id2 = await insertTestIncident(t.db, 'INC-2026-0002');
    await saveIncidentScope(t.db, id2, { criterion: 'card_paid', from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', emails: ['p3@example.jp'] }, 'admin:1', now);
    const s = await startNoticeSend(t.db, id2, 'admin:1', now);
    expect(s).toMatchObject({ ok: true, recipients: 1 });
    const failing: Mailer = { description: 'failing', async send() { throw Object.assign(new Error('421 try later for p3@example.jp'), { code: 'ECONNECTION' }); } };
    const deps = { db: t.db, mailer: failing, clock, publicUrl: 'https://shop.example.jp', perMinute: 100, log: silentLogger };
    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + 60_000);
      await sendDueNotices(deps, { staleAfterMs: 60_000 });
    }
    const r = await noticeDb(t.db).selectFrom('incident_notice_recipients').selectAll().where('send_id', '=', s.ok ? s.sendId : 0).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ status: 'failed', attempts: 5 });
    expect(r.last_error).toMatch(/^ECONNECTION: 421/);
  });
});
