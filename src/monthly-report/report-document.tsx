// The monthly report as one self-contained HTML document (forwarded by mail, opened offline,
// printed to PDF): no script, no external resource, the charts inline as SVG, and one <style>
// allowed by its hash, so the document keeps a strict CSP both in its <meta> and when served.
import { createHash } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { shopLocalTime } from '../admin/access-signals/shop-local-time.ts';
import type { MonthlyReportSectionId } from './report-contract.ts';
import { reportMessages, type ReportMessages } from './report-messages.ts';
import type { MonthlyReportDocument, SectionData, SectionStatus } from './report-schema.ts';

const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "IPAGothic", "IPAゴシック", "IPAPGothic", "Noto Sans CJK JP", sans-serif; font-size: 10pt; line-height: 1.5; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #333; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 1px solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 9pt; font-weight: bold; border: 1px solid #333; margin-left: 2mm; }
.green { background: #d9f0d3; } .amber { background: #fee8a8; } .red { background: #f8c5c0; } .not-collected { background: #e4e4e4; }
.overall { font-size: 13pt; padding: 2mm 4mm; border: 2px solid #333; display: inline-block; margin: 2mm 0; }
.reason, .note { color: #444; font-size: 9pt; }
.comment { border-left: 3px solid #3b6ea5; padding-left: 3mm; white-space: pre-wrap; }
tr.overdue td { background: #fbe0dc; font-weight: bold; }
.hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
figure { margin: 2mm 0; break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The CSP to serve the document with: only its own style, nothing loads, nothing runs. */
export const MONTHLY_REPORT_CSP = `default-src 'none'; style-src ${STYLE_HASH}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export interface ReportCharts { scanFindings?: string; advisoriesByAge?: string; loginFailures?: string }

function when(iso: string | null | undefined, tz: string): string {
  if (!iso) return '—';
  const t = shopLocalTime(new Date(iso), tz);
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${t.clock}`;
}

const LIST_LIMIT = 50;

function Table<T>({ head, rows, cells, m, rowClass }: { head: string[]; rows: T[]; cells: (r: T) => ComponentChildren[]; m: ReportMessages; rowClass?: (r: T) => string | undefined }) {
  if (rows.length === 0) return <p>{m.none}</p>;
  return (
    <>
      <table>
        <thead><tr>{head.map((h) => <th scope="col">{h}</th>)}</tr></thead>
        <tbody>{rows.slice(0, LIST_LIMIT).map((r) => <tr class={rowClass?.(r)}>{cells(r).map((c) => <td class={typeof c === 'number' ? 'n' : undefined}>{c}</td>)}</tr>)}</tbody>
      </table>
      {rows.length > LIST_LIMIT ? <p class="note">{m.more(rows.length - LIST_LIMIT)}</p> : null}
    </>
  );
}

function Figures({ rows }: { rows: [string, ComponentChildren][] }) {
  return <table><tbody>{rows.map(([k, v]) => <tr><th scope="row">{k}</th><td class={typeof v === 'number' ? 'n' : undefined}>{v}</td></tr>)}</tbody></table>;
}

const Badge = ({ status, m }: { status: SectionStatus; m: ReportMessages }) => <span class={`badge ${status}`}>{m.status[status]}</span>;
const Chart = ({ svg }: { svg?: string }) => (svg ? <figure dangerouslySetInnerHTML={{ __html: svg }} /> : null);

function Section({ id, doc, m, children }: { id: MonthlyReportSectionId; doc: MonthlyReportDocument; m: ReportMessages; children?: ComponentChildren }) {
  const s = doc.sections[id];
  return (
    <section id={id}>
      <h2>{m.sections[id]}<Badge status={s.status} m={m} /></h2>
      {s.status === 'not-collected' ? <p class="reason">{`${m.notCollected}. ${m.reason}: ${s.notCollectedReason ?? ''}`}</p> : children}
      {s.comment ? <><h3>{m.comment}</h3><p class="comment">{s.comment}</p></> : null}
    </section>
  );
}

function body(doc: MonthlyReportDocument, m: ReportMessages, charts: ReportCharts) {
  const tz = doc.timeZone;
  const d = <K extends keyof MonthlyReportDocument['sections']>(k: K) => doc.sections[k].data as SectionData<K> | null;
  const summary = d('summary')!;
  const runs = d('what-runs');
  const vulns = d('vulnerabilities');
  const scans = d('external-scans');
  const watch = d('integrity-page-watch');
  const access = d('access');
  const pay = d('payments');
  const card = d('card-data');
  const audit = d('audit-chain');
  const inc = d('incidents');
  const comp = d('compliance');
  const open = d('open-actions');
  const sev = (s: string) => m.vulns.severities[s] ?? s;
  const num = (v: number | null) => (v === null ? m.notCollected : v);
  return (
    <body>
      <h1>{m.title(doc.month)}</h1>
      <Figures rows={[[m.shop, doc.shopName], [m.period, `${when(doc.period.start, tz)} – ${when(doc.period.end, tz)} (${tz})`], [m.generatedAt, when(doc.generatedAt, tz)]]} />
      <p class="note">{m.draftNote}</p>

      <Section id="summary" doc={doc} m={m}>
        <p class={`overall ${summary.overall}`}>{`${m.overall}: ${m.status[summary.overall]}`}</p>
        <Table m={m} head={[m.sectionStatus, m.thisMonth, m.previousMonth]} rows={summary.sections}
          cells={(s) => [m.sections[s.id], <Badge status={s.status} m={m} />, s.previous ? <Badge status={s.previous} m={m} /> : '—']} />
        <h3>{m.changes}</h3>
        <Table m={m} head={[m.figure, m.previousMonth, m.thisMonth]} rows={summary.changes} cells={(c) => [m.figures[c.figure] ?? c.figure, num(c.previous), num(c.current)]} />
        {summary.actions.length ? <><h3>{m.actions}</h3><Table m={m} head={[m.openActions.text, m.openActions.owner, m.openActions.due, m.openActions.status]} rows={summary.actions}
          cells={(a) => [a.text, a.owner ?? '—', a.due ?? '—', m.openActions.statuses[a.status] ?? a.status]} /></> : null}
      </Section>

      <Section id="what-runs" doc={doc} m={m}>
        {runs ? <>
          <Figures rows={[
            [m.whatRuns.snapshot, when(runs.snapshotTakenAt, tz)],
            [m.whatRuns.node, runs.node ? `${runs.node.version} (${runs.node.phase}${runs.node.endOfLife ? `, ${m.whatRuns.eolDate} ${runs.node.endOfLife}` : ''})` : '—'],
            [m.whatRuns.openssl, runs.node?.openssl ?? '—'],
            [m.whatRuns.systemOpenssl, runs.systemOpenssl ?? '—'],
            [m.whatRuns.database, runs.database ? `${runs.database.name} ${runs.database.version}` : '—'],
            [m.whatRuns.npm, runs.counts.npm], [m.whatRuns.os, runs.counts.os], [m.whatRuns.runtimeLibraries, runs.counts.runtimeLibraries], [m.whatRuns.total, runs.counts.total],
          ]} />
          <h3>{m.whatRuns.eolWarnings}</h3>
          <Table m={m} head={[m.whatRuns.name, m.whatRuns.version, m.whatRuns.eolDate, '']} rows={runs.endOfLifeWarnings} rowClass={(w) => (w.ended ? 'overdue' : undefined)}
            cells={(w) => [w.component, w.version, w.endOfLife ?? '—', w.ended ? m.whatRuns.ended : m.whatRuns.ending]} />
          {runs.previousSnapshot ? <>
            <h3>{`${m.whatRuns.upgraded} (${runs.upgraded.length})`}</h3>
            <Table m={m} head={[m.whatRuns.kind, m.whatRuns.name, m.whatRuns.from, m.whatRuns.to]} rows={runs.upgraded} cells={(c) => [c.kind, c.name, c.from, c.to]} />
            <h3>{`${m.whatRuns.added} (${runs.added.length})`}</h3>
            <Table m={m} head={[m.whatRuns.kind, m.whatRuns.name, m.whatRuns.version]} rows={runs.added} cells={(c) => [c.kind, c.name, c.version]} />
            <h3>{`${m.whatRuns.removed} (${runs.removed.length})`}</h3>
            <Table m={m} head={[m.whatRuns.kind, m.whatRuns.name, m.whatRuns.version]} rows={runs.removed} cells={(c) => [c.kind, c.name, c.version]} />
          </> : <p class="note">{m.whatRuns.noPrevious}</p>}
        </> : null}
      </Section>

      <Section id="vulnerabilities" doc={doc} m={m}>
        {vulns ? <>
          <Figures rows={[[m.vulns.lastCheck, when(vulns.lastCheckAt, tz)], [m.vulns.checksInMonth, vulns.checksInMonth], [m.vulns.open, vulns.open], [m.vulns.new, vulns.new], [m.vulns.fixed, vulns.fixed], [m.vulns.overdue, vulns.overdue],
            [m.vulns.targets, (['critical', 'high', 'medium', 'low'] as const).map((s) => `${sev(s)} ${vulns.targetDays[s]}${m.vulns.days}`).join(' / ')]]} />
          <Table m={m} head={[m.vulns.severity, m.vulns.open, m.vulns.overdue]} rows={vulns.bySeverity} cells={(s) => [sev(s.severity), s.open, s.overdue]} />
          <Chart svg={charts.advisoriesByAge} />
          <Table m={m} head={[m.vulns.advisory, m.vulns.component, m.vulns.severity, m.vulns.state, m.vulns.firstSeen, m.vulns.age, m.vulns.target]} rows={vulns.items} rowClass={(i) => (i.overdue ? 'overdue' : undefined)}
            cells={(i) => [i.advisoryId, `${i.component} ${i.version}`, sev(i.severity), `${m.vulns.states[i.state]}${i.overdue ? ` (${m.vulns.overdue})` : ''}${i.fixedAt ? ` ${when(i.fixedAt, tz)}` : ''}`, when(i.firstSeenAt, tz), i.ageDays, i.targetDays]} />
        </> : null}
      </Section>

      <Section id="external-scans" doc={doc} m={m}>
        {scans ? <>
          <Figures rows={[[m.scans.runs, scans.runs], [m.scans.passing, scans.passing], [m.scans.failing, scans.failing]]} />
          <Table m={m} head={[m.scans.target, m.scans.lastScan, m.scans.verdict, m.scans.findings, m.scans.lastPass, m.scans.due]} rows={scans.targets} rowClass={(t) => (t.overdue ? 'overdue' : undefined)}
            cells={(t) => [t.url, when(t.lastScanAt, tz), t.verdict ? m.scans.verdicts[t.verdict] ?? t.verdict : '—', t.findings, when(t.lastPassingAt, tz), `${t.quarterlyDueOn ?? '—'}${t.overdue ? ` (${m.scans.overdue})` : ''}`]} />
          <Table m={m} head={[m.scans.target, m.scans.id, m.scans.title, m.scans.severity]} rows={scans.findings} cells={(f) => [f.target, f.id, f.title, `${f.severity} (${f.cvss})`]} />
          <Chart svg={charts.scanFindings} />
        </> : null}
      </Section>

      <Section id="integrity-page-watch" doc={doc} m={m}>
        {watch ? <>
          <Figures rows={[[m.watch.alerts, watch.alertsTotal], [m.watch.unacknowledged, watch.unacknowledged]]} />
          <Table m={m} head={[m.watch.kind, m.watch.runs, m.watch.clean, m.watch.findings, m.watch.error]} rows={[[m.watch.integrityRuns, watch.integrityRuns], [m.watch.pageWatchRuns, watch.pageWatchRuns]] as const}
            cells={([label, c]) => [label, c.runs, c.clean, c.findings, c.error]} />
          <Table m={m} head={[m.watch.kind, m.watch.severity, m.watch.count]} rows={watch.alerts} cells={(a) => [a.kind, sev(a.severity), a.count]} />
          <h3>{m.watch.approvals}</h3>
          <Table m={m} head={[m.watch.action, m.watch.at, m.watch.actor]} rows={watch.approvals} cells={(a) => [a.action, when(a.at, tz), a.actor ?? '—']} />
        </> : null}
      </Section>

      <Section id="access" doc={doc} m={m}>
        {access ? <>
          <Figures rows={[[m.access.logins, access.logins], [m.access.failures, access.failures], [m.access.lockouts, access.lockouts], [m.access.newAddresses, access.newAddresses],
            [m.access.newDevices, access.newDevices], [m.access.vendorSessions, access.vendorSessions], [m.access.offHours, access.offHoursVendorSignIns]]} />
          <Chart svg={charts.loginFailures} />
          <h3>{m.access.vendorActions}</h3>
          <Table m={m} head={[m.access.action, m.access.count]} rows={access.vendorActions} cells={(a) => [a.action, a.count]} />
          <h3>{m.access.accountChanges}</h3>
          <Table m={m} head={[m.access.at, m.access.action, m.access.target, m.access.actor, m.access.detail]} rows={access.accountChanges} cells={(c) => [when(c.at, tz), c.action, c.target ?? '—', c.actor ?? '—', c.detail]} />
        </> : null}
      </Section>

      <Section id="payments" doc={doc} m={m}>
        {pay ? <>
          <Figures rows={[[m.payments.velocityBlocks, pay.velocityBlocks], [m.payments.declineBlocks, pay.declineBlocks], [m.payments.declines, pay.declines], [m.payments.reviewCases, pay.reviewCases],
            [m.payments.amountMismatches, pay.amountMismatches], [m.payments.paidOrders, pay.paidOrders]]} />
          <p class="note">{m.payments.note}</p>
        </> : null}
      </Section>

      <Section id="card-data" doc={doc} m={m}>
        {card ? <Figures rows={[[m.cardData.runs, card.runs], [m.cardData.findingsRuns, card.findingsRuns], [m.cardData.errorRuns, card.errorRuns],
          [m.cardData.latest, `${when(card.latest.at, tz)} ${m.cardData.outcomes[card.latest.outcome] ?? card.latest.outcome}`]]} /> : null}
      </Section>

      <Section id="audit-chain" doc={doc} m={m}>
        {audit ? <Figures rows={[[m.audit.verifiedAt, when(audit.verifiedAt, tz)], [m.audit.result, audit.ok ? m.audit.ok : m.audit.broken], [m.audit.entries, audit.entries],
          [m.audit.head, <span class="hash">{audit.head ? `#${audit.head.id} ${audit.head.hash}` : '—'}</span>],
          [m.audit.monthEndHead, <span class="hash">{audit.monthEndHead ? `#${audit.monthEndHead.id} ${audit.monthEndHead.hash}` : '—'}</span>],
          [m.audit.entriesInMonth, audit.entriesInMonth],
          ...(audit.breakAt ? [[m.audit.breakAt, `#${audit.breakAt.id} ${audit.breakAt.reason}`] as [string, string]] : [])]} /> : null}
      </Section>

      <Section id="incidents" doc={doc} m={m}>
        {inc ? <>
          <Figures rows={[[m.incidents.opened, inc.openedInMonth], [m.incidents.closed, inc.closedInMonth], [m.incidents.openAtEnd, inc.openAtMonthEnd]]} />
          <Table m={m} head={[m.incidents.reference, m.incidents.title, m.incidents.status, m.incidents.awareAt, m.incidents.closedAt]} rows={inc.items}
            cells={(i) => [i.reference, i.title, m.incidents.statuses[i.status] ?? i.status, when(i.awareAt, tz), when(i.closedAt, tz)]} />
        </> : null}
      </Section>

      <Section id="compliance" doc={doc} m={m}>
        {comp ? <>
          <Figures rows={[[m.compliance.evaluatedAt, when(comp.evaluatedAt, tz)], [m.compliance.automated, comp.counts.automated], [m.compliance.manual, comp.counts.manual],
            [m.compliance.passing, comp.counts.passing], [m.compliance.failing, comp.counts.failing], [m.compliance.notCollected, comp.counts.notCollected]]} />
          <Table m={m} head={[m.compliance.reference, m.compliance.title, m.compliance.kind, m.compliance.status]} rows={comp.items} rowClass={(i) => (i.status === 'fail' ? 'overdue' : undefined)}
            cells={(i) => [i.reference, i.title, i.kind, i.status]} />
        </> : null}
      </Section>

      <Section id="open-actions" doc={doc} m={m}>
        {open ? <Table m={m} head={[m.openActions.text, m.openActions.owner, m.openActions.due, m.openActions.status]} rows={open.actions} rowClass={(a) => (a.overdue ? 'overdue' : undefined)}
          cells={(a) => [a.text, a.owner ?? '—', a.due ?? '—', `${m.openActions.statuses[a.status] ?? a.status}${a.overdue ? ` (${m.openActions.overdue})` : ''}`]} /> : null}
      </Section>
    </body>
  );
}

export function renderMonthlyReportHtml(doc: MonthlyReportDocument, charts: ReportCharts = {}): string {
  const m = reportMessages(doc.locale);
  const page = (
    <html lang={doc.locale}>
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content={MONTHLY_REPORT_CSP.replace("; frame-ancestors 'none'", '')} />
        <title>{`${m.title(doc.month)} — ${doc.shopName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      {body(doc, m, charts)}
    </html>
  );
  return `<!doctype html>${renderToString(page)}`;
}
