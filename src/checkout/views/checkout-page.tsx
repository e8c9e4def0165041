import type { ComponentChildren } from 'preact';
import { formatYen } from '../../i18n/locale.ts';
import type { Messages } from '../../i18n/messages-ja.ts';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import type { Cart } from '../../cart/service.ts';
import { TotalsTable, type TotalsView } from '../../cart/views/totals-table.tsx';
import type { DetailsFieldError } from '../customer-details.ts';
import { PREFECTURES } from '../prefectures.ts';
import { CheckoutLegalNotice } from '../../legal-pages/legal-links.tsx';
import { staticAsset } from '../../layout/static-assets.ts';
import { customerNameMessages } from '../customer-name-messages.ts';
import { messagesEn } from '../../i18n/messages-en.ts';
import { couponErrorText, type CheckoutCouponView } from '../checkout-coupon.ts';

// The catalogs carry no locale of their own; the name words live beside the form (customer-name-messages.ts).
const nameWords = (m: Messages) => customerNameMessages(m === messagesEn ? 'en' : 'ja');

export interface CheckoutFormValues {
  /** `name`: only from posts of the form before 姓・名 (kept working, see routes.tsx). */
  email: string; name: string; familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; phone: string;
  country: string; postalCode: string; prefecture: string; city: string; line1: string; line2: string;
}

export const EMPTY_CHECKOUT_FORM: CheckoutFormValues = { email: '', name: '', familyName: '', givenName: '', familyNameKana: '', givenNameKana: '', phone: '', country: 'JP', postalCode: '', prefecture: '', city: '', line1: '', line2: '' };

export function fieldErrorMessage(m: Messages, e: DetailsFieldError): string {
  switch (e.code) {
    case 'email': return m.errors.email;
    case 'phone': return m.errors.phone;
    case 'postalCode': return m.errors.postalCode;
    case 'prefecture': return m.errors.prefecture;
    case 'tooLong': return m.errors.tooLong(e.max ?? 0);
    case 'cardNumber': return m.errors.cardNumber;
    case 'kana': return nameWords(m).kana;
    default: return m.errors.required;
  }
}

function fieldLabel(m: Messages, field: string): string {
  const n = nameWords(m);
  const labels: Record<string, string> = {
    email: m.checkout.email, name: m.checkout.name, familyName: n.familyName, givenName: n.givenName, familyNameKana: n.familyNameKana, givenNameKana: n.givenNameKana, phone: m.checkout.phone, country: m.checkout.country,
    postalCode: m.checkout.postalCode, prefecture: m.checkout.prefecture, city: m.checkout.city, line1: m.checkout.line1, line2: m.checkout.line2,
  };
  return labels[field] ?? field;
}

/** The form's fields top to bottom: the error summary follows it, whatever order the checks ran in. */
const FORM_ORDER = ['email', 'name', 'familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'phone', 'country', 'postalCode', 'prefecture', 'city', 'line1', 'line2'];
const formPosition = (e: DetailsFieldError) => { const i = FORM_ORDER.indexOf(formField(e.field)); return i < 0 ? FORM_ORDER.length : i; };

/** Form field names are the API's dotted paths' last segment. */
function formField(path: string): string {
  return path.replace(/^shippingAddress\./, '');
}

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string | undefined; children: ComponentChildren }) {
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? <span class="hint" id={`${id}-hint`}>{hint}</span> : null}
      {children}
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </div>
  );
}

/** A refusal from a section below the address (delivery, payment, coupon), listed in the summary after the address fields. */
export interface CheckoutSectionError {
  /** The id of the element the summary's link moves to. */
  target: string;
  label: string;
  message: string;
}

