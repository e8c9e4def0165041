import type { ComponentChildren } from 'preact';
import type { MailShop } from '../orders/mail-shop.ts';
import type { ViewContext } from '../layout/view-context.ts';
import { INQUIRY_CATEGORIES } from './inquiry-tables.ts';
import { inquiryMessages } from './inquiry-messages.ts';
import type { InquiryFieldError } from './inquiries.ts';

export interface ContactFormValues { email: string; orderNumber: string; category: string; message: string }
export const EMPTY_CONTACT_FORM: ContactFormValues = { email: '', orderNumber: '', category: '', message: '' };

function errorText(ctx: ViewContext, e: InquiryFieldError): string {
  switch (e.code) {
    case 'cardNumber': return ctx.m.errors.cardNumber;
    case 'email': return ctx.m.errors.email;
    case 'tooLong': return ctx.m.errors.tooLong(e.max ?? 0);
    case 'category': return inquiryMessages(ctx.locale).form.categoryError;
    default: return ctx.m.errors.required;
  }
}

function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: ComponentChildren }) {
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {error ? <span class="field-error" id={`${id}-error`}>{error}</span> : null}
    </div>
  );
}

/** `contact`: the shop's details as saved on the settings page (src/shop-settings/mail-signature.ts), shown beside the form. */
export function ContactPage({ ctx, values, errors, formError, contact }: { ctx: ViewContext; values: ContactFormValues; errors: InquiryFieldError[]; formError?: string; contact: MailShop['contact'] }) {
  const m = inquiryMessages(ctx.locale).form;
  const err = (f: InquiryFieldError['field']) => {
    const e = errors.find((x) => x.field === f);
    return e ? errorText(ctx, e) : undefined;
  };
  const aria = (f: InquiryFieldError['field']) => (err(f) ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${f}-error` } : {});
  const labels: Record<InquiryFieldError['field'], string> = { email: m.email, orderNumber: m.orderNumber, category: m.category, message: m.message };
  return (
    <>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <p class="note"><strong>{m.cardWarning}</strong></p>
      {formError ? <div class="error-summary" role="alert" tabindex={-1}><p>{formError}</p></div> : null}
      {errors.length > 0 ? (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{m.errorsSummary}</p>
          <ul>{errors.map((e) => <li><a href={`#${e.field}`}>{labels[e.field]}: {errorText(ctx, e)}</a></li>)}</ul>
        </div>
      ) : null}
      <form method="post" action={`/contact?lang=${ctx.locale}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <Field id="email" label={m.email} error={err('email')}>
          <input id="email" name="email" type="email" autocomplete="email" required maxlength={254} value={values.email} {...aria('email')} />
        </Field>
        <Field id="orderNumber" label={m.orderNumber} error={err('orderNumber')}>
          <input id="orderNumber" name="orderNumber" type="text" autocomplete="off" maxlength={30} value={values.orderNumber} {...aria('orderNumber')} />
        </Field>
        <Field id="category" label={m.category} error={err('category')}>
          <select id="category" name="category" required {...aria('category')}>
            <option value="">—</option>
            {INQUIRY_CATEGORIES.map((c) => <option value={c} selected={values.category === c}>{m.categories[c]}</option>)}
          </select>
        </Field>
        <Field id="message" label={m.message} error={err('message')}>
          <textarea id="message" name="message" rows={8} required maxlength={4000} autocomplete="off" {...aria('message')}>{values.message}</textarea>
        </Field>
        <button type="submit">{m.submit}</button>
      </form>
      {contact.phone || contact.email || contact.address ? (
        <section aria-labelledby="contact-other-ways">
          <h2 id="contact-other-ways">{m.otherWays}</h2>
          <ul class="contact-details">
            {contact.phone ? <li>{ctx.m.mail.contactPhone('')}<a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a></li> : null}
            {contact.email ? <li>{ctx.m.mail.contactEmail('')}<a href={`mailto:${contact.email}`}>{contact.email}</a></li> : null}
            {contact.hours ? <li>{ctx.m.mail.contactHours(contact.hours)}</li> : null}
            {contact.address ? <li>{ctx.m.mail.contactAddress(contact.address)}</li> : null}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function ContactThanksPage({ ctx, reference, mailed }: { ctx: ViewContext; reference: string; mailed: boolean }) {
  const m = inquiryMessages(ctx.locale).form;
  return (
    <section>
      <h1>{m.thanksTitle}</h1>
      <p>{m.reference}: <strong class="inquiry-reference">{reference}</strong></p>
      <p>{mailed ? m.thanks(reference) : m.thanksNoMail(reference)}</p>
    </section>
  );
}
