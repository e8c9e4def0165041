// The back office's coupon page: the list with each coupon's state now, the create form (field
// messages beside their inputs) and a disable button per active coupon.
import type { AdminViewContext } from '../../admin/views/admin-layout.tsx';
import { CsrfField } from '../../admin/views/admin-layout.tsx';
import { formatYen } from '../../i18n/locale.ts';
import { instantToWallTime } from '../../incidents/legal-deadlines.ts';
import type { CouponRow } from '../coupon-service.ts';
import { couponAdminMessages, type CouponField, type CouponState } from '../coupon-admin-messages.ts';

export type CouponPageOutcome = { notice?: string; error?: string; fieldErrors?: Partial<Record<CouponField, string>>; values?: Record<string, string> };

/** The same order of checks as evaluateCoupon, so the page says what a shopper would meet. */
export function couponState(c: CouponRow, now: Date): CouponState {
  const at = now.toISOString();
  if (!Number(c.active)) return 'disabled';
  if (c.valid_from && at < c.valid_from) return 'notYetValid';
  if (c.valid_until && at >= c.valid_until) return 'expired';
  if (c.usage_limit != null && c.used_count >= c.usage_limit) return 'usedUp';
  return 'active';
}

export function CouponAdminPage({ ctx, rows, outcome, now, timeZone, canChange }: {
  ctx: AdminViewContext; rows: CouponRow[]; outcome: CouponPageOutcome; now: Date; timeZone: string; canChange: boolean;
}) {
  const m = couponAdminMessages(ctx.locale);
  const v = outcome.values ?? {};
  const fe = outcome.fieldErrors ?? {};
  const shopTime = (iso: string) => instantToWallTime(new Date(iso), timeZone).replace('T', ' ');
  const validity = (c: CouponRow) => !c.valid_from && !c.valid_until ? m.always
    : [c.valid_from ? m.from(shopTime(c.valid_from)) : '', c.valid_until ? m.until(shopTime(c.valid_until)) : ''].filter(Boolean).join(' ');
  const field = (name: CouponField, input: (a: Record<string, unknown>) => preact.JSX.Element) => (
    <div class="field">
      <label for={`coupon-${name}`}>{m.fields[name]}</label>
      {input({ id: `coupon-${name}`, name, 'aria-invalid': fe[name] ? 'true' : undefined, 'aria-describedby': fe[name] ? `coupon-${name}-error` : undefined })}
      {fe[name] ? <span class="field-error" id={`coupon-${name}-error`}>{fe[name]}</span> : null}
    </div>
  );
  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {outcome.notice ? <p class="notice" role="status">{outcome.notice}</p> : null}
      {outcome.error ? <p class="error-summary" role="alert">{outcome.error}</p> : null}
      {rows.length === 0 ? <p>{m.none}</p> : (
        <table class="cart-table">
          <caption class="visually-hidden">{m.title}</caption>
          <thead><tr>
            <th scope="col">{m.code}</th><th scope="col">{m.kind}</th><th scope="col">{m.amount}</th><th scope="col">{m.minimum}</th>
            <th scope="col">{m.validity}</th><th scope="col">{m.uses}</th><th scope="col">{m.state}</th>
            {canChange ? <th scope="col">{m.actions}</th> : null}
          </tr></thead>
          <tbody>
            {rows.map((c) => {
              const state = couponState(c, now);
              return (
                <tr>
                  <th scope="row"><code>{c.code}</code></th>
                  <td>{m.kinds[c.kind]}</td>
                  <td>{c.kind === 'fixed' ? m.amountFixed(formatYen(c.amount)) : m.amountPercent(c.amount)}</td>
                  <td>{formatYen(c.minimum_subtotal)}</td>
                  <td>{validity(c)}</td>
                  <td>{`${c.used_count} / ${c.usage_limit ?? m.noLimit}`}{c.per_customer_limit != null ? ` ${m.perCustomer(c.per_customer_limit)}` : ''}</td>
                  <td data-state={state}>{m.states[state]}</td>
                  {canChange ? (
                    <td>{Number(c.active) ? (
                      <form method="post" action={`/admin/coupons/${c.id}/disable`} class="inline-form">
                        <CsrfField ctx={ctx} />
                        <button type="submit" aria-label={m.disableOf(c.code)}>{m.disable}</button>
                      </form>
                    ) : null}</td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canChange ? (
        <>
          <h2>{m.create}</h2>
          <form method="post" action="/admin/coupons">
            <CsrfField ctx={ctx} />
            {field('code', (a) => <input {...a} value={v.code ?? ''} required maxLength={32} autocomplete="off" />)}
            {field('kind', (a) => (
              <select {...a}>
                {(['fixed', 'percent'] as const).map((k) => <option value={k} selected={(v.kind ?? 'fixed') === k}>{m.kinds[k]}</option>)}
              </select>
            ))}
            {field('amount', (a) => <input {...a} value={v.amount ?? ''} required inputMode="numeric" />)}
            {field('minimumSubtotal', (a) => <input {...a} value={v.minimumSubtotal ?? ''} inputMode="numeric" />)}
            {field('validFrom', (a) => <input {...a} type="datetime-local" value={v.validFrom ?? ''} />)}
            {field('validUntil', (a) => <input {...a} type="datetime-local" value={v.validUntil ?? ''} />)}
            {field('usageLimit', (a) => <input {...a} value={v.usageLimit ?? ''} inputMode="numeric" />)}
            {field('perCustomerLimit', (a) => <input {...a} value={v.perCustomerLimit ?? ''} inputMode="numeric" />)}
            <button type="submit">{m.add}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
