// The security area's pages: open alerts and the pause banner (dashboard), the pause page and
// the page watch. Server-rendered forms only; each one that changes something carries the
// session's CSRF token, and the deliberate ones (resume, pause, approve) a fresh TOTP code.
import type { AdminViewContext } from './admin-layout.tsx';
import { CsrfField } from './admin-layout.tsx';
import { formatDateTime } from '../../i18n/locale.ts';
import type { SecurityAlert, PauseScope } from '../../alerts/alert-tables.ts';
import type { ShopPauseRow as ShopPause } from '../../shop-pause/shop-pause-tables.ts';
import { PAUSE_SCOPES } from '../../alerts/alert-tables.ts';
import type { Baseline, RunRow } from '../../page-watch/baseline.ts';
import type { ResourceRef } from '../../page-watch/page-snapshot.ts';
import { describeDifference } from '../../page-watch/compare.ts';
import type { ResumeBlocker } from '../../incidents/resumption-gate.ts';
import type { PauseState } from '../../shop-pause/pause-state.ts';

export type Pauses = Partial<Record<PauseScope, ShopPause>>;

const when = (iso: string, ctx: AdminViewContext) => <time datetime={iso}>{formatDateTime(iso, ctx.locale, ctx.timeZone)}</time>;

/** Red while card payments or the storefront is paused; the link only for who may open the page. */
export function PauseBanner({ ctx, pauses, actorLabel, linkToPausePage }: { ctx: AdminViewContext; pauses: Pauses; actorLabel: (actor: string) => string; linkToPausePage: boolean }) {
  const p = ctx.m.securityArea.pause;
  const active = PAUSE_SCOPES.flatMap((scope) => (pauses[scope] ? [pauses[scope]] : []));
  if (active.length === 0) return null;
  return (
    <div class="error-summary pause-banner" id="pause-banner" role="alert">
      {active.map((pause) => (
        <p data-pause-scope={pause.scope}>{p.banner(p.scopes[pause.scope], formatDateTime(pause.paused_at, ctx.locale, ctx.timeZone), actorLabel(pause.paused_by), pause.reason)}</p>
      ))}
      {linkToPausePage ? <p><a href="/admin/security/pause">{p.bannerLink}</a></p> : null}
    </div>
  );
}

