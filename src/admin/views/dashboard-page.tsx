import type { AdminViewContext } from './admin-layout.tsx';
import { CsrfField } from './admin-layout.tsx';

export function DashboardPage({ ctx, sessions }: { ctx: AdminViewContext; sessions: number }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.dashboard.title}</h1>
      <p>{m.dashboard.intro}</p>
      <p>{m.dashboard.sessions}: <span id="session-count">{sessions}</span></p>
      <form method="post" action="/admin/logout-everywhere">
        <CsrfField ctx={ctx} />
        <button type="submit">{m.nav.logoutEverywhere}</button>
      </form>
    </section>
  );
}
