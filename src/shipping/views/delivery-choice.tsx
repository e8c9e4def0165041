// The checkout's delivery section: method (radio with its fee), date and time slot selects of the
// chosen method, and a recalculate button, so the fee updates without JavaScript (the server
// re-renders the page with the new total).
import { formatYen } from '../../i18n/locale.ts';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import type { DeliveryFieldError, ResolvedDelivery } from '../delivery-options.ts';
import { shippingMessages } from '../shipping-messages.ts';
import { timeSlotLabel } from '../time-slots.ts';

export interface DeliveryChoiceView {
  resolved: ResolvedDelivery;
  errors: DeliveryFieldError[];
  /** The fee changed between the page shown and the submit: say so, order nothing. */
  feeChanged?: boolean;
}

export function DeliveryChoiceSection({ ctx, view }: { ctx: ViewContext; view: DeliveryChoiceView | undefined }) {
  if (!view || view.resolved.options.length === 0) return null;
  const { locale } = ctx;
  const m = shippingMessages(locale);
  const { options, selected, order } = view.resolved;
  const errorOf = (field: DeliveryFieldError['field']) => {
    const e = view.errors.find((x) => x.field === field);
    return e ? m.errors[e.code] : undefined;
  };
  const methodError = errorOf('delivery.methodId');
  const dateError = errorOf('delivery.date');
  const slotError = errorOf('delivery.timeSlot');
  const fee = view.resolved.charge.feeFor(0);
  const invalid = (err: string | undefined, id: string) => (err ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } as const : {});
  return (
    <fieldset class="delivery-choice" id="delivery">
      <legend>{m.legend}</legend>
      {view.feeChanged ? <p class="notice" role="alert">{m.feeChanged(formatYen(fee))}</p> : null}
      <fieldset class={methodError ? 'field has-error' : 'field'} id="deliveryMethod" {...(methodError ? { 'aria-describedby': 'deliveryMethod-error' } : {})}>
        <legend>{m.method}</legend>
        {options.map((o) => {
          const id = `deliveryMethod-${o.method.id}`;
          const price = !o.quote.ok ? m.notDeliverableHere : o.quote.fee === 0 ? m.free : m.feeOf(formatYen(o.quote.fee));
          return (
            <div class="radio">
              <input type="radio" id={id} name="deliveryMethod" value={String(o.method.id)} checked={selected?.method.id === o.method.id} disabled={!o.quote.ok && selected?.method.id !== o.method.id} />
              <label for={id}>
                {localized(locale, o.method.nameJa, o.method.nameEn)} — {price}
                {o.method.freeOver !== null && o.quote.ok && o.quote.fee > 0 ? <> （{m.freeOver(formatYen(o.method.freeOver))}）</> : null}
              </label>
            </div>
          );
        })}
        {methodError ? <span class="field-error" id="deliveryMethod-error">{methodError}</span> : null}
      </fieldset>
      {selected && (selected.dates.length > 0 || selected.method.timeSlots.length > 0) ? (
        <>
          {selected.dates.length > 0 ? (
            <div class={dateError ? 'field has-error' : 'field'}>
              <label for="deliveryDate">{m.date}</label>
              <select id="deliveryDate" name="deliveryDate" {...invalid(dateError, 'deliveryDate')}>
                <option value="">{m.unspecified}</option>
                {selected.dates.map((d) => <option value={d} selected={order?.date === d}>{m.weekday(d)}</option>)}
              </select>
              {dateError ? <span class="field-error" id="deliveryDate-error">{dateError}</span> : null}
            </div>
          ) : null}
          {selected.method.timeSlots.length > 0 ? (
            <div class={slotError ? 'field has-error' : 'field'}>
              <label for="deliveryTimeSlot">{m.timeSlot}</label>
              <select id="deliveryTimeSlot" name="deliveryTimeSlot" {...invalid(slotError, 'deliveryTimeSlot')}>
                <option value="">{m.unspecified}</option>
                {selected.method.timeSlots.map((s) => <option value={s} selected={order?.timeSlot === s}>{timeSlotLabel(s, locale)}</option>)}
              </select>
              {slotError ? <span class="field-error" id="deliveryTimeSlot-error">{slotError}</span> : null}
            </div>
          ) : null}
        </>
      ) : <p class="note">{m.noDateChoice}</p>}
      <input type="hidden" name="deliveryQuotedFee" value={String(fee)} />
      <p class="note" id="recalculate-hint">{m.recalculateHint}</p>
      <button type="submit" name="recalculate" value="1" class="secondary" aria-describedby="recalculate-hint">{m.recalculate}</button>
    </fieldset>
  );
}
