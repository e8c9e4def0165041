// Reminders of the monthly report's sign-off, for last month's report (shop time): from the
// configured submit-by day (MONTHLY_REPORT_SUBMIT_BY_DAY, default the 10th) while it is not submitted
// → the vendor accounts and the owners; from the approve-by day (MONTHLY_REPORT_APPROVE_BY_DAY,
// default the 20th) while it is not approved → the committee. As the incident deadline reminders do
// (src/incidents/incident-reminders.ts), each (month, kind) is recorded before its mails go out, so
// none is sent twice, whichever instance runs the job and however often.
import type { ShopContext } from '../shop-context.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import { committeeDb } from './committee-tables.ts';
import { committeeMembers } from './committee-members.ts';
import { addMonths, loadReview, monthOf } from './review-service.ts';

type ReminderContext = Pick<ShopContext, 'db' | 'mailer' | 'config' | 'logger' | 'clock'>;
export type ReportReminderKind = 'submit' | 'approve';

const escapeHtml = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

function reminderMail(kind: ReportReminderKind, month: string, day: number, ctx: ReminderContext) {
  const ja = kind === 'submit'
    ? `${month} の月次セキュリティ報告が${day}日までに提出されていません`
    : `${month} の月次セキュリティ報告が${day}日までに承認されていません`;
  const en = kind === 'submit'
    ? `the ${month} monthly security report was not submitted by day ${day}`
    : `the ${month} monthly security report was not approved by day ${day}`;
  const text = [
    ja, en, '',
    kind === 'submit' ? '保守担当（ベンダー）が下書きにコメントと対応事項を記入し、提出してください。' : 'セキュリティ委員会で内容を確認し、承認又は差し戻してください。',
    kind === 'submit' ? 'The system vendor adds comments and actions to the draft and submits it.' : 'The security committee reviews it and approves or returns it.',
    '',
    `管理画面 / Back office: ${ctx.config.publicUrl}/admin/security-reports/${month}`,
  ].join('\n');
  return { subject: `[${ctx.config.shopName}] ${ja} / ${en}`, text, html: `<pre>${escapeHtml(text)}</pre>` };
}

async function recipients(ctx: ReminderContext, kind: ReportReminderKind, now: Date): Promise<string[]> {
  const db = ctx.db.db;
  if (kind === 'approve') return (await committeeMembers(db)).map((a) => a.email);
  const accounts = await adminDb(db).selectFrom('admin_accounts').select(['email', 'role', 'access_expires_at'])
    .where('disabled', '=', 0).where('role', 'in', ['owner', 'vendor']).orderBy('id').execute();
  // A vendor whose time-boxed access has ended is no longer the one to do it.
  return accounts.filter((a) => a.role === 'owner' || !a.access_expires_at || a.access_expires_at > now.toISOString()).map((a) => a.email);
}

/** Sends what is due now; returns the reminders (not mails) that went out. */
export async function sendReportReminders(ctx: ReminderContext): Promise<ReportReminderKind[]> {
  const now = ctx.clock();
  const tz = ctx.config.timeZone;
  const day = Number(localDate(now, tz).slice(8, 10));
  const month = addMonths(monthOf(now, tz), -1);
  const review = await loadReview(ctx.db.db, month);
  const { submitByDay, approveByDay } = ctx.config.securityCommittee;
  const due: ReportReminderKind[] = [];
  if (day >= submitByDay && (review.state === 'draft' || review.state === 'returned')) due.push('submit');
  if (day >= approveByDay && review.state !== 'approved') due.push('approve');
  const sent: ReportReminderKind[] = [];
  for (const kind of due) {
    const recorded = await committeeDb(ctx.db.db).insertInto('monthly_report_reminders_sent').values({ month, kind, sent_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['month', 'kind']).doNothing()).returning('month').executeTakeFirst();
    if (!recorded) continue;
    sent.push(kind);
    const mail = reminderMail(kind, month, kind === 'submit' ? submitByDay : approveByDay, ctx);
    for (const to of await recipients(ctx, kind, now)) {
      try {
        await ctx.mailer.send({ to, ...mail });
      } catch (err) {
        ctx.logger.error({ err, month, kind }, 'monthly report reminder could not be sent');
      }
    }
  }
  return sent;
}

export function monthlyReportReminderJob(ctx: ReminderContext): JobDefinition {
  return {
    name: 'monthly-report-reminders',
    // Hourly: a shop that was down at a fixed hour still reminds the same day; the table keeps it to once.
    schedule: { everyMs: 3_600_000 },
    timeoutMs: 5 * 60_000,
    runAtStart: true,
    async run() {
      const sent = await sendReportReminders(ctx);
      if (sent.length > 0) ctx.logger.info({ sent }, 'monthly report reminders sent');
    },
  };
}
