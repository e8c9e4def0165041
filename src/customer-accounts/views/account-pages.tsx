// The account's pages: forms post back to /account/… with the storefront's CSRF token; field
// errors are shown at each field and announced, as the checkout form does.
import { customerNameMessages } from '../../checkout/customer-name-messages.ts';
import type { ComponentChildren } from 'preact';
import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import type { ViewContext } from '../../layout/view-context.ts';
import type { AccountFieldError } from '../register-customer.ts';
import type { CustomerAddressRow, CustomerOrderRow } from '../account-queries.ts';
import type { PasskeyRow } from '../customer-passkeys.ts';
import { staticAsset } from '../../layout/static-assets.ts';
import { TotpSection, type TotpState } from './totp-pages.tsx';

/** The passkey script (public/passkeys.js): from the shop, with SRI and this response's nonce. */
function PasskeyScript({ ctx }: { ctx: ViewContext }) {
  const js = staticAsset('passkeys.js');
  return <script src={js.href} integrity={js.integrity} nonce={ctx.nonce} defer />;
}

/** A button the script reveals (hidden without JavaScript or WebAuthn), and where it reports. */
function PasskeyButton({ ctx, kind, options, finish, label }: { ctx: ViewContext; kind: 'register' | 'sign-in'; options: string; finish: string; label: string }) {
  const a = ctx.m.account;
  return (
    <>
      <button type="button" hidden data-passkey={kind} data-options={options} data-finish={finish} data-working={a.passkeyWorking} data-failed={kind === 'sign-in' ? a.passkeyLoginFailed : a.passkeyFailed}>{label}</button>
      <p id="passkey-status" aria-live="polite" />
    </>
  );
}

export function fieldMessage(ctx: ViewContext, e: AccountFieldError): string {
  const { m } = ctx;
  switch (e.code) {
    case 'required': return m.errors.required;
    case 'email': return m.errors.email;
    case 'cardNumber': return m.errors.cardNumber;
    case 'tooLong': return m.errors.tooLong(100);
    case 'phone': return m.errors.phone;
    case 'postalCode': return m.errors.postalCode;
    case 'prefecture': return m.errors.prefecture;
    case 'kana': return customerNameMessages(ctx.locale).kana;
    case 'wrongPassword': return m.account.wrongPassword;
    case 'totpWrong': return m.account.totpWrong;
    case 'totpLocked': return m.account.totpLocked;
    default: return m.account.passwordErrors[e.code];
  }
}

export function Csrf({ ctx }: { ctx: ViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function Field({ ctx, id, label, type, value, errors, autocomplete, hint }: {
  ctx: ViewContext; id: string; label: string; type: 'email' | 'text' | 'password'; value?: string; errors: AccountFieldError[]; autocomplete: string; hint?: string;
}) {
  const error = errors.find((e) => e.field === id);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
      {type === 'password'
        ? <input id={id} name={id} type="password" required autocomplete={autocomplete} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} maxLength={256} />
        : type === 'email'
          ? <input id={id} name={id} type="email" required autocomplete={autocomplete} value={value} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} maxLength={254} />
          : <input id={id} name={id} type="text" required autocomplete={autocomplete} value={value} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} maxLength={254} />}
      {error ? <p class="field-error" id={`${id}-error`}>{fieldMessage(ctx, error)}</p> : null}
    </div>
  );
}

export function Notice({ text, error }: { text?: string | undefined; error?: boolean }) {
  if (!text) return null;
  return error ? <p class="notice notice-error" role="alert">{text}</p> : <p class="notice" role="status">{text}</p>;
}

export function RegisterPage({ ctx, values, errors, notice }: { ctx: ViewContext; values: { email: string; name: string }; errors: AccountFieldError[]; notice?: string }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.registerTitle}</h1>
      <Notice text={notice} />
      {errors.length > 0 ? <p class="error" role="alert">{ctx.m.checkout.errorsSummary}</p> : null}
      {notice ? null : (
        <>
          <p>{a.registerIntro}</p>
          <form method="post" action="/account/register" novalidate>
            <Csrf ctx={ctx} />
            <Field ctx={ctx} id="email" label={a.email} type="email" value={values.email} errors={errors} autocomplete="email" />
            <Field ctx={ctx} id="name" label={a.name} type="text" value={values.name} errors={errors} autocomplete="name" />
            <Field ctx={ctx} id="password" label={a.password} type="password" errors={errors} autocomplete="new-password" hint={a.passwordHint} />
            <button type="submit">{a.registerButton}</button>
          </form>
          <p>{a.haveAccount} <a href={`/account/login?lang=${ctx.locale}`}>{a.loginTitle}</a></p>
        </>
      )}
    </section>
  );
}

