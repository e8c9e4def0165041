import { formatYen } from '../../i18n/locale.ts';
import { PriceLabel } from './price-label.tsx';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import type { ProductDetail } from '../queries.ts';
import { availabilityOf, type StockDisplay } from '../stock-display.ts';
import { catalogBrowseMessages } from '../catalog-browse-messages.ts';

/** A variant's stock as the customer sees it: a level, or the count when the merchant chose exact. */
export function stockText(locale: ViewContext['locale'], stock: number, display: StockDisplay): string {
  const b = catalogBrowseMessages(locale);
  const level = availabilityOf(stock, display);
  return display.mode === 'exact' && level !== 'sold_out' ? b.exactStock(stock) : b.levels[level];
}

export function ProductPage({ ctx, product, error, stockDisplay, banner }: { ctx: ViewContext; product: ProductDetail; error?: string | undefined; stockDisplay: StockDisplay; banner?: string | undefined }) {
  const { m, locale } = ctx;
  const name = localized(locale, product.name_ja, product.name_en);
  const firstAvailable = product.variants.find((v) => v.stock > 0);
  return (
    <article class="product">
      {banner ? <p class="notice" role="status">{banner}</p> : null}
      <nav aria-label={m.nav.breadcrumb} class="breadcrumb">
        <a href={`/?lang=${locale}`}>{m.nav.home}</a> ›{' '}
        <a href={`/?category=${encodeURIComponent(product.category_slug)}&lang=${locale}`}>{localized(locale, product.category_name_ja, product.category_name_en)}</a>
      </nav>
      <div class="product-layout">
        {/* One image at a time in a scroll-snap strip, the others one thumbnail link away: no script,
            and on a phone the add-to-cart button stays on the first screen (issue 17, bug 4). */}
        <div class="product-media">
          <div class="gallery" role="region" aria-label={m.product.gallery(name)} tabindex={0}>
            {product.images.map((im, i) => <img src={`/media/${im.path}`} alt={localized(locale, im.alt_ja, im.alt_en)} width={400} height={400} id={`product-image-${i + 1}`} />)}
          </div>
          {product.images.length > 1 ? (
            <ul class="gallery-thumbs">
              {product.images.map((im, i) => (
                <li><a href={`#product-image-${i + 1}`} aria-label={m.product.imageOf(i + 1, product.images.length, localized(locale, im.alt_ja, im.alt_en))}><img src={`/media/${im.path}`} alt="" width={48} height={48} /></a></li>
              ))}
            </ul>
          ) : null}
        </div>
        <div class="details">
          <h1>{name}</h1>
          <p class="tax-rate">{m.product.taxRate(product.tax_rate)}{product.tax_rate === 8 ? ` (${m.catalog.reducedRate})` : ''}</p>
          {error ? <p class="error" role="alert">{error}</p> : null}
          <form method="post" action="/cart/items">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <fieldset>
              <legend>{m.product.variant}</legend>
              {product.variants.map((v) => {
                const id = `variant-${v.id}`;
                const state = stockText(locale, v.stock, stockDisplay);
                return (
                  <div class="variant-option">
                    <input type="radio" id={id} name="variantId" value={String(v.id)} disabled={v.stock === 0} checked={v.id === firstAvailable?.id} required />
                    <label for={id}>
                      <span>{localized(locale, v.name_ja, v.name_en)}</span>{' '}
                      <PriceLabel ctx={ctx} price={v.price} taxRate={product.tax_rate} />{' '}
                      <span class={v.stock === 0 ? 'stock sold-out' : 'stock'}>{state}</span>
                    </label>
                  </div>
                );
              })}
            </fieldset>
            <label for="quantity">{m.product.quantity}</label>
            <input id="quantity" name="quantity" type="number" inputMode="numeric" min={1} max={99} value="1" required />
            <input type="hidden" name="lang" value={locale} />
            <button type="submit" disabled={!firstAvailable}>{m.product.addToCart}</button>
          </form>
          <p class="description">{localized(locale, product.description_ja, product.description_en)}</p>
        </div>
      </div>
    </article>
  );
}
