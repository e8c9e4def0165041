// Login, first-owner setup and the second factor (verify, enrol, recovery codes).
import { CsrfField, type AdminViewContext } from './admin-layout.tsx';

function Notice({ text, error }: { text: string | undefined; error?: boolean }) {
  if (!text) return null;
  return error ? <p class="error-summary" role="alert">{text}</p> : <p class="notice" role="status">{text}</p>;
}

export function LoginPage({ ctx, email, error, notice }: { ctx: AdminViewContext; email?: string; error?: string; notice?: string }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.login.title}</h1>
      <Notice text={notice} />
      <Notice text={error} error />
      <form method="post" action="/admin/login">
        <CsrfField ctx={ctx} />
        <div class="field">
          <label for="email">{m.login.email}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        </div>
        <div class="field">
          <label for="password">{m.login.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">{m.login.submit}</button>
      </form>
    </section>
  );
}

export function SetupPage({ ctx, token, email, error }: { ctx: AdminViewContext; token: string; email?: string; error?: string }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.setup.title}</h1>
      <p>{m.setup.intro}</p>
      <Notice text={error} error />
      <form method="post" action="/admin/setup">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <div class="field">
          <label for="email">{m.login.email}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        </div>
        <div class="field">
          <label for="password">{m.login.password}</label>
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={12} required aria-describedby="password-hint" />
          <span id="password-hint" class="hint">{m.password.PASSWORD_TOO_SHORT}</span>
        </div>
        <div class="field">
          <label for="password-confirm">{m.setup.passwordConfirm}</label>
          <input id="password-confirm" name="passwordConfirm" type="password" autocomplete="new-password" minlength={12} required />
        </div>
        <button type="submit">{m.setup.submit}</button>
      </form>
    </section>
  );
}

export function MfaVerifyPage({ ctx, error }: { ctx: AdminViewContext; error?: string }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.mfa.verifyTitle}</h1>
      <p id="code-intro">{m.mfa.verifyIntro}</p>
      <Notice text={error} error />
      <form method="post" action="/admin/mfa/verify">
        <CsrfField ctx={ctx} />
        <div class="field">
          <label for="code">{m.mfa.code}</label>
          <input id="code" name="code" type="text" autocomplete="one-time-code" required aria-describedby="code-intro" />
        </div>
        <button type="submit">{m.mfa.submit}</button>
      </form>
    </section>
  );
}

export function MfaEnrolPage({ ctx, qrSvg, secret, error }: { ctx: AdminViewContext; qrSvg: string; secret: string; error?: string }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.mfa.enrolTitle}</h1>
      <p>{m.mfa.enrolIntro}</p>
      <Notice text={error} error />
      {/* The SVG is generated server-side by the qrcode library from our own otpauth URI. */}
      <div class="qr-code" role="img" aria-label={m.mfa.qrLabel} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>{m.mfa.secretLabel} <code id="totp-secret" lang="en">{secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
      <form method="post" action="/admin/mfa/enrol">
        <CsrfField ctx={ctx} />
        <div class="field">
          <label for="code">{m.mfa.enrolCode}</label>
          <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required />
        </div>
        <button type="submit">{m.mfa.enrolSubmit}</button>
      </form>
    </section>
  );
}

export function RecoveryCodesPage({ ctx, codes }: { ctx: AdminViewContext; codes: string[] }) {
  const { m } = ctx;
  return (
    <section>
      <h1>{m.mfa.recoveryTitle}</h1>
      <p>{m.mfa.recoveryIntro}</p>
      <ul class="recovery-codes" lang="en">
        {codes.map((c) => <li><code>{c}</code></li>)}
      </ul>
      <p><a href="/admin">{m.mfa.continue}</a></p>
    </section>
  );
}
