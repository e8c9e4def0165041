import { formatYen } from '../../i18n/locale.ts';
import { PriceLabel } from '../../catalog/views/price-label.tsx';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import type { Cart } from '../service.ts';
import { TotalsTable, type TotalsView } from './totals-table.tsx';

export function CartPage({ ctx, cart, totals, freeOver, notice, lineErrors = {} }: {
  ctx: ViewContext;
  cart: Cart | undefined;
  totals: TotalsView;
  freeOver?: number | undefined;
  notice?: string | undefined;
  lineErrors?: Record<number, string>;
}) {
  const { m, locale } = ctx;
  const lines = cart?.lines ?? [];
  return (
    <>
      <h1>{m.cart.title}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {lines.length === 0 ? (
        <p>{m.cart.empty} <a href={`/?lang=${locale}`}>{m.cart.continueShopping}</a></p>
      ) : (
        <>
          <table class="cart-table">
            <thead>
              <tr><th scope="col">{m.cart.item}</th><th scope="col">{m.cart.unitPrice}</th><th scope="col">{m.cart.quantity}</th><th scope="col">{m.cart.lineTotal}</th></tr>
            </thead>
            <tbody>
              {lines.map((l) => {
                const name = `${localized(locale, l.productNameJa, l.productNameEn)} — ${localized(locale, l.variantNameJa, l.variantNameEn)}`;
                const err = lineErrors[l.id];
                return (
                  <tr>
                    <th scope="row">
                      <a href={`/products/${encodeURIComponent(l.productSlug)}?lang=${locale}`}>{name}</a>
                      {l.taxRate === 8 ? ' ※' : ''}
                    </th>
                    <td><PriceLabel ctx={ctx} price={l.unitPrice} taxRate={l.taxRate} /></td>
                    <td>
                      <form method="post" action={`/cart/items/${l.id}`} class="inline-form">
                        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                        <label class="visually-hidden" for={`qty-${l.id}`}>{m.cart.quantityOf(name)}</label>
                        <input id={`qty-${l.id}`} name="quantity" type="number" inputMode="numeric" min={1} max={99} value={String(l.quantity)} required
                          aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `qty-err-${l.id}` : undefined} />
                        <button type="submit">{m.cart.update}</button>
                        {err ? <span id={`qty-err-${l.id}`} class="field-error">{err}</span> : null}
                      </form>
                      <form method="post" action={`/cart/items/${l.id}/remove`} class="inline-form">
                        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                        <button type="submit" class="link-button" aria-label={m.cart.removeItem(name)}>{m.cart.remove}</button>
                      </form>
                    </td>
                    <td>{formatYen(l.lineTotal)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {lines.some((l) => l.taxRate === 8) ? <p class="note">{m.totals.reducedMark}</p> : null}
          <TotalsTable m={m} totals={totals} freeOver={freeOver} />
          <p><a class="button" href={`/checkout?lang=${locale}`}>{m.cart.proceed}</a></p>
        </>
      )}
    </>
  );
}
