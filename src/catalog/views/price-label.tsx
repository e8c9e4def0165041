// A price as the shop's settings say to show it. Prices are stored tax-inclusive (what the customer
// pays); a 税抜 shop shows the price before tax first and the tax-inclusive total beside it, since
// 総額表示 (Consumption Tax Act art. 63) requires the total wherever a consumer sees a price.
import { formatYen } from '../../i18n/locale.ts';
import type { ViewContext } from '../../layout/view-context.ts';

/** The price before tax, with the tax contained rounded as the shop's invoices round it. */
export function priceExcludingTax(ctx: Pick<ViewContext, 'prices'>, inclusive: number, taxRate: number): number {
  return inclusive - ctx.prices.rounding.taxContained(inclusive, taxRate);
}

export function PriceLabel({ ctx, price, taxRate, from = false }: { ctx: ViewContext; price: number; taxRate: number; from?: boolean }) {
  const { m } = ctx;
  const shown = (yen: number) => (from ? m.catalog.fromPrice(formatYen(yen)) : formatYen(yen));
  if (ctx.prices.taxDisplay === 'inclusive') return <span class="price">{shown(price)} <small>{m.product.taxIncluded}</small></span>;
  return (
    <span class="price">
      {shown(priceExcludingTax(ctx, price, taxRate))} <small>{m.product.taxExcluded}</small>{' '}
      <small class="price-total">{m.product.inclusiveBeside(shown(price))}</small>
    </span>
  );
}
