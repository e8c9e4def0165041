// 会員管理 pages: the search list and one customer's page. Personal data (e-mail, name, addresses)
// only for roles that may see it (seesPersonalData); others see ids, states and counts.
import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import { CsrfField, type AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { CUSTOMER_STATES, type CustomerDetail, type CustomerFilter, type CustomerListRow } from '../customer-admin.ts';
import { customerAdminMessages } from '../customer-admin-messages.ts';

function query(f: CustomerFilter, page?: number): string {
  const q = new URLSearchParams();
  if (f.text) q.set('text', f.text);
  if (f.state) q.set('state', f.state);
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function CustomerListPage({ ctx, filter, rows, total, page, pages, personal, canExport }: {
  ctx: AdminViewContext; filter: CustomerFilter; rows: CustomerListRow[]; total: number; page: number; pages: number; personal: boolean; canExport: boolean;
}) {
  const m = customerAdminMessages(ctx.locale);
  return (
    <section>
      <h1>{m.title}</h1>
      <form method="get" action="/admin/customers" class="filter-form">
        {personal ? (
          <p><label for="customer-text">{m.searchLabel}</label> <input id="customer-text" name="text" type="search" maxLength={100} value={filter.text ?? ''} /></p>
        ) : null}
        <p>
          <label for="customer-state">{m.stateLabel}</label>{' '}
          <select id="customer-state" name="state">
            <option value="" selected={!filter.state}>{m.allStates}</option>
            {CUSTOMER_STATES.map((s) => <option value={s} selected={filter.state === s}>{m.states[s]}</option>)}
          </select>
        </p>
        <p><button type="submit">{m.search}</button></p>
      </form>
      {canExport ? <p><a href={`/admin/customers.csv${query(filter)}`}>{m.export}</a></p> : null}
      <p role="status">{m.count(total)}</p>
      {rows.length === 0 ? <p>{m.none}</p> : (
        <table class="cart-table">
          <caption>{m.title}</caption>
          <thead>
            <tr>
              <th scope="col">{m.columns.id}</th>
              {personal ? <th scope="col">{m.columns.email}</th> : null}
              {personal ? <th scope="col">{m.columns.name}</th> : null}
              <th scope="col">{m.columns.state}</th><th scope="col">{m.columns.orders}</th><th scope="col">{m.columns.createdAt}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row"><a href={`/admin/customers/${r.id}`}>{`#${r.id}`}</a></th>
                {personal ? <td>{r.email}</td> : null}
                {personal ? <td>{r.name}</td> : null}
                <td>{m.states[r.state]}</td><td>{r.orders}</td><td>{formatDateTime(r.createdAt, ctx.locale, ctx.timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav aria-label={m.pager(page, pages)}>
          {page > 1 ? <a href={`/admin/customers${query(filter, page - 1)}`}>{m.prev}</a> : null} {m.pager(page, pages)} {page < pages ? <a href={`/admin/customers${query(filter, page + 1)}`}>{m.next}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}

export function CustomerDetailPage({ ctx, customer, personal, canChange, notice, reasonError, totpReasonError }: {
  ctx: AdminViewContext; customer: CustomerDetail; personal: boolean; canChange: boolean; notice?: string | undefined; reasonError?: string | undefined; totpReasonError?: string | undefined;
}) {
  const m = customerAdminMessages(ctx.locale);
  const c = customer;
  const disabled = c.state === 'disabled';
  return (
    <section>
      <h1>{m.detailTitle(c.id)}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {personal ? null : <p>{m.personalHidden}</p>}
      <dl class="order-facts">
        {personal ? <><dt>{m.columns.email}</dt><dd>{c.email}</dd><dt>{m.columns.name}</dt><dd>{c.name}</dd></> : null}
        <dt>{m.columns.state}</dt><dd>{m.states[c.state]}</dd>
        <dt>{m.locale}</dt><dd>{c.locale}</dd>
        <dt>{m.totp}</dt><dd>{c.totpOn ? m.totpOn : m.totpOff}</dd>
        <dt>{m.columns.createdAt}</dt><dd>{formatDateTime(c.createdAt, ctx.locale, ctx.timeZone)}</dd>
        {c.verifiedAt ? <><dt>{m.verifiedAt}</dt><dd>{formatDateTime(c.verifiedAt, ctx.locale, ctx.timeZone)}</dd></> : null}
        {c.disabledAt ? <><dt>{m.disabledAt}</dt><dd>{formatDateTime(c.disabledAt, ctx.locale, ctx.timeZone)}</dd></> : null}
      </dl>
      {personal ? (
        <>
          <h2>{m.addresses}</h2>
          {c.addresses.length === 0 ? <p>{m.noAddresses}</p> : (
            <ul>{c.addresses.map((a) => <li>{`${a.name} 〒${a.postalCode} ${a.prefecture}${a.city}${a.line1} ${a.line2} ${a.phone}`}{a.isDefault ? ` (${m.defaultAddress})` : ''}</li>)}</ul>
          )}
        </>
      ) : null}
      <h2>{m.orders}</h2>
      {c.orders.length === 0 ? <p>{m.noOrders}</p> : (
        <ul>{c.orders.map((o) => <li>{personal ? <a href={`/admin/orders/${o.id}`}>{o.orderNumber}</a> : o.orderNumber}{` ${formatDateTime(o.createdAt, ctx.locale, ctx.timeZone)} ${ctx.m.orders.statuses[o.status] ?? o.status} ${formatYen(o.total)}`}</li>)}</ul>
      )}
      {canChange ? (
        <form method="post" action={`/admin/customers/${c.id}/${disabled ? 'enable' : 'disable'}`}>
          <CsrfField ctx={ctx} />
          <p>
            <label for="customer-reason">{m.reason}</label>{' '}
            <input id="customer-reason" name="reason" type="text" required maxLength={200} aria-invalid={reasonError ? 'true' : undefined} aria-describedby={reasonError ? 'customer-reason-error' : undefined} />
            {reasonError ? <span class="field-error" id="customer-reason-error">{reasonError}</span> : null}
          </p>
          <p><button type="submit">{disabled ? m.enable : m.disable}</button></p>
        </form>
      ) : null}
      {canChange && c.totpOn ? (
        <form method="post" action={`/admin/customers/${c.id}/reset-totp`}>
          <CsrfField ctx={ctx} />
          <h2>{m.totpReset}</h2>
          <p id="customer-totp-help">{m.totpResetHelp}</p>
          <p>
            <label for="customer-totp-reason">{m.totpResetReason}</label>{' '}
            <input id="customer-totp-reason" name="reason" type="text" required maxLength={200} aria-invalid={totpReasonError ? 'true' : undefined} aria-describedby={totpReasonError ? 'customer-totp-help customer-totp-reason-error' : 'customer-totp-help'} />
            {totpReasonError ? <span class="field-error" id="customer-totp-reason-error">{totpReasonError}</span> : null}
          </p>
          <p><button type="submit">{m.totpReset}</button></p>
        </form>
      ) : null}
    </section>
  );
}
