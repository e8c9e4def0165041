// The incident pages of the back office: the list with the form to open one, the incident itself
// (deadlines, timeline, evidence, tasks, resumption checklist) and the PPC report draft. Plain
// server-rendered forms; each carries the session's CSRF token. Forms show only to who may use them.
import type { AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { CsrfField } from '../../admin/views/admin-layout.tsx';
import { formatDateTime } from '../../i18n/locale.ts';
import type { Incident, IncidentEvidence, IncidentTask } from '../incident-tables.ts';
import { TASK_STATUSES } from '../incident-tables.ts';
import type { IncidentMessages } from '../incident-messages.ts';
import type { TimelineItem } from '../incident-timeline.ts';
import type { ChecklistItem } from '../resumption-checklist.ts';
import { itemDone } from '../resumption-checklist.ts';
import { breachProcessTask } from '../incident-tasks.ts';
import { EVIDENCE_MAX_BYTES, EXPORTABLE_EVIDENCE } from '../incident-evidence.ts';
import { LEGAL_SOURCE_EN, LEGAL_SOURCE_JA } from '../legal-deadlines.ts';
import type { ClockView } from '../incident-clocks.ts';
import { incidentMessagesFor } from '../incident-messages.ts';
import { PPC_REPORT_ITEMS, REPORT_TYPE_JA, REPORT_TYPES, type PpcReportDraft } from '../ppc-report.ts';

/** Field messages of one form on the page, and what to show in it again. */
export interface FormState { form: string; fields: Record<string, string>; values: Record<string, string> }


const when = (iso: string, ctx: AdminViewContext) => <time datetime={iso}>{formatDateTime(iso, ctx.locale, ctx.timeZone)}</time>;
const MB = EVIDENCE_MAX_BYTES / 1024 / 1024;

function Flash({ notice, error }: { notice?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
    </>
  );
}

function Field({ id, name, label, state, form, type = 'text', required = true, maxLength, multiline, value }: {
  id: string; name: string; label: string; state: FormState | undefined; form: string; type?: 'text' | 'date' | 'datetime-local'; required?: boolean; maxLength?: number; multiline?: boolean; value?: string;
}) {
  const mine = state?.form === form ? state : undefined;
  const error = mine?.fields[name];
  const v = mine?.values[name] ?? value ?? '';
  const aria = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  return (
    <p>
      <label for={id}>{label}</label>
      {multiline
        ? <textarea id={id} name={name} rows={5} required={required} maxLength={maxLength} {...aria}>{v}</textarea>
        : type === 'text'
          ? <input id={id} name={name} type="text" required={required} maxLength={maxLength} value={v} {...aria} />
          : <input id={id} name={name} type={type} required={required} value={v} {...aria} />}
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </p>
  );
}

const clockStatus = (im: IncidentMessages, c: ClockView) => (c.done ? im.clocks.done : c.left < 0 ? im.clocks.overdue(-c.left) : c.left === 0 ? im.clocks.dueToday : im.clocks.daysLeft(c.left));
const clockLabel = (im: IncidentMessages, c: ClockView) => (c.clock === 'ppc_preliminary' ? im.clocks.preliminary : im.clocks.final(c.days));

function ClockLine({ im, c }: { im: IncidentMessages; c: ClockView }) {
  const label = clockLabel(im, c);
  const status = clockStatus(im, c);
  const overdue = !c.done && c.left < 0;
  return (
    <tr data-clock={c.clock} data-days-left={c.left} data-overdue={overdue ? 'true' : undefined}>
      <th scope="row">{label}</th>
      <td><time datetime={c.dueOn}>{c.dueOn}</time></td>
      <td>{overdue ? <strong class="field-error">{status}</strong> : c.left <= 2 && !c.done ? <strong>{status}</strong> : status}</td>
    </tr>
  );
}

export function IncidentListPage({ ctx, im, incidents, clocks, nowWallTime, mayOpen, state, error }: {
  ctx: AdminViewContext; im: IncidentMessages; incidents: Incident[]; clocks: Map<number, ClockView[]>; nowWallTime: string; mayOpen: boolean; state?: FormState | undefined; error?: string | undefined;
}) {
  return (
    <section>
      <h1>{im.listTitle}</h1>
      <Flash error={error} />
      {incidents.length === 0 ? <p id="no-incidents">{im.none}</p> : (
        <table class="cart-table incident-list">
          <thead><tr><th scope="col">{im.reference}</th><th scope="col">{im.title}</th><th scope="col">{im.status}</th><th scope="col">{im.awareAt}</th><th scope="col">{im.preliminary}</th><th scope="col">{im.final}</th></tr></thead>
          <tbody>
            {incidents.map((i) => {
              const [p, f] = clocks.get(i.id) ?? [];
              const cell = (c: ClockView | undefined) => (c ? `${c.dueOn} · ${clockStatus(im, c)}` : '');
              return (
                <tr data-incident-id={i.id}>
                  <td><a href={`/admin/incidents/${i.id}`}>{i.reference}</a></td>
                  <td>{i.title}</td>
                  <td>{im.statuses[i.status]}</td>
                  <td>{when(i.aware_at, ctx)}</td>
                  <td data-overdue={i.status === 'open' && p && !p.done && p.left < 0 ? 'true' : undefined}>{i.status === 'open' ? cell(p) : ''}</td>
                  <td data-overdue={i.status === 'open' && f && !f.done && f.left < 0 ? 'true' : undefined}>{i.status === 'open' ? cell(f) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mayOpen ? (
        <form method="post" action="/admin/incidents" id="open-incident" novalidate>
          <h2>{im.openTitle}</h2>
          <p class="note">{im.openIntro}</p>
          <CsrfField ctx={ctx} />
          <Field id="incident-title" name="title" label={im.fields.title} state={state} form="open" maxLength={200} />
          <Field id="incident-noticed" name="whatWasNoticed" label={im.fields.whatWasNoticed} state={state} form="open" maxLength={5000} multiline />
          <Field id="incident-aware" name="awareAt" label={im.fields.awareAt} state={state} form="open" type="datetime-local" value={nowWallTime} />
          <p>
            <input id="incident-unauth" name="unauthorizedAccess" type="checkbox" value="1" checked={state?.form === 'open' ? state.values.unauthorizedAccess === '1' : true} />
            <label for="incident-unauth">{im.fields.unauthorizedAccess}</label>
          </p>
          <button type="submit">{im.open}</button>
        </form>
      ) : null}
    </section>
  );
}

export interface IncidentPageProps {
  ctx: AdminViewContext;
  im: IncidentMessages;
  incident: Incident;
  clocks: ClockView[];
  timeline: TimelineItem[];
  period: { from: string; to: string };
  evidence: IncidentEvidence[];
  tasks: IncidentTask[];
  accounts: { id: number; email: string }[];
  checklist: ChecklistItem[];
  actorLabel: (actor: string) => string;
  mayEdit: boolean;
  notice?: string | undefined;
  error?: string | undefined;
  state?: FormState | undefined;
}

export function IncidentPage(p: IncidentPageProps) {
  const { ctx, im, incident } = p;
  const base = `/admin/incidents/${incident.id}`;
  const editable = p.mayEdit && incident.status === 'open';
  return (
    <section>
      <h1>{`${incident.reference} ${incident.title}`}</h1>
      <Flash notice={p.notice} error={p.error} />
      <dl>
        <dt>{im.status}</dt><dd data-status={incident.status}>{im.statuses[incident.status]}</dd>
        <dt>{im.awareAt}</dt><dd>{when(incident.aware_at, ctx)}</dd>
        <dt>{im.fields.whatWasNoticed}</dt><dd>{incident.what_was_noticed}</dd>
        <dt>{im.openedBy}</dt><dd>{`${p.actorLabel(incident.opened_by)} (${formatDateTime(incident.opened_at, ctx.locale, ctx.timeZone)})`}</dd>
      </dl>
      <nav aria-label={im.title}>
        <ul>
          <li><a href={`${base}/scope`}>{im.links.scope}</a></li>
          <li><a href={`${base}/notices`}>{im.links.notices}</a></li>
          <li><a href={`${base}/ppc-report`}>{im.links.ppcReport}</a></li>
        </ul>
      </nav>

      <section aria-labelledby="clocks-heading">
        <h2 id="clocks-heading">{im.clocks.title}</h2>
        <table class="cart-table legal-clocks"><tbody>{p.clocks.map((c) => <ClockLine im={im} c={c} />)}</tbody></table>
        <p class="note">{`${im.clocks.source}: ${ctx.locale === 'ja' ? LEGAL_SOURCE_JA : LEGAL_SOURCE_EN}`}</p>
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{im.timeline.title}</h2>
        <p class="note">{im.timeline.period(formatDateTime(p.period.from, ctx.locale, ctx.timeZone), formatDateTime(p.period.to, ctx.locale, ctx.timeZone))}</p>
        {p.timeline.length === 0 ? <p>{im.timeline.none}</p> : (
          <table class="cart-table incident-timeline">
            <thead><tr><th scope="col">{im.timeline.when}</th><th scope="col">{im.timeline.source}</th><th scope="col">{im.timeline.what}</th><th scope="col">{im.timeline.by}</th></tr></thead>
            <tbody>
              {p.timeline.map((t) => (
                <tr data-source={t.source} data-ref={t.ref} data-kind={t.kind}>
                  <td>{when(t.at, ctx)}</td><td>{im.timeline.sources[t.source]}<br /><code>{t.kind}</code></td>
                  <td>{t.summary}</td><td>{t.by ? p.actorLabel(t.by) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {editable ? (
          <form method="post" action={`${base}/timeline`} id="timeline-form" novalidate>
            <CsrfField ctx={ctx} />
            <Field id="timeline-when" name="occurredAt" label={im.fields.occurredAt} state={p.state} form="timeline" type="datetime-local" />
            <Field id="timeline-entry" name="entry" label={im.fields.entry} state={p.state} form="timeline" maxLength={5000} multiline />
            <button type="submit">{im.timeline.add}</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">{im.evidence.title}</h2>
        {p.evidence.length === 0 ? <p>{im.evidence.none}</p> : (
          <table class="cart-table incident-evidence">
            <thead><tr><th scope="col">{im.evidence.name}</th><th scope="col">{im.evidence.source}</th><th scope="col">{im.evidence.size}</th><th scope="col">{im.evidence.sha256}</th><th scope="col">{im.evidence.addedAt}</th><th scope="col">{im.evidence.addedBy}</th></tr></thead>
            <tbody>
              {p.evidence.map((e) => (
                <tr data-evidence-id={e.id} data-source={e.source}>
                  <td><a href={`${base}/evidence/${e.id}`}>{e.file_name}</a>{e.description ? <><br />{e.description}</> : null}</td>
                  <td>{im.evidence.sources[e.source]}</td><td>{e.size_bytes.toLocaleString()}</td>
                  <td><code class="sha256">{e.sha256}</code></td>
                  <td>{when(e.added_at, ctx)}</td><td>{p.actorLabel(e.added_by)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {editable ? (
          <>
            <form method="post" action={`${base}/evidence`} enctype="multipart/form-data" id="evidence-upload">
              <h3>{im.evidence.uploadTitle}</h3>
              <p class="note">{im.evidence.maxSize(MB)}</p>
              <CsrfField ctx={ctx} />
              <Field id="evidence-description" name="description" label={im.fields.description} state={p.state} form="upload" maxLength={500} required={false} />
              <p>
                <label for="evidence-file">{im.fields.file}</label>
                <input id="evidence-file" name="file" type="file" required aria-invalid={p.state?.form === 'upload' && p.state.fields.file ? 'true' : undefined} aria-describedby={p.state?.form === 'upload' && p.state.fields.file ? 'evidence-file-error' : undefined} />
                {p.state?.form === 'upload' && p.state.fields.file ? <span class="field-error" id="evidence-file-error">{p.state.fields.file}</span> : null}
              </p>
              <button type="submit">{im.evidence.upload}</button>
            </form>
            <form method="post" action={`${base}/evidence/export`} id="evidence-export" class="inline-form">
              <h3>{im.evidence.exportTitle}</h3>
              <CsrfField ctx={ctx} />
              {EXPORTABLE_EVIDENCE.map((s) => <button type="submit" name="source" value={s}>{`${im.evidence.export}: ${im.evidence.sources[s]}`}</button>)}
            </form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">{im.tasks.title}</h2>
        <table class="cart-table incident-tasks">
          <thead><tr><th scope="col">{im.tasks.task}</th><th scope="col">{im.fields.owner}</th><th scope="col">{im.fields.dueOn}</th><th scope="col">{im.fields.taskStatus}</th><th scope="col">{im.fields.note}</th>{editable ? <th scope="col">{im.checklist.action}</th> : null}</tr></thead>
          <tbody>
            {p.tasks.map((t) => {
              const def = breachProcessTask(t.task_key);
              const title = def ? (ctx.locale === 'ja' ? def.ja : def.en) : t.title ?? t.task_key;
              const form = `task-${t.id}`;
              const mine = p.state?.form === form ? p.state : undefined;
              const owner = p.accounts.find((a) => a.id === t.owner_account_id);
              if (!editable) {
                return (
                  <tr data-task-key={t.task_key} data-status={t.status}>
                    <td>{title}</td><td>{owner?.email ?? im.tasks.unassigned}</td><td>{t.due_on ?? ''}</td><td>{im.tasks.statuses[t.status]}</td><td>{t.note}</td>
                  </tr>
                );
              }
              return (
                <tr data-task-key={t.task_key} data-status={t.status}>
                  <td>{title}</td>
                  <td>
                    <select name="ownerAccountId" form={form} aria-label={`${im.fields.owner}: ${title}`}>
                      <option value="">{im.tasks.unassigned}</option>
                      {p.accounts.map((a) => <option value={String(a.id)} selected={a.id === t.owner_account_id}>{a.email}</option>)}
                    </select>
                  </td>
                  <td>
                    <input type="date" name="dueOn" form={form} value={mine?.values.dueOn ?? t.due_on ?? ''} aria-label={`${im.fields.dueOn}: ${title}`}
                      aria-invalid={mine?.fields.dueOn ? 'true' : undefined} aria-describedby={mine?.fields.dueOn ? `${form}-due-error` : undefined} />
                    {mine?.fields.dueOn ? <span class="field-error" id={`${form}-due-error`}>{mine.fields.dueOn}</span> : null}
                  </td>
                  <td>
                    <select name="status" form={form} aria-label={`${im.fields.taskStatus}: ${title}`}>
                      {TASK_STATUSES.map((s) => <option value={s} selected={s === t.status}>{im.tasks.statuses[s]}</option>)}
                    </select>
                  </td>
                  <td>
                    <input type="text" name="note" form={form} maxLength={1000} value={mine?.values.note ?? t.note} aria-label={`${im.fields.note}: ${title}`}
                      aria-invalid={mine?.fields.note ? 'true' : undefined} aria-describedby={mine?.fields.note ? `${form}-note-error` : undefined} />
                    {mine?.fields.note ? <span class="field-error" id={`${form}-note-error`}>{mine.fields.note}</span> : null}
                  </td>
                  <td>
                    <form method="post" action={`${base}/tasks/${t.id}`} id={form} class="inline-form"><CsrfField ctx={ctx} /><button type="submit">{im.tasks.save}</button></form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {editable ? (
          <form method="post" action={`${base}/tasks`} id="new-task" novalidate>
            <h3>{im.tasks.addTitle}</h3>
            <CsrfField ctx={ctx} />
            <Field id="new-task-title" name="title" label={im.tasks.task} state={p.state} form="new-task" maxLength={300} />
            <p>
              <label for="new-task-owner">{im.fields.owner}</label>
              <select id="new-task-owner" name="ownerAccountId">
                <option value="">{im.tasks.unassigned}</option>
                {p.accounts.map((a) => <option value={String(a.id)}>{a.email}</option>)}
              </select>
            </p>
            <Field id="new-task-due" name="dueOn" label={im.fields.dueOn} state={p.state} form="new-task" type="date" required={false} />
            <button type="submit">{im.tasks.add}</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="checklist-heading">
        <h2 id="checklist-heading">{im.checklist.title}</h2>
        <p class="note">{im.checklist.intro}</p>
        <table class="cart-table resumption-checklist">
          <thead><tr><th scope="col">{im.checklist.item}</th><th scope="col">{im.checklist.state}</th><th scope="col">{im.checklist.basis}</th>{editable ? <th scope="col">{im.checklist.action}</th> : null}</tr></thead>
          <tbody>
            {p.checklist.map((item) => {
              const form = `check-${item.key}`;
              const mine = p.state?.form === form ? p.state : undefined;
              return (
                <tr data-item={item.key} data-state={item.state}>
                  <td>{im.checklist.items[item.key]}</td>
                  <td><strong class={itemDone(item) ? undefined : 'field-error'}>{im.checklist.states[item.state]}</strong></td>
                  <td>
                    {item.basis}
                    {item.mark ? <><br />{`${item.mark.mark === 'waived' ? im.checklist.states.waived : im.checklist.states.green}: ${im.checklist.markedBy(p.actorLabel(item.mark.marked_by), formatDateTime(item.mark.marked_at, ctx.locale, ctx.timeZone))}${item.mark.mark === 'waived' ? ` — ${item.mark.note}` : ''}`}</> : null}
                  </td>
                  {editable ? (
                    <td>
                      {!itemDone(item) ? (
                        <form method="post" action={`${base}/checklist/${item.key}`} class="inline-form" id={form}>
                          <CsrfField ctx={ctx} />
                          <label for={`${form}-note`}>{item.automatic ? im.fields.reason : `${im.fields.note} / ${im.fields.reason}`}</label>
                          <input id={`${form}-note`} name="note" type="text" maxLength={1000} required value={mine?.values.note ?? ''}
                            aria-invalid={mine?.fields.note ? 'true' : undefined} aria-describedby={mine?.fields.note ? `${form}-note-error` : undefined} />
                          {mine?.fields.note ? <span class="field-error" id={`${form}-note-error`}>{mine.fields.note}</span> : null}
                          {!item.automatic ? <button type="submit" name="mark" value="attested">{im.checklist.attest}</button> : null}
                          <button type="submit" name="mark" value="waived">{im.checklist.waive}</button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
        {p.checklist.every(itemDone) ? <p id="checklist-complete">{im.checklist.complete}</p> : null}
      </section>

      {editable ? (
        <form method="post" action={`${base}/close`} id="close-incident" novalidate>
          <h2>{im.close.title}</h2>
          <CsrfField ctx={ctx} />
          <Field id="close-note" name="note" label={im.fields.note} state={p.state} form="close" maxLength={1000} />
          <button type="submit">{im.close.submit}</button>
        </form>
      ) : null}
    </section>
  );
}

export function PpcReportPage({ ctx, im, incident, draft, versions, actorLabel, mayEdit, notice, error, state }: {
  ctx: AdminViewContext; im: IncidentMessages; incident: Incident; draft: PpcReportDraft; versions: { version: number; savedBy: string; savedAt: string }[];
  actorLabel: (a: string) => string; mayEdit: boolean; notice?: string | undefined; error?: string | undefined; state?: FormState | undefined;
}) {
  const base = `/admin/incidents/${incident.id}`;
  const r = im.report;
  const values = (key: string) => state?.values[key] ?? (draft.fields as Record<string, string>)[key] ?? '';
  return (
    <section>
      <h1>{`${r.title} — ${incident.reference}`}</h1>
      <Flash notice={notice} error={error} />
      <p class="note">{r.intro}</p>
      <p><a href={base}>{r.back}</a> · <a href={`${base}/ppc-report.html`} download>{r.exportHtml}</a> · <a href={`${base}/ppc-report.pdf`} download>{r.exportPdf}</a></p>
      <form method="post" action={`${base}/ppc-report`} id="ppc-report" novalidate>
        <CsrfField ctx={ctx} />
        <fieldset disabled={!mayEdit}>
          <p>
            <label for="report-type">{r.reportType}</label>
            <select id="report-type" name="reportType">
              {REPORT_TYPES.map((t) => <option value={t} selected={values('reportType') === t}>{REPORT_TYPE_JA[t]}</option>)}
            </select>
          </p>
          <Field id="report-reporter" name="reporter" label={r.reporter} state={state} form="report" maxLength={300} value={values('reporter')} />
          {PPC_REPORT_ITEMS.map((item) => (
            <Field id={`report-${item.key}`} name={item.key} label={`${item.heading}（施行規則第8条第1項${item.article}）`} state={state} form="report" maxLength={10_000} multiline required={false} value={values(item.key)} />
          ))}
          {mayEdit ? <button type="submit">{r.save}</button> : null}
        </fieldset>
      </form>
      <h2>{r.versions}</h2>
      {versions.length === 0 ? <p>{r.notSaved}</p> : (
        <table class="cart-table report-versions">
          <thead><tr><th scope="col">{r.version}</th><th scope="col">{im.evidence.addedAt}</th><th scope="col">{im.evidence.addedBy}</th></tr></thead>
          <tbody>{versions.map((v) => <tr data-version={v.version}><td>{v.version}</td><td>{when(v.savedAt, ctx)}</td><td>{actorLabel(v.savedBy)}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

/** On the dashboard while an incident is open: its reference and the PPC deadlines still running. */
export function OpenIncidentsBanner({ ctx, incidents }: { ctx: AdminViewContext; incidents: { incident: Incident; clocks: ClockView[] }[] }) {
  if (incidents.length === 0) return null;
  const im = incidentMessagesFor(ctx.locale);
  return (
    <div class="error-summary" id="open-incidents-banner" role="alert">
      {incidents.map(({ incident, clocks }) => (
        <p data-incident-id={incident.id}>
          <a href={`/admin/incidents/${incident.id}`}>{`${incident.reference} ${incident.title}`}</a>
          {clocks.filter((c) => !c.done).map((c) => ` · ${clockLabel(im, c)}: ${c.dueOn} (${clockStatus(im, c)})`).join('')}
        </p>
      ))}
    </div>
  );
}
