// /admin/settings/shipping: the methods in display order, and one method's form (names, carrier and
// tracking template, fee grid of regions × size classes with per-prefecture overrides, threshold,
// delivery date window and time slots, enabled, order).
import { formatYen } from '../../i18n/locale.ts';
import { localized } from '../../layout/view-context.ts';
import { CsrfField, type AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { CARRIERS } from '../../orders/carriers.ts';
import { REGIONS } from '../regions.ts';
import { sizeClassesOf, type ShippingMethod } from '../shipping-method.ts';
import { shippingMessages } from '../shipping-messages.ts';
import { timeSlotLabel } from '../time-slots.ts';
import { feeField, formSizeClasses, type MethodFormErrorCode, type MethodFormValues } from '../shipping-method-form.ts';

export function ShippingMethodListPage({ ctx, methods, notice }: { ctx: AdminViewContext; methods: ShippingMethod[]; notice?: string | undefined }) {
  const m = shippingMessages(ctx.locale).admin;
  return (
    <section>
      <h1>{m.title}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p>{m.intro}</p>
      <table class="cart-table">
        <caption>{m.methods}</caption>
        <thead><tr><th scope="col">{m.position}</th><th scope="col">{m.nameJa}</th><th scope="col">{m.carrier}</th><th scope="col">{m.sizes}</th><th scope="col">{m.freeOver}</th><th scope="col">{m.timeSlots}</th><th scope="col">{m.status}</th></tr></thead>
        <tbody>
          {methods.map((x) => (
            <tr>
              <td>{x.position}</td>
              <th scope="row"><a href={`/admin/settings/shipping/${x.id}`}>{localized(ctx.locale, x.nameJa, x.nameEn)}</a></th>
              <td>{x.carrier}</td>
              <td>{sizeClassesOf(x).join(' / ')}</td>
              <td>{x.freeOver === null ? '—' : formatYen(x.freeOver)}</td>
              <td>{x.timeSlots.map((s) => timeSlotLabel(s, ctx.locale)).join('、') || '—'}</td>
              <td>{x.enabled ? m.on : m.off}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p><a href="/admin/settings/shipping/new">{m.newMethod}</a></p>
    </section>
  );
}

export function ShippingMethodFormPage({ ctx, id, values, errors }: { ctx: AdminViewContext; id: number | undefined; values: MethodFormValues; errors: Record<string, MethodFormErrorCode> }) {
  const m = shippingMessages(ctx.locale).admin;
  const v = (k: string) => values[k] ?? '';
  const err = (k: string) => (errors[k] ? <span class="field-error" id={`${k}-error`}>{m.errors[errors[k]!]}</span> : null);
  const aria = (k: string, hint = false) => {
    const by = [hint ? `${k}-hint` : '', errors[k] ? `${k}-error` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': errors[k] ? 'true' : undefined, 'aria-describedby': by || undefined } as const;
  };
  const text = (k: string, label: string, opts: { hint?: string; max?: number; list?: string } = {}) => (
    <div class={errors[k] ? 'field has-error' : 'field'}>
      <label for={k}>{label}</label>
      {opts.hint ? <span class="hint" id={`${k}-hint`}>{opts.hint}</span> : null}
      <input id={k} name={k} type="text" value={v(k)} maxlength={opts.max ?? 60} {...(opts.list ? { list: opts.list } : {})} {...aria(k, !!opts.hint)} />
      {err(k)}
    </div>
  );
  const check = (k: string, label: string) => (
    <div class="field checkbox"><input id={k} name={k} type="checkbox" checked={v(k) === 'on'} /><label for={k}>{label}</label></div>
  );
  const sizes = formSizeClasses(values);
  const title = id === undefined ? m.newMethod : `${m.edit}: ${v('nameJa')}`;
  return (
    <section>
      <h1>{title}</h1>
      <p><a href="/admin/settings/shipping">{m.title}</a></p>
      {Object.keys(errors).length ? (
        <div class="error-summary" role="alert">
          <p>{m.errors.summary}</p>
          <ul>{Object.entries(errors).map(([k, code]) => <li><a href={`#${k}`}>{m.errors[code]}</a></li>)}</ul>
        </div>
      ) : null}
      <form method="post" action={id === undefined ? '/admin/settings/shipping' : `/admin/settings/shipping/${id}`} novalidate>
        <CsrfField ctx={ctx} />
        {text('nameJa', m.nameJa)}
        {text('nameEn', m.nameEn)}
        {text('carrier', m.carrier, { list: 'known-carriers' })}
        <datalist id="known-carriers">{CARRIERS.map((c) => <option value={c.name} />)}</datalist>
        {text('trackingUrlTemplate', m.trackingTemplate, { hint: m.trackingHint, max: 500 })}
        {text('freeOver', m.freeOver, { max: 12 })}
        {check('dateSelectable', m.dateSelectable)}
        {text('dateMinDays', m.dateMinDays, { max: 3 })}
        {text('dateMaxDays', m.dateMaxDays, { max: 3 })}
        {text('timeSlots', m.timeSlots, { hint: m.timeSlotsHint, max: 200 })}
        {check('enabled', m.enabled)}
        {text('position', m.position, { max: 4 })}
        {text('sizeClasses', m.sizeClasses, { max: 60 })}
        <table class="cart-table fee-table">
          <caption>{m.feeTable}</caption>
          <thead><tr><th scope="col">{m.region}</th>{sizes.map((s) => <th scope="col">{s}</th>)}</tr></thead>
          <tbody>
            {REGIONS.map((r) => (
              <tr>
                <th scope="row">{localized(ctx.locale, r.ja, r.en)}</th>
                {sizes.map((s) => {
                  const k = feeField(r.code, s);
                  return (
                    <td class={errors[k] ? 'has-error' : undefined}>
                      <input id={k} name={k} type="text" inputMode="numeric" size={7} maxlength={9} value={v(k)}
                        aria-label={`${localized(ctx.locale, r.ja, r.en)} ${s}`} {...aria(k)} />
                      {err(k)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <div class={errors.overrides ? 'field has-error' : 'field'}>
          <label for="overrides">{m.overrides}</label>
          <span class="hint" id="overrides-hint">{m.overridesHint}</span>
          <textarea id="overrides" name="overrides" rows={5} maxlength={5000} {...aria('overrides', true)}>{v('overrides')}</textarea>
          {err('overrides')}
        </div>
        <button type="submit">{m.save}</button>
      </form>
    </section>
  );
}
