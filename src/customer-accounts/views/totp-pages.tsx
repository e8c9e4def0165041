// Two-step verification pages (customer-totp.ts): the account page's section (turn on, or off
// with the password and a code, or new recovery codes the same way), the enrolment page with the QR code and the key in text, the recovery
// codes shown once, and the sign-in's second step.
import { formatDateTime } from '../../i18n/locale.ts';
import type { ViewContext } from '../../layout/view-context.ts';
import type { AccountFieldError } from '../register-customer.ts';
import { Csrf, Field, Notice, fieldMessage } from './account-pages.tsx';

export interface TotpState { enrolledAt: string | null; recoveryLeft: number }

function CodeField({ ctx, id, label, error }: { ctx: ViewContext; id: string; label: string; error?: string | undefined }) {
  void ctx;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {/* Text, not numeric only: a recovery code (xxxx-xxxx-xxxx) goes in the same field. */}
      <input id={id} name={id} type="text" required autocomplete="one-time-code" inputmode="text" maxLength={20} spellcheck={false}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <p class="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}

export function TotpSection({ ctx, state, errors }: { ctx: ViewContext; state: TotpState; errors: AccountFieldError[] }) {
  const a = ctx.m.account;
  const codeError = (id: string) => { const e = errors.find((x) => x.field === id); return e ? fieldMessage(ctx, e) : undefined; };
  return (
    <section aria-labelledby="totp">
      <h2 id="totp">{a.totpTitle}</h2>
      <p>{a.totpIntro}</p>
      {state.enrolledAt === null ? (
        <>
          <p>{a.totpOff}</p>
          <p><a href={`/account/totp?lang=${ctx.locale}`}>{a.totpStart}</a></p>
        </>
      ) : (
        <>
          <p>{a.totpOnSince(formatDateTime(state.enrolledAt, ctx.locale, ctx.timeZone))}</p>
          <p>{a.totpRecoveryLeft(state.recoveryLeft)}</p>
          <h3>{a.totpRenewTitle}</h3>
          <p>{a.totpRenewIntro}</p>
          <form method="post" action="/account/totp/recovery-codes" novalidate>
            <Csrf ctx={ctx} />
            <Field ctx={ctx} id="renewPassword" label={a.currentPassword} type="password" errors={errors} autocomplete="current-password" />
            <CodeField ctx={ctx} id="renewCode" label={a.totpDisableCode} error={codeError('renewCode')} />
            <button type="submit">{a.totpRenewButton}</button>
          </form>
          <h3>{a.totpDisableTitle}</h3>
          <form method="post" action="/account/totp/disable" novalidate>
            <Csrf ctx={ctx} />
            <Field ctx={ctx} id="totpPassword" label={a.currentPassword} type="password" errors={errors} autocomplete="current-password" />
            <CodeField ctx={ctx} id="totpCode" label={a.totpDisableCode} />
            <button type="submit" class="danger">{a.totpDisableButton}</button>
          </form>
        </>
      )}
    </section>
  );
}

export function TotpEnrolPage({ ctx, qrSvg, secret, error }: { ctx: ViewContext; qrSvg: string; secret: string; error?: string | undefined }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.totpEnrolTitle}</h1>
      <p>{a.totpEnrolIntro}</p>
      <Notice text={error} error />
      {/* The SVG is made server-side by the qrcode library from our own otpauth URI: no user input in it. */}
      <div class="qr-code" role="img" aria-label={a.totpQrLabel} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>{a.totpSecretLabel} <code id="totp-secret" lang="en">{secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
      <form method="post" action="/account/totp" novalidate>
        <Csrf ctx={ctx} />
        <div class="field">
          <label for="code">{a.totpCode}</label>
          <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxLength={7} required aria-invalid={error ? 'true' : undefined} />
        </div>
        <button type="submit">{a.totpEnrolButton}</button>
      </form>
    </section>
  );
}

/** The codes, shown once: at enrolment, or made anew (`renewed`) in place of the old ones. */
export function TotpRecoveryCodesPage({ ctx, codes, renewed = false }: { ctx: ViewContext; codes: string[]; renewed?: boolean }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{renewed ? a.totpRenewedTitle : a.totpRecoveryTitle}</h1>
      <p role="status">{renewed ? a.totpRenewedIntro : a.totpRecoveryIntro}</p>
      <ul class="recovery-codes" lang="en">
        {codes.map((c) => <li><code>{c}</code></li>)}
      </ul>
      <p><a href={`/account?done=${renewed ? 'totpRecoveryRenewed' : 'totpEnabled'}&lang=${ctx.locale}#totp`}>{a.totpContinue}</a></p>
    </section>
  );
}

export function TotpLoginPage({ ctx, error }: { ctx: ViewContext; error?: string | undefined }) {
  const a = ctx.m.account;
  return (
    <section class="account-form">
      <h1>{a.totpLoginTitle}</h1>
      <p>{a.totpLoginIntro}</p>
      <Notice text={error} error />
      <form method="post" action="/account/login/totp" novalidate>
        <Csrf ctx={ctx} />
        <CodeField ctx={ctx} id="code" label={a.totpLoginField} error={error} />
        <button type="submit">{a.totpLoginButton}</button>
      </form>
    </section>
  );
}
