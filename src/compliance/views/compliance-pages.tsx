// The compliance map in the back office and its printable copy: every item with its status, what
// was found, a link to the evidence, and (for owners and auditors) the attest and withdraw forms.
import { CsrfField, type AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { formatDateTime } from '../../i18n/locale.ts';
import { FRAMEWORKS } from '../compliance-map.ts';
import type { ComplianceMessages } from '../compliance-messages.ts';
import type { ComplianceEvaluation, EvaluatedItem } from '../evaluate-compliance.ts';

export interface AttestFormState { fields: Record<string, string>; values: Record<string, string>; withdrawId?: number }

export interface CompliancePageProps {
  ctx: AdminViewContext;
  cm: ComplianceMessages;
  evaluation: ComplianceEvaluation;
  actorLabel: (actor: string) => string;
  mayAttest: boolean;
  mayDownloadEvidence: boolean;
  notice?: string | undefined;
  error?: string | undefined;
  state?: AttestFormState | undefined;
  /** The printable copy: no forms. */
  print?: boolean;
}

const day = (iso: string) => iso.slice(0, 10);

function Counts({ cm, e }: { cm: ComplianceMessages; e: ComplianceEvaluation }) {
  const c = e.counts;
  return (
    <dl class="compliance-counts" id="compliance-counts" data-automated={c.automated} data-manual={c.manual} data-passing={c.passing} data-failing={c.failing} data-not-collected={c.notCollected}>
      <dt>{cm.counts.automated}</dt><dd>{c.automated}</dd>
      <dt>{cm.counts.manual}</dt><dd>{c.manual}</dd>
      <dt>{cm.counts.passing}</dt><dd>{c.passing}</dd>
      <dt>{cm.counts.failing}</dt><dd>{c.failing}</dd>
      <dt>{cm.counts.notCollected}</dt><dd>{c.notCollected}</dd>
    </dl>
  );
}

function ItemRow({ p, item }: { p: CompliancePageProps; item: EvaluatedItem }) {
  const { ctx, cm } = p;
  const bad = item.status === 'fail' || item.status === 'attestation-expired';
  const a = item.attestation;
  const withdrawing = p.state?.withdrawId !== undefined && p.state.withdrawId === a?.id ? p.state : undefined;
  const showEvidence = item.evidenceHref && (!a?.evidence || p.mayDownloadEvidence) && !p.print;
  return (
    <tr id={`item-${item.id}`} data-item={item.id} data-status={item.status} data-kind={item.kind}>
      <th scope="row">{item.reference}</th>
      <td>
        {item.title[ctx.locale]}
        <br /><small class="note">{`${item.source.document} ${item.source.version}, ${item.source.section}`}{item.source.verified ? '' : cm.unverified}</small>
      </td>
      <td>{cm.kinds[item.kind]}</td>
      <td>{bad ? <strong class="field-error">{cm.statuses[item.status]}</strong> : item.status === 'pass' || item.status === 'attested' ? <strong>{cm.statuses[item.status]}</strong> : cm.statuses[item.status]}</td>
      <td>
        {item.detail ? item.detail[ctx.locale] : null}
        {a ? <><br /><small>{cm.attestedBy(p.actorLabel(a.attestedBy), day(a.attestedAt), day(a.expiresAt))}</small><br /><small>{a.note}</small></> : null}
        {a?.evidence ? <><br /><small>{cm.evidenceFile(a.evidence.fileName)} <code class="sha256">{a.evidence.sha256}</code></small></> : null}
        {a && p.mayAttest && !p.print ? (
          <form method="post" action={`/admin/compliance/attestations/${a.id}/withdraw`} class="inline-form" id={`withdraw-${a.id}`}>
            <CsrfField ctx={ctx} />
            <label for={`withdraw-note-${a.id}`}>{cm.fields.withdrawNote}</label>
            <input id={`withdraw-note-${a.id}`} name="note" type="text" required maxLength={1000} value={withdrawing?.values.note ?? ''}
              aria-invalid={withdrawing?.fields.note ? 'true' : undefined} aria-describedby={withdrawing?.fields.note ? `withdraw-note-${a.id}-error` : undefined} />
            {withdrawing?.fields.note ? <span class="field-error" id={`withdraw-note-${a.id}-error`}>{withdrawing.fields.note}</span> : null}
            <button type="submit">{cm.withdraw}</button>
          </form>
        ) : null}
      </td>
      <td>{showEvidence ? <a href={item.evidenceHref}>{cm.evidenceLink}</a> : item.evidenceHref && p.print ? <code>{item.evidenceHref}</code> : null}</td>
    </tr>
  );
}

function AttestForm({ p }: { p: CompliancePageProps }) {
  const { ctx, cm } = p;
  const s = p.state?.withdrawId === undefined ? p.state : undefined;
  const manual = p.evaluation.items.filter((i) => i.kind === 'manual');
  const aria = (name: string) => ({ 'aria-invalid': s?.fields[name] ? ('true' as const) : undefined, 'aria-describedby': s?.fields[name] ? `attest-${name}-error` : undefined });
  const err = (name: string) => (s?.fields[name] ? <span class="field-error" id={`attest-${name}-error`}>{s.fields[name]}</span> : null);
  return (
    <section aria-labelledby="attest-heading">
      <h2 id="attest-heading">{cm.attestTitle}</h2>
      <p class="note">{cm.attestIntro}</p>
      <form method="post" action="/admin/compliance/attestations" enctype="multipart/form-data" id="attest-form">
        <CsrfField ctx={ctx} />
        <p>
          <label for="attest-itemId">{cm.fields.item}</label>
          <select id="attest-itemId" name="itemId" required {...aria('itemId')}>
            {manual.map((i) => <option value={i.id} selected={s?.values.itemId === i.id}>{`${i.reference} — ${i.title[ctx.locale]} (${cm.maxDays(i.attestationValidDays ?? 365)})`}</option>)}
          </select>
          {err('itemId')}
        </p>
        <p>
          <label for="attest-expiresOn">{cm.fields.expiresOn}</label>
          <input id="attest-expiresOn" name="expiresOn" type="date" required value={s?.values.expiresOn ?? ''} {...aria('expiresOn')} />
          {err('expiresOn')}
        </p>
        <p>
          <label for="attest-note">{cm.fields.note}</label>
          <textarea id="attest-note" name="note" rows={4} required maxLength={2000} {...aria('note')}>{s?.values.note ?? ''}</textarea>
          {err('note')}
        </p>
        <p>
          <label for="attest-file">{cm.fields.file}</label>
          <input id="attest-file" name="file" type="file" {...aria('file')} />
          {err('file')}
        </p>
        <button type="submit">{cm.attest}</button>
      </form>
    </section>
  );
}

export function CompliancePage(p: CompliancePageProps) {
  const { ctx, cm, evaluation: e } = p;
  return (
    <section class={p.print ? 'compliance-print' : 'compliance'}>
      <h1>{p.print ? cm.printTitle : cm.title}</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      {p.error ? <p class="error-summary" role="alert">{p.error}</p> : null}
      <p>{cm.intro}</p>
      <p>{`${cm.evaluatedAt}: `}<time datetime={e.evaluatedAt}>{formatDateTime(e.evaluatedAt, ctx.locale, ctx.timeZone)}</time></p>
      <Counts cm={cm} e={e} />
      {p.print ? null : (
        <p class="no-print">
          <a href="/admin/compliance.json" id="compliance-json">{cm.exportJson}</a>{' · '}
          <a href="/admin/compliance/print" id="compliance-print-link">{cm.print}</a>
        </p>
      )}
      {!p.print && !p.mayAttest ? <p class="note" id="compliance-read-only">{cm.readOnly}</p> : null}
      {FRAMEWORKS.map((f) => (
        <section aria-labelledby={`framework-${f}`}>
          <h2 id={`framework-${f}`}>{cm.frameworks[f]}</h2>
          <table class="cart-table compliance-items">
            <thead>
              <tr>
                <th scope="col">{cm.columns.reference}</th><th scope="col">{cm.columns.requirement}</th><th scope="col">{cm.columns.kind}</th>
                <th scope="col">{cm.columns.status}</th><th scope="col">{cm.columns.detail}</th><th scope="col">{cm.columns.evidence}</th>
              </tr>
            </thead>
            <tbody>{e.items.filter((i) => i.framework === f).map((item) => <ItemRow p={p} item={item} />)}</tbody>
          </table>
        </section>
      ))}
      {p.mayAttest && !p.print ? <AttestForm p={p} /> : null}
    </section>
  );
}