export function CheckoutPage({ ctx, cart, totals, values, errors, sectionErrors = [], notice, freeOver, delivery, paymentChoice, postalStatus, coupon = { value: '' } }: {
  ctx: ViewContext;
  cart: Cart;
  totals: TotalsView;
  values: CheckoutFormValues;
  errors: DetailsFieldError[];
  /** In form order, after every address field (see sectionErrors in ../routes.tsx). */
  sectionErrors?: CheckoutSectionError[] | undefined;
  notice?: string | undefined;
  freeOver?: number | undefined;
  /** The delivery section (src/shipping/views/delivery-choice.tsx). */
  delivery?: ComponentChildren;
  /** The payment-method radio (src/payment-methods/views/payment-method-choice.tsx). */
  paymentChoice?: ComponentChildren;
  /** What the server-side postal-code fill did (shown where the script reports its own). */
  postalStatus?: string | undefined;
  /** The coupon field: the posted code, and its discount or refusal (src/checkout/checkout-coupon.ts). */
  coupon?: CheckoutCouponView | undefined;
}) {
  const { m, locale } = ctx;
  const n = nameWords(m);
  const script = staticAsset('postal-code-fill.js');
  const errorFor = (name: keyof CheckoutFormValues) => {
    const e = errors.find((x) => formField(x.field) === name);
    return e ? fieldErrorMessage(m, e) : undefined;
  };
  const aria = (name: keyof CheckoutFormValues, hint = false) => {
    const err = errorFor(name);
    const describedBy = [hint ? `${name}-hint` : '', err ? `${name}-error` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': describedBy || undefined } as const;
  };
  return (
    <>
      <h1>{m.checkout.title}</h1>
      {errors.length + sectionErrors.length > 0 ? (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{m.checkout.errorsSummary}</p>
          <ul>
            {[...errors].sort((a, b) => formPosition(a) - formPosition(b)).map((e) => <li><a href={`#${formField(e.field)}`}>{fieldLabel(m, formField(e.field))}: {fieldErrorMessage(m, e)}</a></li>)}
            {sectionErrors.map((e) => <li><a href={`#${e.target}`}>{e.label}: {e.message}</a></li>)}
          </ul>
        </div>
      ) : null}
      {notice ? <p class="notice" role="alert">{notice}</p> : null}
      <div class="checkout-layout">
        <form method="post" action="/checkout" class="checkout-form" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <input type="hidden" name="lang" value={locale} />
          <fieldset>
            <legend>{m.checkout.contact}</legend>
            <Field id="email" label={m.checkout.email} error={errorFor('email')}>
              <input id="email" name="email" type="email" autocomplete="email" required maxLength={254} value={values.email} {...aria('email')} />
            </Field>
            <div class="name-parts">
              <Field id="familyName" label={n.familyName} error={errorFor('familyName')}>
                <input id="familyName" name="familyName" type="text" autocomplete="family-name" required maxLength={50} value={values.familyName} {...aria('familyName')} />
              </Field>
              <Field id="givenName" label={n.givenName} error={errorFor('givenName')}>
                <input id="givenName" name="givenName" type="text" autocomplete="given-name" required maxLength={50} value={values.givenName} {...aria('givenName')} />
              </Field>
            </div>
            <div class="name-parts">
              <Field id="familyNameKana" label={n.familyNameKana} hint={n.kanaHint} error={errorFor('familyNameKana')}>
                <input id="familyNameKana" name="familyNameKana" type="text" maxLength={50} value={values.familyNameKana} {...aria('familyNameKana', true)} />
              </Field>
              <Field id="givenNameKana" label={n.givenNameKana} hint={n.kanaHint} error={errorFor('givenNameKana')}>
                <input id="givenNameKana" name="givenNameKana" type="text" maxLength={50} value={values.givenNameKana} {...aria('givenNameKana', true)} />
              </Field>
            </div>
            <Field id="phone" label={m.checkout.phone} error={errorFor('phone')}>
              <input id="phone" name="phone" type="tel" autocomplete="tel" required maxLength={20} value={values.phone} {...aria('phone')} />
            </Field>
          </fieldset>
          <fieldset>
            <legend>{m.checkout.shippingAddress}</legend>
            <Field id="country" label={m.checkout.country} error={errorFor('country')}>
              <select id="country" name="country" autocomplete="country" {...aria('country')}>
                <option value="JP" selected={values.country === 'JP'}>{m.checkout.japan}</option>
                {[['US', 'United States'], ['GB', 'United Kingdom'], ['KR', '대한민국 / Korea'], ['TW', '台灣 / Taiwan'], ['CN', '中国 / China'], ['FR', 'France'], ['DE', 'Deutschland / Germany'], ['AU', 'Australia'], ['SG', 'Singapore']].map(([code, label]) => (
                  <option value={code} selected={values.country === code}>{label}</option>
                ))}
              </select>
            </Field>
            <Field id="postalCode" label={m.checkout.postalCode} hint={n.postalCodeHint} error={errorFor('postalCode')}>
              <div class="postal-code-row">
                <input id="postalCode" name="postalCode" type="text" autocomplete="postal-code" inputMode="numeric" maxLength={16} value={values.postalCode} data-found={n.postalFound('{place}')} data-not-found={n.postalNotFound} {...aria('postalCode', true)} />
                {/* Without JavaScript this asks the server to fill prefecture and city (routes.tsx). */}
                <button type="submit" name="postalLookup" value="1" class="secondary" formnovalidate>{n.postalLookup}</button>
              </div>
              <p class="hint" id="postalCode-status" role="status" aria-live="polite">{postalStatus ?? ''}</p>
            </Field>
            <Field id="prefecture" label={m.checkout.prefecture} error={errorFor('prefecture')}>
              <select id="prefecture" name="prefecture" autocomplete="address-level1" {...aria('prefecture')}>
                <option value="">{m.checkout.choosePrefecture}</option>
                {PREFECTURES.map((p) => <option value={p.ja} selected={values.prefecture === p.ja}>{localized(locale, p.ja, p.en)}</option>)}
              </select>
            </Field>
            <Field id="city" label={m.checkout.city} error={errorFor('city')}>
              <input id="city" name="city" type="text" autocomplete="address-level2" required maxLength={100} value={values.city} {...aria('city')} />
            </Field>
            <Field id="line1" label={m.checkout.line1} error={errorFor('line1')}>
              <input id="line1" name="line1" type="text" autocomplete="address-line1" required maxLength={200} value={values.line1} {...aria('line1')} />
            </Field>
            <Field id="line2" label={m.checkout.line2} error={errorFor('line2')}>
              <input id="line2" name="line2" type="text" autocomplete="address-line2" maxLength={200} value={values.line2} {...aria('line2')} />
            </Field>
          </fieldset>
          {delivery}
          {paymentChoice}
          <fieldset class="coupon">
            <legend>{m.checkout.couponCode}</legend>
            <Field id="couponCode" label={m.checkout.couponCode} hint={m.checkout.couponHint} error={coupon.error ? couponErrorText(m, coupon.error) : undefined}>
              <div class="coupon-row">
                <input id="couponCode" name="couponCode" type="text" autocomplete="off" maxLength={40} value={coupon.value}
                  aria-invalid={coupon.error ? 'true' : undefined} aria-describedby={coupon.error ? 'couponCode-hint couponCode-error' : 'couponCode-hint'} />
                {/* Without JavaScript this re-renders the page with the discounted totals (routes.tsx). */}
                <button type="submit" name="applyCoupon" value="1" class="secondary" formnovalidate>{m.checkout.applyCoupon}</button>
              </div>
              <p class="hint" id="couponCode-status" role="status" aria-live="polite">{coupon.applied ? m.checkout.couponApplied(coupon.applied.code) : ''}</p>
            </Field>
          </fieldset>
          <p class="note">{m.checkout.paymentNote}</p>
          <CheckoutLegalNotice locale={locale} />
          <button type="submit">{m.checkout.placeOrder}</button>
        </form>
        <aside class="order-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">{m.cart.title}</h2>
          <ul>
            {cart.lines.map((l) => (
              <li>{localized(locale, l.productNameJa, l.productNameEn)} — {localized(locale, l.variantNameJa, l.variantNameEn)}{l.taxRate === 8 ? ' ※' : ''} × {l.quantity} <span class="price">{formatYen(l.lineTotal)}</span></li>
            ))}
          </ul>
          {cart.lines.some((l) => l.taxRate === 8) ? <p class="note">{m.totals.reducedMark}</p> : null}
          <TotalsTable m={m} totals={totals} freeOver={freeOver} />
        </aside>
      </div>
      {/* The shop's own script, from its origin with SRI under the nonce CSP (PCI DSS 6.4.3: listed in the page-watch inventory). */}
      <script src={script.href} integrity={script.integrity} nonce={ctx.nonce} defer></script>
    </>
  );
}
