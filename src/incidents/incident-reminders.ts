// E-mail reminders of the PPC deadlines to every active owner: two days before, on the due day,
// and once when overdue — until the report's task is done. Each (incident, clock, stage, due day)
// is recorded before its mail goes out, so a reminder is never sent twice, whichever instance runs
// the job and however often.
import type { ShopContext } from '../shop-context.ts';
import type { JobDefinition } from '../jobs/job-definition.ts';
import { incidentDb, type Incident } from './incident-tables.ts';
import { openIncidents } from './incident-service.ts';
import { daysLeft, LEGAL_CLOCKS, ppcReportDeadlines, type LegalClock } from './legal-deadlines.ts';
import { TASK_OF_CLOCK } from './incident-tasks.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';

export const REMINDER_STAGES = ['two_days_before', 'due_today', 'overdue'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/** Which reminder is due `left` days before the deadline (none while more than two days remain). */
export function reminderStage(left: number): ReminderStage | null {
  if (left < 0) return 'overdue';
  if (left === 0) return 'due_today';
  if (left <= 2) return 'two_days_before';
  return null;
}

type ReminderContext = Pick<ShopContext, 'db' | 'mailer' | 'config' | 'logger' | 'clock'>;

const CLOCK_NAMES: Record<LegalClock, { ja: string; en: string }> = {
  ppc_preliminary: { ja: '個人情報保護委員会への速報（速やかに（目安3〜5日））', en: 'preliminary report to the PPC (promptly: about 3–5 days)' },
  ppc_final: { ja: '個人情報保護委員会への確報', en: 'final report to the PPC' },
};
const STAGE_NAMES: Record<ReminderStage, { ja: string; en: string }> = {
  two_days_before: { ja: '期限の2日前です', en: 'due in two days' },
  due_today: { ja: '本日が期限です', en: 'due today' },
  overdue: { ja: '期限を過ぎています', en: 'OVERDUE' },
};

function reminderMail(incident: Incident, clock: LegalClock, stage: ReminderStage, dueOn: string, ctx: ReminderContext) {
  const subject = `[${ctx.config.shopName}] ${incident.reference}: ${CLOCK_NAMES[clock].ja} ${STAGE_NAMES[stage].ja} / ${CLOCK_NAMES[clock].en} ${STAGE_NAMES[stage].en}`;
  const text = [
    `${incident.reference} ${incident.title}`,
    '',
    `${CLOCK_NAMES[clock].ja}: 期限 ${dueOn}（${STAGE_NAMES[stage].ja}）`,
    `${CLOCK_NAMES[clock].en}: due ${dueOn} (${STAGE_NAMES[stage].en})`,
    '',
    `管理画面 / Back office: ${ctx.config.publicUrl}/admin/incidents/${incident.id}`,
  ].join('\n');
  const html = `<pre>${text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</pre>`;
  return { subject, text, html };
}

/** Sends what is due now; returns how many reminders (not mails) went out. */
export async function sendDeadlineReminders(ctx: ReminderContext): Promise<number> {
  const db = ctx.db.db;
  const now = ctx.clock();
  const tz = (await currentShopProfile(ctx)).timeZone;
  let sent = 0;
  for (const incident of await openIncidents(db)) {
    const deadlines = ppcReportDeadlines(new Date(incident.aware_at), incident.unauthorized_access === 1, tz);
    const tasks = await incidentDb(db).selectFrom('incident_tasks').select(['task_key', 'status']).where('incident_id', '=', incident.id).execute();
    for (const clock of LEGAL_CLOCKS) {
      const task = tasks.find((t) => t.task_key === TASK_OF_CLOCK[clock]);
      if (task && (task.status === 'done' || task.status === 'not_applicable')) continue;
      const { dueOn } = deadlines[clock];
      const stage = reminderStage(daysLeft(dueOn, now, tz));
      if (!stage) continue;
      const recorded = await incidentDb(db).insertInto('incident_reminders_sent')
        .values({ incident_id: incident.id, clock, stage, due_on: dueOn, sent_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['incident_id', 'clock', 'stage', 'due_on']).doNothing()).returning('incident_id').executeTakeFirst();
      if (!recorded) continue;
      sent++;
      const owners = await db.withTables<{ admin_accounts: { email: string; role: string; disabled: number } }>()
        .selectFrom('admin_accounts').select('email').where('role', '=', 'owner').where('disabled', '=', 0).execute();
      const mail = reminderMail(incident, clock, stage, dueOn, ctx);
      for (const owner of owners) {
        try {
          await ctx.mailer.send({ to: owner.email, ...mail });
        } catch (err) {
          ctx.logger.error({ err, incidentId: incident.id, clock, stage }, 'incident deadline reminder could not be sent');
        }
      }
    }
  }
  return sent;
}

export function incidentDeadlineReminderJob(ctx: ReminderContext): JobDefinition {
  return {
    name: 'incident-deadline-reminders',
    // Hourly rather than daily: a shop that was down at the daily hour still reminds the same day;
    // the sent-reminder table keeps it to once.
    schedule: { everyMs: 3_600_000 },
    timeoutMs: 5 * 60_000,
    runAtStart: true,
    async run() {
      const sent = await sendDeadlineReminders(ctx);
      if (sent > 0) ctx.logger.info({ sent }, 'incident deadline reminders sent');
    },
  };
}
