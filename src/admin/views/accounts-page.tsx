import { ADMIN_ROLES, type AdminAccount } from '../admin-tables.ts';
import { CsrfField, type AdminViewContext } from './admin-layout.tsx';

export interface AccountFormValues { email?: string; role?: string; refundLimit?: string; accessExpiresAt?: string }

function RoleSelect({ ctx, id, value }: { ctx: AdminViewContext; id: string; value: string | undefined }) {
  return (
    <select id={id} name="role">
      {ADMIN_ROLES.map((r) => <option value={r} selected={r === value}>{ctx.m.roles[r]}</option>)}
    </select>
  );
}

/** `<input type="datetime-local">` value (UTC) for a stored ISO instant. */
function localValue(iso: string | null): string {
  return iso ? iso.slice(0, 16) : '';
}

export function AccountsPage({ ctx, accounts, selfId, notice, error, values }: {
  ctx: AdminViewContext; accounts: AdminAccount[]; selfId: number; notice?: string; error?: string; values?: AccountFormValues;
}) {
  const { m } = ctx;
  const a = m.accounts;
  return (
    <section>
      <h1>{a.title}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      <table class="cart-table">
        <caption class="visually-hidden">{a.title}</caption>
        <thead>
          <tr><th scope="col">{a.email}</th><th scope="col">{a.role}</th><th scope="col">{a.mfa}</th><th scope="col">{a.status}</th><th scope="col">{a.update}</th></tr>
        </thead>
        <tbody>
          {accounts.map((acc) => (
            <tr>
              <th scope="row"><a href={`/admin/accounts/${acc.id}`}>{acc.email}</a></th>
              <td>{m.roles[acc.role]}</td>
              <td>{acc.mfa_enrolled_at ? a.enrolled : a.notEnrolled}</td>
              <td>{acc.disabled ? a.disabled : a.active}</td>
              <td>
                {acc.id === selfId ? <span class="note">—</span> : (
                  <form method="post" action={`/admin/accounts/${acc.id}`} class="inline-form">
                    <CsrfField ctx={ctx} />
                    <label for={`role-${acc.id}`} class="visually-hidden">{a.role}</label>
                    <RoleSelect ctx={ctx} id={`role-${acc.id}`} value={acc.role} />
                    <label for={`limit-${acc.id}`}>{a.refundLimit}</label>
                    <input id={`limit-${acc.id}`} name="refundLimit" type="number" min={0} step={1} value={acc.refund_limit ?? ''} />
                    <label for={`expires-${acc.id}`}>{a.accessExpires}</label>
                    <input id={`expires-${acc.id}`} name="accessExpiresAt" type="datetime-local" value={localValue(acc.access_expires_at)} />
                    <label><input type="checkbox" name="disabled" value="1" checked={Boolean(acc.disabled)} /> {a.disabled}</label>
                    <button type="submit">{a.update}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{a.create}</h2>
      <form method="post" action="/admin/accounts">
        <CsrfField ctx={ctx} />
        <div class="field">
          <label for="new-email">{a.email}</label>
          <input id="new-email" name="email" type="email" required value={values?.email ?? ''} autocomplete="off" />
        </div>
        <div class="field">
          <label for="new-role">{a.role}</label>
          <RoleSelect ctx={ctx} id="new-role" value={values?.role ?? 'staff'} />
        </div>
        <div class="field">
          <label for="new-password">{a.initialPassword}</label>
          <input id="new-password" name="password" type="password" minlength={12} required autocomplete="new-password" />
        </div>
        <div class="field">
          <label for="new-limit">{a.refundLimit}</label>
          <input id="new-limit" name="refundLimit" type="number" min={0} step={1} value={values?.refundLimit ?? ''} />
        </div>
        <div class="field">
          <label for="new-expires">{a.accessExpires}</label>
          <input id="new-expires" name="accessExpiresAt" type="datetime-local" value={values?.accessExpiresAt ?? ''} />
        </div>
        <button type="submit">{a.createSubmit}</button>
      </form>
    </section>
  );
}

export interface AccountPageErrors { reason?: string | undefined; code?: string | undefined }

/** One account: what it is, and the owner's TOTP reset for it (reason and the owner's own fresh code). */
export function AccountPage({ ctx, account, selfId, notice, error, errors, values }: {
  ctx: AdminViewContext; account: AdminAccount; selfId: number; notice?: string | undefined; error?: string | undefined; errors?: AccountPageErrors | undefined; values?: { reason?: string } | undefined;
}) {
  const { m } = ctx;
  const a = m.accounts;
  const r = a.resetTotp;
  const described = (id: string, help: string | undefined, err: string | undefined) => [help, err ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <section>
      <h1>{a.detailTitle(account.email)}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error-summary" role="alert">{error}</p> : null}
      <dl>
        <dt>{a.role}</dt><dd>{m.roles[account.role]}</dd>
        <dt>{a.mfa}</dt><dd>{account.mfa_enrolled_at ? a.enrolled : a.notEnrolled}</dd>
        <dt>{a.status}</dt><dd>{account.disabled ? a.disabled : a.active}</dd>
      </dl>
      <h2>{r.title}</h2>
      {account.id === selfId ? <p class="note">{r.self}</p>
        : !account.mfa_enrolled_at ? <p class="note">{r.notEnrolled}</p>
        : (
          <form method="post" action={`/admin/accounts/${account.id}/reset-totp`}>
            <CsrfField ctx={ctx} />
            <p id="account-totp-help">{r.help}</p>
            <p>
              <label for="account-totp-reason">{r.reason}</label>{' '}
              <input id="account-totp-reason" name="reason" type="text" required maxLength={200} value={values?.reason ?? ''}
                aria-invalid={errors?.reason ? 'true' : undefined} aria-describedby={described('account-totp-reason', 'account-totp-help', errors?.reason)} />
              {errors?.reason ? <span class="field-error" id="account-totp-reason-error">{errors.reason}</span> : null}
            </p>
            <p>
              <label for="account-totp-code">{m.accessSignals.mfaReset.code}</label>{' '}
              <input id="account-totp-code" name="code" type="text" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required maxLength={20}
                aria-invalid={errors?.code ? 'true' : undefined} aria-describedby={described('account-totp-code', undefined, errors?.code)} />
              {errors?.code ? <span class="field-error" id="account-totp-code-error">{errors.code}</span> : null}
            </p>
            <p><button type="submit">{r.submit}</button></p>
          </form>
        )}
      <p><a href="/admin/accounts">{a.back}</a></p>
    </section>
  );
}
