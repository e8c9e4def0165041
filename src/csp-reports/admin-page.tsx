// GET /admin/security/csp-reports: the stored CSP violation reports, grouped by directive and
// blocked URL (ja/en). Read-only: who may see it is in src/admin/route-access.ts.
import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../i18n/locale.ts';
import { adminViewContext, sendAdminPage } from '../admin/admin-view-context.ts';
import type { AdminViewContext } from '../admin/views/admin-layout.tsx';
import { cspReportGroups, storedCspReportCount, type CspReportGroup } from './csp-reports.ts';

const when = (iso: string, ctx: AdminViewContext) => <time datetime={iso}>{formatDateTime(iso, ctx.locale, ctx.timeZone)}</time>;

export function CspReportsPage({ ctx, groups, stored, maxStored }: { ctx: AdminViewContext; groups: CspReportGroup[]; stored: number; maxStored: number }) {
  const c = ctx.m.securityArea.cspReports;
  return (
    <section>
      <h1>{c.title}</h1>
      <p>{c.intro}</p>
      <p class="notice" id="csp-reports-untrusted">{c.untrusted}</p>
      <p id="csp-reports-stored">{c.stored(stored, maxStored)}</p>
      {groups.length === 0 ? <p id="no-csp-reports">{c.none}</p> : (
        <table class="cart-table csp-report-groups">
          <thead>
            <tr>
              <th scope="col">{c.directive}</th><th scope="col">{c.blocked}</th><th scope="col">{c.count}</th>
              <th scope="col">{c.firstSeen}</th><th scope="col">{c.lastSeen}</th><th scope="col">{c.sample}</th><th scope="col">{c.paymentPage}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr data-directive={g.effectiveDirective} data-blocked={g.blockedUrl} data-payment-page={g.onPaymentPage ? 'yes' : 'no'}>
                <td><code>{g.effectiveDirective}</code></td>
                <td><code>{g.blockedUrl}</code></td>
                <td>{g.count}</td>
                <td>{when(g.firstSeenAt, ctx)}</td>
                <td>{when(g.lastSeenAt, ctx)}</td>
                <td><code>{g.sampleDocumentUrl}</code></td>
                <td>{g.onPaymentPage ? <strong>{c.yes}</strong> : c.no}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export async function cspReportAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  app.get('/security/csp-reports', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const [groups, stored] = await Promise.all([cspReportGroups(shop.db.db), storedCspReportCount(shop.db.db)]);
    return sendAdminPage(reply, ctx, ctx.m.securityArea.cspReports.title, <CspReportsPage ctx={ctx} groups={groups} stored={stored} maxStored={shop.config.cspReports.maxStored} />);
  });
}
