// The audit log in the back office: search, page through, export, verify. Read-only: there is
// no form here, or anywhere, that changes an entry.
import type { AuditEntry } from '../../audit/audit-log-table.ts';
import { formatDateTime } from '../../i18n/locale.ts';
import type { AdminViewContext } from './admin-layout.tsx';

export type AuditFormValues = Partial<Record<'actor' | 'action' | 'target' | 'from' | 'to' | 'text', string>>;

function queryString(values: AuditFormValues, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function change(e: AuditEntry): string {
  const parts = [];
  if (e.before !== null && e.before !== undefined) parts.push(`before ${JSON.stringify(e.before)}`);
  if (e.after !== null && e.after !== undefined) parts.push(`after ${JSON.stringify(e.after)}`);
  return parts.join(' → ');
}

export function AuditLogPage({ ctx, values, entries, nextBeforeId, error }: { ctx: AdminViewContext; values: AuditFormValues; entries: AuditEntry[]; nextBeforeId: number | null; error?: string }) {
  const a = ctx.m.audit;
  const field = (name: keyof AuditFormValues, label: string, type: 'text' | 'datetime-local' = 'text') => (
    <span class="inline-form">
      <label for={`audit-${name}`}>{label}</label>
      {type === 'text'
        ? <input id={`audit-${name}`} name={name} type="text" value={values[name] ?? ''} size={14} />
        : <input id={`audit-${name}`} name={name} type="datetime-local" value={values[name] ?? ''} />}
    </span>
  );
  return (
    <section>
      <h1>{a.title}</h1>
      <form method="get" action="/admin/audit" class="search" aria-label={a.search}>
        {field('actor', a.actor)}
        {field('action', a.action)}
        {field('target', a.target)}
        {field('from', a.from, 'datetime-local')}
        {field('to', a.to, 'datetime-local')}
        {field('text', a.text)}
        <button type="submit">{a.apply}</button>
      </form>
      <p><a href={`/admin/audit.jsonl${queryString(values)}`}>{a.export}</a> · <a href="/admin/audit/verify">{a.verify}</a></p>
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      {entries.length === 0 ? <p>{a.none}</p> : (
        <table class="cart-table audit-table">
          <caption class="visually-hidden">{a.title}</caption>
          <thead><tr><th scope="col">{a.id}</th><th scope="col">{a.when}</th><th scope="col">{a.actor}</th><th scope="col">{a.action}</th><th scope="col">{a.target}</th><th scope="col">{a.ip}</th><th scope="col">{a.change}</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <th scope="row">{e.id}</th>
                <td><time datetime={e.createdAt}>{formatDateTime(e.createdAt, ctx.locale, ctx.timeZone)}</time></td>
                <td>{e.actor ?? '—'}</td>
                <td><code>{e.action}</code></td>
                <td>{e.target ?? '—'}</td>
                <td>{e.ip ?? '—'}</td>
                <td><small>{change(e)}</small></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBeforeId !== null ? <p><a href={`/admin/audit${queryString(values, { beforeId: String(nextBeforeId) })}`}>{a.older}</a></p> : null}
    </section>
  );
}

export function AuditVerifyPage({ ctx, result }: { ctx: AdminViewContext; result: { ok: true; entries: number; anchorsFound: boolean } | { ok: false; firstBadId: number; reason: string; detail: string } }) {
  const a = ctx.m.audit;
  return (
    <section>
      <h1>{a.verifyTitle}</h1>
      {result.ok
        ? <p class="notice" role="status">{a.intact(result.entries)}</p>
        : <p class="error-summary" role="alert">{a.broken(result.firstBadId, result.reason)} <small>{result.detail}</small></p>}
      {result.ok && !result.anchorsFound ? <p class="note">{a.anchorsMissing}</p> : null}
      <p><a href="/admin/audit">{a.title}</a></p>
    </section>
  );
}
