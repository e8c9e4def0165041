// /admin/reports/sales: the sales report page and its CSV. Owner, staff and auditor
// (route-access.ts): figures only, no personal data.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { formatYen } from '../i18n/locale.ts';
import { addDays, localDate } from '../incidents/legal-deadlines.ts';
import { barChartSvg } from './sales-chart.ts';
import { salesCsv } from './sales-csv.ts';
import { salesMessages, type SalesMessages } from './sales-messages.ts';
import { nextMonth, REPORTED_RATES, salesReport, type SalesReport } from './sales-report.ts';

const Query = z.object({
  view: z.enum(['daily', 'monthly']).catch('daily').default('daily'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
  year: z.string().regex(/^\d{4}$/).optional(),
});
type ReportQuery = { view: 'daily' | 'monthly'; month: string; year: string };

/** The report's range for a query: a month by day, or a year by month. */
function rangeOf(q: ReportQuery): { from: string; to: string; granularity: 'day' | 'month' } {
  return q.view === 'daily'
    ? { from: `${q.month}-01`, to: `${nextMonth(q.month)}-01`, granularity: 'day' }
    : { from: `${q.year}-01-01`, to: `${Number(q.year) + 1}-01-01`, granularity: 'month' };
}

export async function salesReportRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  /** The query with today's month and year filled in, or the fields it got wrong. */
  function parseQuery(raw: unknown, m: SalesMessages, tz: string): { ok: true; q: ReportQuery } | { ok: false; q: ReportQuery; errors: Partial<Record<'month' | 'year', string>> } {
    const today = localDate(shop.clock(), tz);
    const r = raw as Record<string, unknown>;
    const parsed = Query.safeParse(raw ?? {});
    const fallback: ReportQuery = { view: r?.view === 'monthly' ? 'monthly' : 'daily', month: today.slice(0, 7), year: today.slice(0, 4) };
    if (parsed.success) return { ok: true, q: { view: parsed.data.view, month: parsed.data.month ?? fallback.month, year: parsed.data.year ?? fallback.year } };
    const errors: Partial<Record<'month' | 'year', string>> = {};
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === 'month') errors.month = m.invalidMonth;
      if (issue.path[0] === 'year') errors.year = m.invalidYear;
    }
    return { ok: false, q: fallback, errors };
  }

  app.get('/reports/sales', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = salesMessages(ctx.locale);
    const tz = adminTimeZone(request);
    const parsed = parseQuery(request.query, m, tz);
    const report = await salesReport(db, { ...rangeOf(parsed.q), timeZone: tz });
    const today = localDate(shop.clock(), tz);
    const [days, months] = await Promise.all([
      salesReport(db, { from: addDays(today, -29), to: addDays(today, 1), granularity: 'day', timeZone: tz }),
      salesReport(db, { from: `${monthsBefore(today.slice(0, 7), 11)}-01`, to: `${nextMonth(today.slice(0, 7))}-01`, granularity: 'month', timeZone: tz }),
    ]);
    const [daysSvg, monthsSvg] = await Promise.all([
      barChartSvg(days.periods.map((p) => ({ label: p.period.slice(5), value: p.net })), { x: m.chartDay, y: m.chartNet }),
      barChartSvg(months.periods.map((p) => ({ label: p.period, value: p.net })), { x: m.chartMonth, y: m.chartNet }),
    ]);
    const errors = parsed.ok ? {} : parsed.errors;
    const csvHref = `/admin/reports/sales.csv?view=${parsed.q.view}&${parsed.q.view === 'daily' ? `month=${parsed.q.month}` : `year=${parsed.q.year}`}`;
    return sendAdminPage(reply, ctx, m.title, (
      <section class="sales-report">
        <h1>{m.title}</h1>
        <p>{m.intro}</p>
        {!parsed.ok ? <div class="error-summary" role="alert"><ul>{Object.values(errors).map((e) => <li>{e}</li>)}</ul></div> : null}
        <form method="get" action="/admin/reports/sales" class="inline-form">
          <label for="view">{m.view}</label>
          <select id="view" name="view">
            <option value="daily" selected={parsed.q.view === 'daily'}>{m.daily}</option>
            <option value="monthly" selected={parsed.q.view === 'monthly'}>{m.monthly}</option>
          </select>
          <label for="month">{m.month}</label>
          <input id="month" name="month" type="month" value={parsed.q.month} aria-invalid={errors.month ? 'true' : undefined} aria-describedby={errors.month ? 'month-error' : undefined} />
          {errors.month ? <span id="month-error" class="field-error">{errors.month}</span> : null}
          <label for="year">{m.year}</label>
          <input id="year" name="year" type="number" min={2000} max={2999} value={parsed.q.year} aria-invalid={errors.year ? 'true' : undefined} aria-describedby={errors.year ? 'year-error' : undefined} />
          {errors.year ? <span id="year-error" class="field-error">{errors.year}</span> : null}
          <button type="submit">{m.show}</button>
        </form>
        <p><a href={csvHref} download>{m.csv}</a></p>
        <SalesTable report={report} m={m} />
        <p class="note">{m.reducedMark}. {m.discountNote} {m.refundNote}</p>
        <figure role="img" aria-label={m.last30Days}><figcaption>{m.last30Days}</figcaption><div dangerouslySetInnerHTML={{ __html: daysSvg }} /></figure>
        <figure role="img" aria-label={m.last12Months}><figcaption>{m.last12Months}</figcaption><div dangerouslySetInnerHTML={{ __html: monthsSvg }} /></figure>
      </section>
    ), parsed.ok ? 200 : 400);
  });

  app.get('/reports/sales.csv', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = salesMessages(ctx.locale);
    const tz = adminTimeZone(request);
    const parsed = parseQuery(request.query, m, tz);
    if (!parsed.ok) {
      return reply.code(400).type('application/problem+json').send({ type: 'about:blank', title: 'Invalid report period', status: 400, detail: Object.values(parsed.errors).join(' ') });
    }
    const range = rangeOf(parsed.q);
    const report = await salesReport(db, { ...range, timeZone: tz });
    const account = signedInAccount(request);
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'sales_report.exported', target: 'sales', ip: request.ip, after: range, at: shop.clock() });
    const name = parsed.q.view === 'daily' ? `sales-daily-${parsed.q.month}.csv` : `sales-monthly-${parsed.q.year}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(salesCsv(report, m));
  });
}

function monthsBefore(month: string, n: number): string {
  let [y, mo] = month.split('-').map(Number) as [number, number];
  mo -= n;
  while (mo < 1) { mo += 12; y -= 1; }
  return `${y}-${String(mo).padStart(2, '0')}`;
}

function SalesTable({ report, m }: { report: SalesReport; m: SalesMessages }) {
  const row = (p: SalesReport['total'], label: string, total = false) => {
    const Cell = total ? 'th' : 'td';
    return (
      <tr class={total ? 'total' : undefined}>
        <th scope="row">{label}</th>
        <Cell class="num">{p.orders}</Cell><Cell class="num">{formatYen(p.discounts)}</Cell><Cell class="num">{formatYen(p.sales)}</Cell><Cell class="num">{formatYen(p.refunds)}</Cell><Cell class="num">{formatYen(p.net)}</Cell>
        {REPORTED_RATES.map((rate) => {
          const f = p.rates.find((x) => x.rate === rate)!;
          return <><Cell class="num">{formatYen(f.netSales)}</Cell><Cell class="num">{formatYen(f.netTax)}</Cell></>;
        })}
      </tr>
    );
  };
  return (
    <table class="sales-table">
      <thead>
        <tr>
          <th scope="col">{m.period}</th><th scope="col">{m.orders}</th><th scope="col">{m.discounts}</th><th scope="col">{m.sales}</th><th scope="col">{m.refunds}</th><th scope="col">{m.net}</th>
          {REPORTED_RATES.map((r) => <><th scope="col">{m.rateNetSales(r)}</th><th scope="col">{m.rateNetTax(r)}</th></>)}
        </tr>
      </thead>
      <tbody>{report.periods.map((p) => row(p, p.period))}</tbody>
      <tfoot>{row(report.total, m.total, true)}</tfoot>
    </table>
  );
}
