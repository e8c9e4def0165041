// The sign-off pages: the archive of every month, one month's review (draft form for the vendor,
// approve/return for the committee, frozen copies with their hash check) and the committee's
// membership. Plain server-rendered forms, each with the session's CSRF token and the review's version.
import type { AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { CsrfField } from '../../admin/views/admin-layout.tsx';
import { formatDateTime } from '../../i18n/locale.ts';
import { MONTHLY_REPORT_SECTIONS, type ReportAction } from '../../monthly-report/report-contract.ts';
import type { AdminAccount } from '../../admin/admin-tables.ts';
import { FROZEN_FORMATS, type FrozenFormat, type ReviewNote } from '../committee-tables.ts';
import type { CommitteeMessages } from '../committee-messages.ts';
import type { FrozenCopyCheck } from '../frozen-reports.ts';
import type { ReviewView } from '../review-service.ts';

export interface FormState { form: string; fields: Record<string, string>; values: Record<string, string> }

const when = (iso: string, ctx: AdminViewContext) => <time datetime={iso}>{formatDateTime(iso, ctx.locale, ctx.timeZone)}</time>;
const FILE_OF: Record<FrozenFormat, string> = { 'html-ja': 'report-ja.html', 'html-en': 'report-en.html', json: 'report.json', pdf: 'report.pdf' };
export const frozenHref = (month: string, f: FrozenFormat) => `/admin/security-reports/${month}/${FILE_OF[f]}`;

function Flash({ notice, error }: { notice?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
    </>
  );
}

function fieldAria(state: FormState | undefined, form: string, name: string, id: string) {
  const error = state?.form === form ? state.fields[name] : undefined;
  return { error, aria: { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined } };
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null;
}

function CheckStatus({ c, cm }: { c: FrozenCopyCheck; cm: CommitteeMessages }) {
  if (c.status === 'intact') return <span data-check="intact">{cm.intact}</span>;
  return <strong class="field-error" data-check={c.status}>{c.status === 'altered' ? cm.altered : cm.missing}</strong>;
}

export interface ArchiveRow { review: ReviewView; checks: FrozenCopyCheck[] }

export function ArchivePage({ ctx, cm, rows }: { ctx: AdminViewContext; cm: CommitteeMessages; rows: ArchiveRow[] }) {
  return (
    <section>
      <h1>{cm.archiveTitle}</h1>
      <p>{cm.archiveIntro}</p>
      <table class="security-report-archive">
        <thead>
          <tr><th scope="col">{cm.month}</th><th scope="col">{cm.state}</th><th scope="col">{cm.approvedBy}</th><th scope="col">{cm.hashes}</th><th scope="col">{cm.downloads}</th></tr>
        </thead>
        <tbody>
          {rows.map(({ review: r, checks }) => (
            <tr data-month={r.month} data-state={r.state}>
              <th scope="row"><a href={`/admin/security-reports/${r.month}`}>{r.month}</a></th>
              <td>{cm.states[r.state]}</td>
              <td>{r.approvedAt && r.approvedBy ? <>{when(r.approvedAt, ctx)} {r.approvedBy}</> : '—'}</td>
              <td>
                {checks.length ? (
                  <ul class="plain-list">
                    {checks.map((c) => <li><span>{cm.formats[c.format]}: </span><code>{c.recordedSha256 ? c.recordedSha256.slice(0, 16) : '—'}…</code> <CheckStatus c={c} cm={cm} /></li>)}
                  </ul>
                ) : '—'}
              </td>
              <td>
                {r.state === 'approved'
                  ? <ul class="plain-list">{FROZEN_FORMATS.map((f) => <li><a href={frozenHref(r.month, f)}>{`${cm.formats[f]} (${r.month})`}</a></li>)}</ul>
                  : <a href={`/admin/security-reports/${r.month}`}>{`${cm.open} (${r.month})`}</a>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface ReviewPageProps {
  ctx: AdminViewContext;
  cm: CommitteeMessages;
  review: ReviewView;
  previous: ReportAction[];
  notes: ReviewNote[];
  checks: FrozenCopyCheck[];
  mayEdit: boolean;
  mayReview: boolean;
  /** Set when the signed-in member submitted this version themselves (approve is refused then). */
  ownSubmission: boolean;
  rendererInstalled: boolean;
  state?: FormState | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

export function ReviewPage(p: ReviewPageProps) {
  const { ctx, cm, review: r } = p;
  const editable = p.mayEdit && (r.state === 'draft' || r.state === 'returned');
  const reviewable = p.mayReview && r.state === 'submitted';
  const value = (name: string, fallback: string) => (p.state?.form === 'draft' ? p.state.values[name] ?? '' : fallback);
  const rows: (ReportAction | undefined)[] = [...r.actions, undefined];
  return (
    <section class="security-report" data-state={r.state}>
      <h1>{cm.reportTitle(r.month)}</h1>
      <Flash notice={p.notice} error={p.error} />
      <p class="security-report-state"><strong>{cm.state}: </strong><span id="review-state">{cm.states[r.state]}</span></p>
      {r.submittedAt && r.submittedBy ? <p>{cm.submittedOn(formatDateTime(r.submittedAt, ctx.locale, ctx.timeZone), r.submittedBy)}</p> : null}
      {r.state === 'approved' && r.approvedAt && r.approvedBy ? (
        <>
          <p id="approved-on"><strong>{cm.approvedOn(formatDateTime(r.approvedAt, ctx.locale, ctx.timeZone), r.approvedBy)}</strong></p>
          <h2>{cm.frozenLinks}</h2>
          <table class="security-report-frozen">
            <thead><tr><th scope="col">{cm.downloads}</th><th scope="col">{cm.hashes}</th><th scope="col">{cm.state}</th></tr></thead>
            <tbody>
              {p.checks.map((c) => (
                <tr data-format={c.format}>
                  <td>{c.status === 'intact' ? <a href={frozenHref(r.month, c.format)}>{cm.formats[c.format]}</a> : cm.formats[c.format]}</td>
                  <td><code class="hash">{c.recordedSha256}</code></td>
                  <td><CheckStatus c={c} cm={cm} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <>
          <h2>{cm.draftLinks}</h2>
          {p.rendererInstalled
            ? <ul class="plain-list">{FROZEN_FORMATS.map((f) => <li><a href={frozenHref(r.month, f)}>{cm.formats[f]}</a></li>)}</ul>
            : <p>{cm.rendererMissing}</p>}
        </>
      )}

      {p.notes.length ? (
        <>
          <h2>{cm.notesTitle}</h2>
          <ul class="review-notes">
            {p.notes.map((n) => <li data-kind={n.kind}><strong>{cm.noteKinds[n.kind]}</strong> {when(n.created_at, ctx)} {n.author_email}: <span class="note-body">{n.body}</span></li>)}
          </ul>
        </>
      ) : null}

      {editable ? (
        <form method="post" action={`/admin/security-reports/${r.month}/draft`} id="draft-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(r.version)} />
          <h2>{cm.draftTitle}</h2>
          <fieldset>
            <legend>{cm.commentsTitle}</legend>
            {MONTHLY_REPORT_SECTIONS.map((s) => {
              const name = `comment_${s}`;
              const id = `comment-${s}`;
              const { error, aria } = fieldAria(p.state, 'draft', name, id);
              return (
                <p>
                  <label for={id}>{cm.sections[s]}</label>
                  <textarea id={id} name={name} rows={2} maxLength={4000} {...aria}>{value(name, r.comments[s] ?? '')}</textarea>
                  <ErrorText id={id} error={error} />
                </p>
              );
            })}
          </fieldset>
          <fieldset>
            <legend>{cm.actionsTitle}</legend>
            <table class="security-report-actions">
              <thead><tr><th scope="col">{cm.actionText}</th><th scope="col">{cm.actionOwner}</th><th scope="col">{cm.actionDue}</th><th scope="col">{cm.actionStatus}</th></tr></thead>
              <tbody>
                {rows.map((a, i) => {
                  const f = (k: string) => `action_${i}_${k}`;
                  const id = (k: string) => `action-${i}-${k}`;
                  const label = a ? `${a.id}` : cm.newAction;
                  const t = fieldAria(p.state, 'draft', f('text'), id('text'));
                  const o = fieldAria(p.state, 'draft', f('owner'), id('owner'));
                  const d = fieldAria(p.state, 'draft', f('due'), id('due'));
                  const status = value(f('status'), a?.status ?? 'open');
                  return (
                    <tr data-action={a?.id ?? 'new'}>
                      <td>
                        {a ? <input type="hidden" name={f('id')} value={a.id} /> : null}
                        <label for={id('text')}>{`${cm.actionText} (${label})`}</label>
                        <input id={id('text')} name={f('text')} type="text" maxLength={1000} value={value(f('text'), a?.text ?? '')} {...t.aria} />
                        <ErrorText id={id('text')} error={t.error} />
                      </td>
                      <td>
                        <label for={id('owner')}>{`${cm.actionOwner} (${label})`}</label>
                        <input id={id('owner')} name={f('owner')} type="text" maxLength={200} value={value(f('owner'), a?.owner ?? '')} {...o.aria} />
                        <ErrorText id={id('owner')} error={o.error} />
                      </td>
                      <td>
                        <label for={id('due')}>{`${cm.actionDue} (${label})`}</label>
                        <input id={id('due')} name={f('due')} type="date" value={value(f('due'), a?.due ?? '')} {...d.aria} />
                        <ErrorText id={id('due')} error={d.error} />
                      </td>
                      <td>
                        <label for={id('status')}>{`${cm.actionStatus} (${label})`}</label>
                        <select id={id('status')} name={f('status')}>
                          {(['open', 'done'] as const).map((s) => <option value={s} selected={status === s}>{cm.actionStatuses[s]}</option>)}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </fieldset>
          <fieldset>
            <legend>{cm.previousTitle}</legend>
            {p.previous.length ? (
              <ul class="plain-list previous-actions">
                {p.previous.map((a) => (
                  <li data-action={a.id}>
                    <input type="checkbox" id={`close-${a.id}`} name="close" value={a.id} checked={r.closedActionIds.includes(a.id)} />
                    <label for={`close-${a.id}`}>{`${cm.markDone}: ${a.id} ${a.text}${a.owner ? ` (${a.owner})` : ''}${a.due ? ` ${a.due}` : ''}`}</label>
                  </li>
                ))}
              </ul>
            ) : <p>{cm.previousNone}</p>}
          </fieldset>
          <button type="submit">{cm.save}</button>
        </form>
      ) : p.previous.length && r.state !== 'approved' ? (
        <>
          <h2>{cm.previousTitle}</h2>
          <ul class="plain-list previous-actions">{p.previous.map((a) => <li data-action={a.id}>{`${a.id} ${a.text} — ${cm.actionStatuses[a.status]}`}</li>)}</ul>
        </>
      ) : null}

      {editable ? (
        <form method="post" action={`/admin/security-reports/${r.month}/submit`} id="submit-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(r.version)} />
          <h2>{cm.submitTitle}</h2>
          <p>
            <label for="submit-note">{cm.submitNote}</label>
            <textarea id="submit-note" name="note" rows={3} maxLength={4000} {...fieldAria(p.state, 'submit', 'note', 'submit-note').aria}>{p.state?.form === 'submit' ? p.state.values.note ?? '' : ''}</textarea>
            <ErrorText id="submit-note" error={fieldAria(p.state, 'submit', 'note', 'submit-note').error} />
          </p>
          <button type="submit">{r.state === 'returned' ? cm.resubmit : cm.submit}</button>
        </form>
      ) : null}

      {reviewable ? (
        <form method="post" action={`/admin/security-reports/${r.month}/review`} id="review-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(r.version)} />
          <h2>{cm.reviewTitle}</h2>
          {p.ownSubmission ? <p class="note">{cm.ownSubmission}</p> : null}
          <p>
            <label for="review-note">{cm.reviewNote}</label>
            <textarea id="review-note" name="note" rows={4} maxLength={4000} {...fieldAria(p.state, 'review', 'note', 'review-note').aria}>{p.state?.form === 'review' ? p.state.values.note ?? '' : ''}</textarea>
            <ErrorText id="review-note" error={fieldAria(p.state, 'review', 'note', 'review-note').error} />
          </p>
          <p class="inline-form">
            {p.ownSubmission ? null : <button type="submit" name="decision" value="approve">{cm.approve}</button>}
            <button type="submit" name="decision" value="return">{cm.return}</button>
          </p>
        </form>
      ) : r.state === 'submitted' && !p.mayReview ? <p class="note">{cm.notMember}</p> : null}
    </section>
  );
}

export function CommitteePage({ ctx, cm, owners, auditors, notice, error }: {
  ctx: AdminViewContext; cm: CommitteeMessages; owners: AdminAccount[]; auditors: { account: AdminAccount; member: boolean }[]; notice?: string | undefined; error?: string | undefined;
}) {
  return (
    <section>
      <h1>{cm.committeeTitle}</h1>
      <Flash notice={notice} error={error} />
      <p>{cm.committeeIntro}</p>
      <h2>{cm.owners}</h2>
      <ul class="plain-list">{owners.map((o) => <li>{o.email}</li>)}</ul>
      <h2>{cm.auditors}</h2>
      {auditors.length ? (
        <table class="committee-members">
          <thead><tr><th scope="col">{cm.email}</th><th scope="col">{cm.member}</th><th scope="col">{cm.state}</th></tr></thead>
          <tbody>
            {auditors.map(({ account, member }) => (
              <tr data-account={String(account.id)} data-member={member ? '1' : '0'}>
                <td>{account.email}</td>
                <td>{member ? '✓' : '—'}</td>
                <td>
                  <form method="post" action="/admin/security-committee" class="inline-form">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="accountId" value={String(account.id)} />
                    <input type="hidden" name="member" value={member ? '0' : '1'} />
                    <button type="submit">{`${member ? cm.removeMember : cm.addMember}: ${account.email}`}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>{cm.noAuditors}</p>}
    </section>
  );
}
