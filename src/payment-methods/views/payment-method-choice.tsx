import { formatYen, type Locale } from '../../i18n/locale.ts';
import type { PaymentMethodContext } from '../payment-method.ts';
import { paymentMethodMessages } from '../payment-method-messages.ts';
import type { OfferedMethod } from '../payment-methods.ts';
import type { PaymentMethodId } from '../payment-settings.ts';
import { KONBINI_CHAINS, type KonbiniChain } from '../../payments/payment-provider.ts';

/** The checkout's payment-method radio: only what the shop offers for this total, card first and preselected. */
export function PaymentMethodChoice({ locale, ctx, offered, selected, error, konbiniStore, storeError }: {
  locale: Locale; ctx: PaymentMethodContext; offered: OfferedMethod[]; selected: PaymentMethodId | undefined; error?: boolean | undefined;
  konbiniStore?: KonbiniChain | undefined; storeError?: boolean | undefined;
}) {
  const pm = paymentMethodMessages(locale);
  // A shop with card only shows no choice: the form posts nothing and means card, as before.
  if (offered.length === 1 && offered[0]!.method.id === 'card' && !error) return null;
  const chosen = offered.some((o) => o.method.id === selected) ? selected : offered[0]?.method.id;
  const hint = (id: PaymentMethodId) => id === 'bank_transfer' ? pm.hints.bank_transfer(ctx.settings.bankTransferDays)
    : id === 'konbini' ? pm.hints.konbini(ctx.settings.konbiniDeadlineDays) : pm.hints[id];
  return (
    <fieldset class={error ? 'payment-methods has-error' : 'payment-methods'} id="paymentMethod">
      <legend>{pm.legend}</legend>
      {error ? <p class="field-error" role="alert">{pm.unavailable}</p> : null}
      {offered.map(({ method, fee }) => (
        <div class="field radio">
          <input type="radio" id={`paymentMethod-${method.id}`} name="paymentMethod" value={method.id} checked={method.id === chosen} aria-describedby={`paymentMethod-${method.id}-hint`} />
          <label for={`paymentMethod-${method.id}`}>{pm.names[method.id]}{fee > 0 ? `（${pm.codFee(formatYen(fee))}）` : ''}</label>
          <span class="hint" id={`paymentMethod-${method.id}-hint`}>{hint(method.id)}</span>
          {method.id === 'konbini' ? (
            // Works without JavaScript: asked whatever method is chosen, required only for konbini (routes check it).
            <fieldset class={storeError ? 'konbini-stores field has-error' : 'konbini-stores field'} id="konbiniStore" {...(storeError ? { 'aria-describedby': 'konbiniStore-error' } : {})}>
              <legend>{pm.konbiniStoreLegend}</legend>
              {KONBINI_CHAINS.map((c) => (
                <div class="radio">
                  <input type="radio" id={`konbiniStore-${c}`} name="konbiniStore" value={c} checked={konbiniStore === c} />
                  <label for={`konbiniStore-${c}`}>{pm.konbiniStores[c]}</label>
                </div>
              ))}
              {storeError ? <span class="field-error" id="konbiniStore-error">{pm.konbiniStoreRequired}</span> : null}
            </fieldset>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}
