// The dashboard's access table: one row per day, newest first, a total row; a plain table with
// a caption and header cells so a screen reader announces each count with its day and metric.
import type { AdminViewContext } from '../views/admin-layout.tsx';
import type { AccessActivityDay, AccessActivityMetric } from './access-activity.ts';

const METRICS: AccessActivityMetric[] = ['logins', 'failures', 'lockouts', 'newAddresses', 'vendorSessions'];

export function AccessActivityTable({ ctx, days, timeZone }: { ctx: AdminViewContext; days: AccessActivityDay[]; timeZone: string }) {
  const t = ctx.m.accessSignals.activity;
  const total = (metric: AccessActivityMetric) => days.reduce((sum, d) => sum + d[metric], 0);
  return (
    <section aria-labelledby="access-activity-heading">
      <h2 id="access-activity-heading">{t.title}</h2>
      <table class="cart-table" id="access-activity">
        <caption>{t.caption(timeZone)}</caption>
        <thead>
          <tr><th scope="col">{t.day}</th>{METRICS.map((m) => <th scope="col">{t.metrics[m]}</th>)}</tr>
        </thead>
        <tbody>
          {[...days].reverse().map((d) => (
            <tr data-date={d.date}>
              <th scope="row"><time datetime={d.date}>{d.date}</time></th>
              {METRICS.map((m) => <td data-metric={m}>{d[m]}</td>)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-date="total"><th scope="row">{t.total}</th>{METRICS.map((m) => <td data-metric={m}>{total(m)}</td>)}</tr>
        </tfoot>
      </table>
    </section>
  );
}
