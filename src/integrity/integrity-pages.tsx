// The back office's file-integrity page (latest result, baseline, approve with a fresh TOTP code)
// and the small block the status page shows.
import type { AdminViewContext } from '../admin/views/admin-layout.tsx';
import { CsrfField } from '../admin/views/admin-layout.tsx';
import { formatDateTime } from '../i18n/locale.ts';
import type { WatchResult } from '../watch-results/watch-results.ts';
import { describeFinding, type IntegrityFinding } from './compare-manifest.ts';
import { integrityMessagesFor } from './integrity-messages.ts';
import type { BaselineTrust } from './manifest-store.ts';

export type BaselineInfo =
  | { state: 'present'; trust: BaselineTrust; createdAt: string; recordedBy: string; files: number }
  | { state: 'none' }
  | { state: 'untrusted'; problem: string };

const when = (iso: string, ctx: AdminViewContext) => <time datetime={iso}>{formatDateTime(iso, ctx.locale, ctx.timeZone)}</time>;

function findingsOf(result: WatchResult | undefined): IntegrityFinding[] {
  const details = result?.details as { findings?: IntegrityFinding[] } | undefined;
  return Array.isArray(details?.findings) ? details.findings : [];
}

/** One line on the status page: outcome, time, summary, link to the page. */
export function IntegrityStatusBlock({ ctx, latest }: { ctx: AdminViewContext; latest: WatchResult | undefined }) {
  const t = integrityMessagesFor(ctx.locale);
  return (
    <p id="integrity-status" data-outcome={latest?.outcome ?? 'none'}>
      <strong>{`${t.statusLabel}: `}</strong>
      {latest ? <>{`${t.outcomes[latest.outcome]} (`}{when(latest.ran_at, ctx)}{`) ${latest.summary} `}</> : `${t.never} `}
      <a href="/admin/security/integrity">{t.details}</a>
    </p>
  );
}

export function IntegrityPage({ ctx, latest, baseline, mayApprove, notice, error, codeError }: {
  ctx: AdminViewContext; latest: WatchResult | undefined; baseline: BaselineInfo; mayApprove: boolean;
  notice?: string | undefined; error?: string | undefined; codeError?: string | undefined;
}) {
  const t = integrityMessagesFor(ctx.locale);
  const findings = findingsOf(latest);
  return (
    <section>
      <h1>{t.title}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}

      <h2>{t.latest}</h2>
      {latest ? (
        <dl class="order-facts" id="integrity-latest" data-outcome={latest.outcome}>
          <dt>{t.ranAt}</dt><dd>{when(latest.ran_at, ctx)}</dd>
          <dt>{t.summary}</dt><dd>{`${t.outcomes[latest.outcome]}: ${latest.summary}`}</dd>
        </dl>
      ) : <p id="integrity-never">{t.never}</p>}
      {findings.length ? (
        <>
          <h3>{t.findings}</h3>
          <ul id="integrity-findings">
            {findings.map((f) => <li data-kind={f.kind} data-pauses={f.pausesCheckout ? 'yes' : 'no'}><code>{describeFinding(f)}</code></li>)}
          </ul>
        </>
      ) : null}
      <p><small>{t.cli}</small></p>

      <h2>{t.baseline}</h2>
      {baseline.state === 'present' ? (
        <>
          <dl class="order-facts" id="integrity-baseline" data-trust={baseline.trust}>
            <dt>{t.baseline}</dt><dd>{t.baselineTrust[baseline.trust]}</dd>
            <dt>{t.recordedAt}</dt><dd>{when(baseline.createdAt, ctx)}</dd>
            <dt>{t.recordedBy}</dt><dd>{baseline.recordedBy}</dd>
            <dt>{t.files}</dt><dd>{baseline.files}</dd>
          </dl>
          {baseline.trust === 'trust-on-first-use' ? <p class="notice" id="integrity-tofu">{t.tofuWarning}</p> : null}
        </>
      ) : baseline.state === 'none' ? <p id="integrity-no-baseline">{t.noBaseline}</p>
        : <p class="error-summary" id="integrity-untrusted">{t.baselineUnreadable(baseline.problem)}</p>}

      {mayApprove ? (
        <form method="post" action="/admin/security/integrity/approve" aria-labelledby="integrity-approve-heading">
          <h2 id="integrity-approve-heading">{t.approveTitle}</h2>
          <p>{t.approveIntro}</p>
          <p class="notice">{t.approveDoesNotResume}</p>
          <CsrfField ctx={ctx} />
          <p>
            <label for="integrity-approve-code">{t.code}</label>
            <input id="integrity-approve-code" name="code" type="text" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required
              aria-invalid={codeError ? 'true' : undefined} aria-describedby={codeError ? 'integrity-approve-code-error' : undefined} />
            {codeError ? <span class="field-error" id="integrity-approve-code-error">{codeError}</span> : null}
          </p>
          <button type="submit">{t.approve}</button>
        </form>
      ) : null}
    </section>
  );
}