export function LoginPage({ ctx, email, error, notice, passkeys = false }: { ctx: ViewContext; email: string; error?: string | undefined; notice?: string | undefined; passkeys?: boolean }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.loginTitle}</h1>
      <Notice text={notice} />
      <Notice text={error} error />
      <form method="post" action="/account/login">
        <Csrf ctx={ctx} />
        <div class="field">
          <label for="email">{a.email}</label>
          <input id="email" name="email" type="email" required maxLength={254} autocomplete="username" value={email} />
        </div>
        <div class="field">
          <label for="password">{a.password}</label>
          <input id="password" name="password" type="password" required maxLength={256} autocomplete="current-password" />
        </div>
        <button type="submit">{a.loginButton}</button>
      </form>
      {passkeys ? (
        <form class="passkey-sign-in">
          <Csrf ctx={ctx} />
          <PasskeyButton ctx={ctx} kind="sign-in" options="/account/login/passkey/options" finish="/account/login/passkey" label={a.passkeyLogin} />
        </form>
      ) : null}
      <p><a href={`/account/password-reset?lang=${ctx.locale}`}>{a.forgotPassword}</a></p>
      <p>{a.noAccount} <a href={`/account/register?lang=${ctx.locale}`}>{a.registerTitle}</a></p>
      {passkeys ? <PasskeyScript ctx={ctx} /> : null}
    </section>
  );
}

/** A link from a mail opens this page; only its button spends the token (mail scanners fetch links). */
export function ConfirmLinkPage({ ctx, title, action, token, button, error }: { ctx: ViewContext; title: string; action: string; token: string; button: string; error?: string | undefined }) {
  return (
    <section class="account-form">
      <h1>{title}</h1>
      <Notice text={error} error />
      {error ? null : (
        <form method="post" action={action}>
          <Csrf ctx={ctx} />
          <input type="hidden" name="token" value={token} />
          <button type="submit">{button}</button>
        </form>
      )}
    </section>
  );
}

export function ResetRequestPage({ ctx, email, notice, errors }: { ctx: ViewContext; email: string; notice?: string | undefined; errors: AccountFieldError[] }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.resetTitle}</h1>
      <Notice text={notice} />
      <p>{a.resetIntro}</p>
      <form method="post" action="/account/password-reset" novalidate>
        <Csrf ctx={ctx} />
        <Field ctx={ctx} id="email" label={a.email} type="email" value={email} errors={errors} autocomplete="email" />
        <button type="submit">{a.resetRequestButton}</button>
      </form>
    </section>
  );
}

export function ResetPasswordPage({ ctx, token, errors, error }: { ctx: ViewContext; token: string; errors: AccountFieldError[]; error?: string | undefined }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.resetTitle}</h1>
      <Notice text={error} error />
      {error ? null : (
        <form method="post" action="/account/password-reset/confirm" novalidate>
          <Csrf ctx={ctx} />
          <input type="hidden" name="token" value={token} />
          <Field ctx={ctx} id="password" label={a.newPassword} type="password" errors={errors} autocomplete="new-password" hint={a.passwordHint} />
          <button type="submit">{a.resetButton}</button>
        </form>
      )}
    </section>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return <section aria-labelledby={id}><h2 id={id}>{title}</h2>{children}</section>;
}

export interface AccountPageData {
  email: string;
  orders: CustomerOrderRow[];
  addresses: CustomerAddressRow[];
  /** Undefined when the shop offers no passkeys (its public URL is an IP address). */
  passkeys?: PasskeyRow[] | undefined;
  /** Two-step verification (customer-totp.ts); undefined hides the section. */
  totp?: TotpState | undefined;
}