export function OpenAlerts({ ctx, alerts, mayAcknowledge }: { ctx: AdminViewContext; alerts: SecurityAlert[]; mayAcknowledge: boolean }) {
  const a = ctx.m.securityArea.alerts;
  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{a.title}</h2>
      {alerts.length === 0 ? <p id="no-alerts">{a.none}</p> : (
        <table class="cart-table alert-table">
          <thead>
            <tr>
              <th scope="col">{a.severity}</th><th scope="col">{a.kind}</th><th scope="col">{a.summary}</th>
              <th scope="col">{a.firstSeen}</th><th scope="col">{a.lastSeen}</th><th scope="col">{a.occurrences}</th>
              {mayAcknowledge ? <th scope="col">{a.action}</th> : null}
            </tr>
          </thead>
          <tbody>
            {alerts.map((alert) => (
              <tr data-alert-id={alert.id} data-severity={alert.severity}>
                <td><strong>{a.severities[alert.severity]}</strong></td>
                <td><code>{alert.kind}</code></td>
                <td>{alert.summary}</td>
                <td>{when(alert.first_seen_at, ctx)}</td>
                <td>{when(alert.last_seen_at, ctx)}</td>
                <td>{alert.occurrences}</td>
                {mayAcknowledge ? (
                  <td>
                    <form method="post" action={`/admin/alerts/${alert.id}/acknowledge`} class="inline-form">
                      <CsrfField ctx={ctx} />
                      <label for={`ack-note-${alert.id}`}>{a.note}</label>
                      <input id={`ack-note-${alert.id}`} name="note" type="text" maxLength={500} required />
                      <button type="submit">{a.acknowledge}</button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Flash({ notice, error }: { notice?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
    </>
  );
}

/** Which form a field message belongs to, so a wrong code shows next to the field that was wrong. */
export interface FormErrors {
  form: string; code?: string | undefined; note?: string | undefined; message?: string | undefined; messageEn?: string | undefined;
  values?: { note?: string; message?: string; messageEn?: string };
}

function CodeField({ id, label, error }: { id: string; label: string; error: string | undefined }) {
  return (
    <p>
      <label for={id}>{label}</label>
      <input id={id} name="code" type="text" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </p>
  );
}

function MessageField({ id, name, label, hint, error, value }: { id: string; name: string; label: string; hint: string; error: string | undefined; value?: string | undefined }) {
  return (
    <p>
      <label for={id}>{label}</label>
      <span class="field-hint" id={`${id}-hint`}>{hint}</span>
      <textarea id={id} name={name} rows={3} maxLength={2000} aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}>{value ?? ''}</textarea>
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </p>
  );
}

/** Why resuming would be refused now: the open incident and what its checklist still lacks. */
function ResumeBlocked({ ctx, blocker }: { ctx: AdminViewContext; blocker: ResumeBlocker }) {
  const p = ctx.m.securityArea.pause;
  return (
    <div class="error-summary" id="resume-blocked" role="alert" data-incident={blocker.reference}>
      <p><strong>{p.blockedTitle(blocker.reference)}</strong></p>
      <p>{p.blockedIntro}</p>
      {blocker.openItems.length ? <ul>{blocker.openItems.map((item) => <li>{item}</li>)}</ul> : null}
    </div>
  );
}

function TextField({ id, name, label, error, value }: { id: string; name: string; label: string; error: string | undefined; value?: string | undefined }) {
  return (
    <p>
      <label for={id}>{label}</label>
      <input id={id} name={name} type="text" maxLength={500} required value={value ?? ''}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </p>
  );
}

export function PausePage({ ctx, pauses, actorLabel, notice, error, errors, blocker, propagation }: { ctx: AdminViewContext; pauses: Pauses; actorLabel: (actor: string) => string; notice?: string; error?: string; errors?: FormErrors; blocker?: ResumeBlocker | null; propagation?: ReturnType<PauseState['describe']> }) {
  const p = ctx.m.securityArea.pause;
  const fe = (form: string) => (errors?.form === form ? errors : undefined);
  const stop = fe('stop');
  return (
    <section>
      <h1>{p.title}</h1>
      <Flash notice={notice} error={error} />
      <table class="cart-table pause-state">
        <thead><tr><th scope="col">{p.state}</th><th scope="col">{p.since}</th><th scope="col">{p.by}</th><th scope="col">{p.reason}</th><th scope="col">{p.customerMessage}</th></tr></thead>
        <tbody>
          {PAUSE_SCOPES.map((scope) => {
            const pause = pauses[scope];
            return (
              <tr data-scope={scope} data-paused={pause ? 'yes' : 'no'}>
                <th scope="row">{`${p.scopes[scope]}: ${pause ? p.paused : p.running}`}</th>
                <td>{pause ? when(pause.paused_at, ctx) : '—'}</td>
                <td>{pause ? actorLabel(pause.paused_by) : '—'}</td>
                <td>{pause?.reason ?? '—'}</td>
                <td>{pause && (pause.message || pause.message_en) ? <>{pause.message ? <span lang="ja">{pause.message}</span> : null}{pause.message && pause.message_en ? ' / ' : null}{pause.message_en ? <span lang="en">{pause.message_en}</span> : null}</> : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pauses.storefront && !pauses.card_payments ? <p>{p.paymentsStopWithStorefront}</p> : null}
      {propagation ? (
        <p id="stop-propagation" data-kind={propagation.kind} data-listening={propagation.kind === 'listen' ? String(propagation.listening) : undefined}>
          {propagation.kind === 'direct' ? p.propagationDirect : p.propagationListen(propagation.listening, Math.round(propagation.pollMs / 1000))}
        </p>
      ) : null}
      <p>{p.intro}</p>
      {blocker && PAUSE_SCOPES.some((scope) => pauses[scope]) ? <ResumeBlocked ctx={ctx} blocker={blocker} /> : null}
      {PAUSE_SCOPES.filter((scope) => pauses[scope]).map((scope) => {
        const e = fe(`resume-${scope}`);
        return (
          <form method="post" action="/admin/security/pause/resume" aria-labelledby={`resume-${scope}-heading`}>
            <h2 id={`resume-${scope}-heading`}>{p.resumeTitle(p.scopes[scope])}</h2>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="scope" value={scope} />
            <TextField id={`resume-${scope}-note`} name="note" label={p.note} error={e?.note} value={e?.values?.note} />
            <CodeField id={`resume-${scope}-code`} label={p.code} error={e?.code} />
            <button type="submit">{p.resume}</button>
          </form>
        );
      })}
      {pauses.storefront ? null : (
        <form method="post" action="/admin/security/pause" aria-labelledby="stop-heading">
          <h2 id="stop-heading">{p.stopTitle}</h2>
          <p>{p.stopIntro}</p>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="scope" value="storefront" />
          <TextField id="stop-reason" name="reason" label={p.pauseReason} error={stop?.note} value={stop?.values?.note} />
          <MessageField id="stop-message" name="message" label={p.messageJa} hint={p.messageHint} error={stop?.message} value={stop?.values?.message} />
          <MessageField id="stop-message-en" name="messageEn" label={p.messageEn} hint={p.messageEnHint} error={stop?.messageEn} value={stop?.values?.messageEn} />
          <CodeField id="stop-code" label={p.code} error={stop?.code} />
          <button type="submit">{p.stopSubmit}</button>
        </form>
      )}
      {pauses.card_payments ? null : (
        <form method="post" action="/admin/security/pause" aria-labelledby="pause-heading">
          <h2 id="pause-heading">{p.pauseTitle}</h2>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="scope" value="card_payments" />
          <TextField id="pause-reason" name="reason" label={p.pauseReason} error={fe('pause')?.note} value={fe('pause')?.values?.note} />
          <CodeField id="pause-code" label={p.code} error={fe('pause')?.code} />
          <button type="submit">{p.pauseSubmit}</button>
        </form>
      )}
    </section>
  );
}

function ResourceList({ ctx, refs }: { ctx: AdminViewContext; refs: ResourceRef[] }) {
  const w = ctx.m.securityArea.pageWatch;
  if (refs.length === 0) return <>{w.nothing}</>;
  return (
    <ul>
      {refs.map((r) => (
        <li>{r.kind === 'external'
          ? <><code>{r.url}</code> <small><code>{r.sha256 ? `sha256:${r.sha256.slice(0, 16)}…` : (r.fetchError ?? '')}</code></small></>
          : <>{w.inline(r.length)} <small><code>{`sha256:${r.sha256.slice(0, 16)}…`}</code></small></>}</li>
      ))}
    </ul>
  );
}

export function PageWatchPage({ ctx, baseline, runs, mayApprove, actorLabel, notice, error, codeError }: { ctx: AdminViewContext; baseline: Baseline | undefined; runs: RunRow[]; mayApprove: boolean; actorLabel: (actor: string) => string; notice?: string; error?: string; codeError?: string }) {
  const w = ctx.m.securityArea.pageWatch;
  return (
    <section>
      <h1>{w.title}</h1>
      <Flash notice={notice} error={error} />
      <h2>{w.baseline}</h2>
      {baseline ? (
        <>
          <dl class="order-facts" id="baseline" data-baseline-id={baseline.id} data-status={baseline.status}>
            <dt>{w.status}</dt><dd>{`#${baseline.id} ${w.statuses[baseline.status as keyof typeof w.statuses] ?? baseline.status}`}</dd>
            <dt>{w.recordedAt}</dt><dd>{when(baseline.createdAt, ctx)}</dd>
            <dt>{w.approvedBy}</dt><dd>{baseline.approvedBy ? actorLabel(baseline.approvedBy) : '—'}</dd>
            <dt>{w.approvedAt}</dt><dd>{baseline.approvedAt ? when(baseline.approvedAt, ctx) : '—'}</dd>
            <dt>{w.level}</dt><dd>{baseline.level}</dd>
          </dl>
          <table class="cart-table baseline-pages">
            <thead>
              <tr><th scope="col">{w.page}</th><th scope="col">{w.scripts}</th><th scope="col">{w.stylesheets}</th><th scope="col">{w.forms}</th><th scope="col">{w.paymentOrigins}</th></tr>
            </thead>
            <tbody>
              {baseline.snapshots.map((s) => (
                <tr data-page={s.page}>
                  <th scope="row">{s.page} <small><code>{s.path}</code></small></th>
                  <td><ResourceList ctx={ctx} refs={s.scripts} /></td>
                  <td><ResourceList ctx={ctx} refs={s.stylesheets} /></td>
                  <td>{s.forms.length === 0 ? w.nothing : <ul>{s.forms.map((f) => <li><code>{`${(f.method ?? '—').toUpperCase()} ${f.action ?? '—'}`}</code></li>)}</ul>}</td>
                  <td>{s.paymentOrigins === null ? w.unlimited : s.paymentOrigins.length === 0 ? w.nothing : <ul>{s.paymentOrigins.map((o) => <li><code>{o}</code></li>)}</ul>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : <p id="no-baseline">{w.noBaseline}</p>}

      <h2>{w.runs}</h2>
      {runs.length === 0 ? <p>{w.noRuns}</p> : (
        <table class="cart-table page-watch-runs">
          <thead><tr><th scope="col">{w.startedAt}</th><th scope="col">{w.outcome}</th><th scope="col">{w.differences}</th></tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr data-run-id={r.id} data-outcome={r.outcome}>
                <td>{when(r.startedAt, ctx)}</td>
                <td>{w.outcomes[r.outcome]}{r.error ? <> <small>{r.error}</small></> : null}</td>
                <td>{r.differences.length === 0 ? '—' : <ul>{r.differences.map((d) => <li><code>{d.page}</code> {describeDifference(d)}</li>)}</ul>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {mayApprove ? (
        <form method="post" action="/admin/security/page-watch/approve" aria-labelledby="approve-heading">
          <h2 id="approve-heading">{w.approveTitle}</h2>
          <p>{w.approveIntro}</p>
          <p class="notice" id="approve-does-not-resume">{w.approveDoesNotResume}</p>
          <CsrfField ctx={ctx} />
          <CodeField id="approve-code" label={w.code} error={codeError} />
          <button type="submit">{w.approve}</button>
        </form>
      ) : <p class="notice" id="approve-does-not-resume">{w.approveDoesNotResume}</p>}
    </section>
  );
}
