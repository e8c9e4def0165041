// The dashboard, shared by its GET route (account-routes.tsx) and the acknowledge form's answer
// (security-routes.tsx): sessions, the pause banner and the open alerts, most severe first.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listOpenAlerts } from '../alerts/raise-alert.ts';
import { activePauses } from '../shop-pause/shop-pause.ts';
import type { AdminDb } from './admin-tables.ts';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import { listAccounts } from './admin-accounts.ts';
import { accessFor, roleMayUse } from './route-access.ts';
import { DashboardPage } from './views/dashboard-page.tsx';
import { accessActivityByDay } from './access-signals/access-activity.ts';
import { accessSignalDb } from './access-signals/access-signal-tables.ts';
import { AccessActivityTable } from './access-signals/access-activity-table.tsx';
import { openIncidentsWithClocks } from '../incidents/incident-clocks.ts';
import { currentShopProfile, missingLegalNoticeItems } from '../shop-settings/shop-profile.ts';
import { LegalNoticeWarning } from '../shop-settings/settings-page.tsx';

export type DashboardFlash = { notice?: string; error?: string };

/** How the pages name an actor: `admin:<id>` as the account's e-mail, anything else (page-watch, cli) as it is. */
export async function actorLabels(db: AdminDb): Promise<(actor: string) => string> {
  const emails = new Map((await listAccounts(db)).map((a) => [`admin:${a.id}`, a.email]));
  return (actor) => emails.get(actor) ?? actor;
}

export async function sendDashboard(db: AdminDb, request: FastifyRequest, reply: FastifyReply, flash: DashboardFlash = {}, status = 200) {
  const account = signedInAccount(request);
  const may = (method: string, url: string) => {
    const access = accessFor(method, url);
    return access !== undefined && roleMayUse(access, account.role);
  };
  // The access counts come from the audit log: shown to the roles that may read it (owner, auditor).
  const showActivity = may('GET', '/admin/audit');
  const timeZone = adminTimeZone(request);
  const [sessions, alerts, pauses, label, activity] = await Promise.all([
    db.selectFrom('admin_sessions').where('account_id', '=', account.id).where('stage', '=', 'full').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    listOpenAlerts(db),
    activePauses(db),
    actorLabels(db),
    showActivity ? accessActivityByDay(accessSignalDb(db), request.server.shop.clock(), timeZone) : Promise.resolve(undefined),
  ]);
  const ctx = adminViewContext(request, reply);
  const incidents = may('GET', '/admin/incidents') ? await openIncidentsWithClocks(db, request.server.shop.clock(), timeZone) : [];
  const missingLegalItems = missingLegalNoticeItems(await currentShopProfile(request.server.shop));
  return sendAdminPage(reply, ctx, ctx.m.dashboard.title, (
    <DashboardPage ctx={ctx} sessions={Number(sessions.n)} alerts={alerts} pauses={pauses} actorLabel={label} incidents={incidents}
      mayAcknowledge={may('POST', '/admin/alerts/:id/acknowledge')} linkToPausePage={may('GET', '/admin/security/pause')} {...flash}
      accessActivity={activity ? <AccessActivityTable ctx={ctx} days={activity} timeZone={timeZone} /> : null}
      legalNoticeWarning={<LegalNoticeWarning ctx={ctx} missing={missingLegalItems} />} />
  ), status);
}