export function AccountPage({ ctx, data, notice, errors, errorNotice }: { ctx: ViewContext; data: AccountPageData; notice?: string | undefined; errors: AccountFieldError[]; errorNotice?: string | undefined }) {
  const { m, locale } = ctx;
  const a = m.account;
  return (
    <div class="account">
      <h1>{a.accountTitle}</h1>
      <p>{a.signedInAs(data.email)}</p>
      <Notice text={notice} />
      <Notice text={errorNotice} error />
      <form method="post" action="/account/logout"><Csrf ctx={ctx} /><button type="submit">{a.logoutButton}</button></form>

      <Section title={a.ordersTitle} id="orders">
        {data.orders.length === 0 ? <p>{a.noOrders}</p> : (
          <table class="account-orders">
            <thead><tr><th scope="col">{a.orderNumber}</th><th scope="col">{a.orderDate}</th><th scope="col">{a.orderStatus}</th><th scope="col">{a.orderTotal}</th><th scope="col"><span class="visually-hidden">{a.viewOrder}</span></th></tr></thead>
            <tbody>
              {data.orders.map((o) => (
                <tr>
                  <td>{o.order_number}</td>
                  <td>{formatDateTime(o.created_at, locale, ctx.timeZone)}</td>
                  <td>{m.order.statuses[o.status as keyof typeof m.order.statuses] ?? o.status}</td>
                  <td>{formatYen(o.total)}</td>
                  <td><a href={`/account/orders/${o.id}?lang=${locale}`}>{a.viewOrder}<span class="visually-hidden"> {o.order_number}</span></a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title={a.addressesTitle} id="addresses">
        {data.addresses.length === 0 ? <p>{a.noAddresses}</p> : (
          <ul class="account-addresses">
            {data.addresses.map((ad) => (
              <li>
                <p>{ad.name}<br />〒{ad.postal_code} {ad.prefecture}{ad.city}{ad.line1} {ad.line2}<br />{ad.phone}</p>
                {ad.is_default ? <p><strong>{a.defaultAddress}</strong></p> : (
                  <form method="post" action={`/account/addresses/${ad.id}/default`}><Csrf ctx={ctx} /><button type="submit">{a.makeDefault}</button></form>
                )}
                <form method="post" action={`/account/addresses/${ad.id}/delete`}><Csrf ctx={ctx} /><button type="submit">{a.deleteAddress}</button></form>
              </li>
            ))}
          </ul>
        )}
        <h3>{a.addAddress}</h3>
        <form method="post" action="/account/addresses" class="address-form" novalidate>
          <Csrf ctx={ctx} />
          {([['name', m.checkout.name, 'name'], ['phone', m.checkout.phone, 'tel'], ['postalCode', m.checkout.postalCode, 'postal-code'], ['prefecture', m.checkout.prefecture, 'address-level1'],
            ['city', m.checkout.city, 'address-level2'], ['line1', m.checkout.line1, 'address-line1']] as const).map(([id, label, ac]) => (
            <Field ctx={ctx} id={id} label={label} type="text" errors={errors} autocomplete={`shipping ${ac}`} />
          ))}
          <div class="field">
            <label for="line2">{m.checkout.line2}</label>
            <input id="line2" name="line2" type="text" maxLength={200} autocomplete="shipping address-line2" />
          </div>
          <div class="field">
            <input id="isDefault" name="isDefault" type="checkbox" value="1" /> <label for="isDefault">{a.defaultAddress}</label>
          </div>
          <button type="submit">{a.saveAddress}</button>
        </form>
      </Section>

      <Section title={a.settingsTitle} id="settings">
        <h3>{a.changeEmailTitle}</h3>
        <form method="post" action="/account/email" novalidate>
          <Csrf ctx={ctx} />
          <Field ctx={ctx} id="newEmail" label={a.newEmail} type="email" errors={errors} autocomplete="email" />
          <Field ctx={ctx} id="emailPassword" label={a.currentPassword} type="password" errors={errors} autocomplete="current-password" />
          <button type="submit">{a.changeEmailButton}</button>
        </form>
        <h3>{a.changePasswordTitle}</h3>
        <form method="post" action="/account/password" novalidate>
          <Csrf ctx={ctx} />
          <Field ctx={ctx} id="currentPassword" label={a.currentPassword} type="password" errors={errors} autocomplete="current-password" />
          <Field ctx={ctx} id="newPassword" label={a.newPassword} type="password" errors={errors} autocomplete="new-password" hint={a.passwordHint} />
          <button type="submit">{a.changePasswordButton}</button>
        </form>
      </Section>

      {data.totp ? <TotpSection ctx={ctx} state={data.totp} errors={errors} /> : null}

      {data.passkeys ? (
        <Section title={a.passkeysTitle} id="passkeys">
          <p>{a.passkeysIntro}</p>
          {data.passkeys.length === 0 ? <p>{a.passkeysNone}</p> : (
            <ul class="account-passkeys">
              {data.passkeys.map((p, i) => (
                <li>
                  {`${a.passkeysTitle} ${i + 1}: ${a.passkeyAdded(formatDateTime(p.createdAt, locale, ctx.timeZone))}`}
                  {p.lastUsedAt ? `、${a.passkeyLastUsed(formatDateTime(p.lastUsedAt, locale, ctx.timeZone))}` : ''}
                  {p.backedUp ? `（${a.passkeySynced}）` : ''}
                  <form method="post" action="/account/passkeys/delete">
                    <Csrf ctx={ctx} />
                    <input type="hidden" name="credentialId" value={p.credentialId} />
                    <button type="submit">{a.passkeyDelete}<span class="visually-hidden">{` ${i + 1}`}</span></button>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <form class="passkey-register">
            <Csrf ctx={ctx} />
            <PasskeyButton ctx={ctx} kind="register" options="/account/passkeys/options" finish="/account/passkeys" label={a.passkeyAdd} />
          </form>
          <PasskeyScript ctx={ctx} />
        </Section>
      ) : null}

      <Section title={a.dataTitle} id="data">
        <p><a href="/account/data.json" download="my-data.json">{a.downloadData}</a></p>
        <h3>{a.deleteTitle}</h3>
        <p>{a.deleteExplain}</p>
        <p>{a.deleteKeeps}</p>
        <form method="post" action="/account/delete" novalidate>
          <Csrf ctx={ctx} />
          <Field ctx={ctx} id="deletePassword" label={a.deleteConfirm} type="password" errors={errors} autocomplete="current-password" />
          <button type="submit" class="danger">{a.deleteButton}</button>
        </form>
      </Section>
    </div>
  );
}
