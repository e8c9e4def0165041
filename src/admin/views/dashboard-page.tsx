import type { ComponentChildren } from 'preact';
import type { AdminViewContext } from './admin-layout.tsx';
import { CsrfField } from './admin-layout.tsx';
import type { SecurityAlert } from '../../alerts/alert-tables.ts';
import { OpenAlerts, PauseBanner, type Pauses } from './security-pages.tsx';
import { OpenIncidentsBanner } from '../../incidents/views/incident-pages.tsx';
import type { Incident } from '../../incidents/incident-tables.ts';
import type { ClockView } from '../../incidents/incident-clocks.ts';

export function DashboardPage({ ctx, sessions, alerts, pauses, actorLabel, mayAcknowledge, linkToPausePage, notice, error, accessActivity, incidents = [], legalNoticeWarning }: {
  ctx: AdminViewContext; sessions: number; alerts: SecurityAlert[]; pauses: Pauses; actorLabel: (actor: string) => string;
  /** Open incidents and their PPC deadlines (src/incidents/), for who may read incidents. */
  incidents?: { incident: Incident; clocks: ClockView[] }[];
  mayAcknowledge: boolean; linkToPausePage: boolean; notice?: string | undefined; error?: string | undefined;
  /** The last 30 days of back-office access (access-signals/access-activity-table.tsx), for the roles that read the audit log. */
  accessActivity?: ComponentChildren;
  /** What the 特定商取引法 notice still lacks (src/shop-settings/settings-page.tsx). */
  legalNoticeWarning?: ComponentChildren;
}) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.dashboard.title}</h1>
      <PauseBanner ctx={ctx} pauses={pauses} actorLabel={actorLabel} linkToPausePage={linkToPausePage} />
      <OpenIncidentsBanner ctx={ctx} incidents={incidents} />
      {legalNoticeWarning}
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
