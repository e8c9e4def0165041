// /admin/settings/payments: which methods the shop offers, the bank account and transfer deadline,
// the cash-on-delivery fee table and the konbini deadline; re-rendered with field messages.
import { CsrfField, type AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { paymentMethodMessages } from '../payment-method-messages.ts';
import { PAYMENT_METHOD_IDS } from '../payment-settings.ts';
import { BANK_ACCOUNT_MAX, type PaymentSettingsFormErrors, type PaymentSettingsFormValues } from '../payment-settings-form.ts';

export function PaymentSettingsPage({ ctx, values, errors, notice, konbiniSupported }: {
  ctx: AdminViewContext; values: PaymentSettingsFormValues; errors: PaymentSettingsFormErrors; notice?: string | undefined; konbiniSupported: boolean;
}) {
  const pm = paymentMethodMessages(ctx.locale);
  const m = pm.admin;
  const message = (code: string) => m.errors[code] ?? m.errors.invalid!;
  const err = (k: string) => (errors[k] ? <span class="field-error" id={`${k}-error`}>{message(errors[k]!)}</span> : null);
  const aria = (k: string, hint = false) => {
    const by = [hint ? `${k}-hint` : '', errors[k] ? `${k}-error` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': errors[k] ? 'true' : undefined, 'aria-describedby': by || undefined } as const;
  };
  const numberField = (k: 'bankTransferDays' | 'konbiniDeadlineDays', label: string) => (
    <div class={errors[k] ? 'field has-error' : 'field'}>
      <label for={k}>{label}</label>
      <input id={k} name={k} type="text" inputMode="numeric" size={4} maxlength={4} value={values[k]} {...aria(k)} />
      {err(k)}
    </div>
  );
  // Errors in form order, each linked to its field.
  const order = ['enabled', 'bankTransferAccount', 'bankTransferDays', 'bankTransferNote',
    ...values.codBands.flatMap((_, i) => [`codUpTo${i + 1}`, `codFee${i + 1}`]), 'konbiniDeadlineDays'];
  const listed = order.filter((k) => errors[k]);
  return (
    <section>
      <h1>{m.title}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p>{m.intro}</p>
      {listed.length ? (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{m.errorsSummary}</p>
          <ul>{listed.map((k) => <li><a href={`#${k === 'enabled' ? 'enabled-card' : k}`}>{message(errors[k]!)}</a></li>)}</ul>
        </div>
      ) : null}
      <form method="post" action="/admin/settings/payments" novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class={errors.enabled ? 'field has-error' : 'field'} id="enabled" {...(errors.enabled ? { 'aria-describedby': 'enabled-error' } : {})}>
          <legend>{m.enabled}</legend>
          {PAYMENT_METHOD_IDS.map((id) => {
            const blocked = id === 'konbini' && !konbiniSupported;
            return (
              <div class="field checkbox">
                <input id={`enabled-${id}`} name="enabled" type="checkbox" value={id} checked={values.enabled.includes(id)}
                  {...(blocked ? { 'aria-describedby': 'enabled-konbini-hint' } : {})} />
                <label for={`enabled-${id}`}>{pm.names[id]}</label>
                {blocked ? <span class="hint" id="enabled-konbini-hint">{m.konbiniNeedsGateway}</span> : null}
              </div>
            );
          })}
          {err('enabled')}
        </fieldset>

        <h2>{pm.names.bank_transfer}</h2>
        <div class={errors.bankTransferAccount ? 'field has-error' : 'field'}>
          <label for="bankTransferAccount">{m.bankTransferAccount}</label>
          <span class="hint" id="bankTransferAccount-hint">{m.bankTransferAccountHint}</span>
          <textarea id="bankTransferAccount" name="bankTransferAccount" rows={4} maxlength={BANK_ACCOUNT_MAX} {...aria('bankTransferAccount', true)}>{values.bankTransferAccount}</textarea>
          {err('bankTransferAccount')}
        </div>
        {numberField('bankTransferDays', m.bankTransferDays)}
        <div class={errors.bankTransferNote ? 'field has-error' : 'field'}>
          <label for="bankTransferNote">{m.bankTransferNote}</label>
          <textarea id="bankTransferNote" name="bankTransferNote" rows={3} maxlength={500} {...aria('bankTransferNote')}>{values.bankTransferNote}</textarea>
          {err('bankTransferNote')}
        </div>

        <h2>{pm.names.cod}</h2>
        <table class="cart-table fee-table">
          <caption>{m.codFees}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">{m.codUpToHeader}</th><th scope="col">{m.codFeeHeader}</th></tr></thead>
          <tbody>
            {values.codBands.map((band, i) => {
              const up = `codUpTo${i + 1}`;
              const fee = `codFee${i + 1}`;
              return (
                <tr>
                  <th scope="row">{i + 1}</th>
                  <td class={errors[up] ? 'has-error' : undefined}>
                    <input id={up} name={up} type="text" inputMode="numeric" size={10} maxlength={12} value={band.upTo} aria-label={m.upTo(i + 1)} {...aria(up)} />
                    {err(up)}
                  </td>
                  <td class={errors[fee] ? 'has-error' : undefined}>
                    <input id={fee} name={fee} type="text" inputMode="numeric" size={7} maxlength={9} value={band.fee} aria-label={m.fee(i + 1)} {...aria(fee)} />
                    {err(fee)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p class="hint">{m.codFeesHint}</p>

        <h2>{pm.names.konbini}</h2>
        {numberField('konbiniDeadlineDays', m.konbiniDeadlineDays)}
        <button type="submit">{m.save}</button>
      </form>
    </section>
  );
}
