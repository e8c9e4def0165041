// The hosted payment page. Card number and security code are never written back into
// the form (not even after a validation error): the page must not echo card data.
import type { VNode } from 'preact';
import type { CardField, CardFieldError } from '../card-form.ts';
import { formatYen, HOSTED_PAGE_MESSAGES, type HostedPageMessages, type Locale } from './hosted-page-messages.ts';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

export interface PaymentPageProps {
  locale: Locale;
  nonce: string;
  csrfToken: string;
  transactionId: string;
  merchantName: string;
  description: string;
  amount: number;
  cancelHref: string;
  errors?: Partial<Record<CardField, CardFieldError>>;
  /** Only the non-sensitive fields are kept across a failed submit. */
  retained?: { expiry?: string; cardholderName?: string };
}

const FIELD_ORDER: CardField[] = ['cardNumber', 'expiry', 'securityCode', 'cardholderName'];

function TextField(props: {
  id: CardField;
  label: string;
  autocomplete: string;
  numeric?: boolean;
  value?: string;
  hint?: string;
  error?: string;
  maxLength: number;
}): VNode {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        type="text"
        id={props.id}
        name={props.id}
        autocomplete={props.autocomplete}
        inputmode={props.numeric ? 'numeric' : undefined}
        spellcheck={false}
        maxlength={props.maxLength}
        value={props.value ?? ''}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        required
      />
      {props.hint && <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>}
      {props.error && <p class="field-error" id={`${props.id}-error`}>{props.error}</p>}
    </div>
  );
}

export function LanguageSwitch(props: { m: HostedPageMessages; path: string }): VNode {
  return (
    <nav class="lang" aria-label={props.m.language}>
      <a href={`${props.path}?lang=ja`} lang="ja" hreflang="ja">日本語</a>
      <a href={`${props.path}?lang=en`} lang="en" hreflang="en">English</a>
    </nav>
  );
}

function PaymentPage(p: PaymentPageProps): VNode {
  const m = HOSTED_PAGE_MESSAGES[p.locale];
  const errors = p.errors ?? {};
  const errorFields = FIELD_ORDER.filter((f) => errors[f]);
  const message = (f: CardField) => (errors[f] ? m.errors[errors[f]] : undefined);
  return (
    <PageLayout lang={p.locale} title={errorFields.length ? `${m.errorSummary} ${m.htmlTitle}` : m.htmlTitle} nonce={p.nonce}>
      <LanguageSwitch m={m} path={`/pay/${p.transactionId}`} />
      <p class="sandbox">{m.sandboxNotice}</p>
      <h1>{m.payTo}: {p.merchantName}</h1>
      <dl class="summary">
        <dt>{m.order}</dt>
        <dd>{p.description}</dd>
        <dt>{m.amount}</dt>
        <dd class="amount">{formatYen(p.amount, p.locale)}</dd>
      </dl>
      {errorFields.length > 0 && (
        <div class="error-summary" role="alert">
          <p>{m.errorSummary}</p>
          <ul>
            {errorFields.map((f) => (
              <li key={f}><a href={`#${f}`}>{message(f)}</a></li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`/pay/${p.transactionId}?lang=${p.locale}`} novalidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <fieldset>
          <legend>{m.cardDetails}</legend>
          <TextField id="cardNumber" label={m.cardNumber} autocomplete="cc-number" numeric maxLength={23} error={message('cardNumber')} />
          <TextField id="expiry" label={m.expiry} autocomplete="cc-exp" numeric maxLength={7} hint={m.expiryHint} value={p.retained?.expiry} error={message('expiry')} />
          <TextField id="securityCode" label={m.securityCode} autocomplete="cc-csc" numeric maxLength={4} hint={m.securityCodeHint} error={message('securityCode')} />
          <TextField id="cardholderName" label={m.cardholderName} autocomplete="cc-name" maxLength={100} value={p.retained?.cardholderName} error={message('cardholderName')} />
        </fieldset>
        <div class="actions">
          <button type="submit">{m.pay}</button>
          <a href={p.cancelHref}>{m.cancel}</a>
        </div>
      </form>
    </PageLayout>
  );
}

export function renderPaymentPage(props: PaymentPageProps): string {
  return renderHtmlDocument(<PaymentPage {...props} />);
}
