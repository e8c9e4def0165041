import type { ComponentChildren } from 'preact';
import type { AdminViewContext } from './admin-layout.tsx';
import { CsrfField } from './admin-layout.tsx';
import type { SecurityAlert } from '../../alerts/alert-tables.ts';
import { OpenAlerts, PauseBanner, type Pauses } from './security-pages.tsx';

export function DashboardPage({ ctx, sessions, alerts, pauses, actorLabel, mayAcknowledge, linkToPausePage, notice, error, accessActivity }: {
  ctx: AdminViewContext; sessions: number; alerts: SecurityAlert[]; pauses: Pauses; actorLabel: (actor: string) => string;
  mayAcknowledge: boolean; linkToPausePage: boolean; notice?: string | undefined; error?: string | undefined;
  /** The last 30 days of back-office access (access-signals/access-activity-table.tsx), for the roles that read the audit log. */
  accessActivity?: ComponentChildren;
}) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.dashboard.title}</h1>
      <PauseBanner ctx={ctx} pauses={pauses} actorLabel={actorLabel} linkToPausePage={linkToPausePage} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      <p>{m.dashboard.intro}</p>
      <OpenAlerts ctx={ctx} alerts={alerts} mayAcknowledge={mayAcknowledge} />
      {accessActivity}
      <h2>{m.dashboard.sessions}</h2>
      <p>{m.dashboard.sessions}: <span id="session-count">{sessions}</span></p>
      <form method="post" action="/admin/logout-everywhere">
        <CsrfField ctx={ctx} />
        <button type="submit">{m.nav.logoutEverywhere}</button>
      </form>
    </section>
  );
}
