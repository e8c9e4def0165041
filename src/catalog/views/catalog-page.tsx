import { formatYen } from '../../i18n/locale.ts';
import { PriceLabel } from './price-label.tsx';
import { localized, type ViewContext } from '../../layout/view-context.ts';
import { PRODUCT_SORTS, type ProductSort, type ProductSummary } from '../queries.ts';
import { availabilityOf, type StockDisplay } from '../stock-display.ts';
import { catalogBrowseMessages } from '../catalog-browse-messages.ts';

export interface CatalogPageProps {
  ctx: ViewContext;
  products: ProductSummary[];
  categories: { slug: string; name_ja: string; name_en: string }[];
  currentCategory: string | undefined;
  search: string | undefined;
  /** Shown under the search box when the query was refused (a card number). */
  searchError?: string | undefined;
  total: number;
  page: number;
  pages: number;
  sort: ProductSort;
  inStock: boolean;
  stockDisplay: StockDisplay;
}

function pageHref(ctx: ViewContext, page: number, category?: string, q?: string, listing?: { sort: ProductSort; inStock: boolean }) {
  const p = new URLSearchParams();
  if (category) p.set('category', category);
  if (q) p.set('q', q);
  if (listing && listing.sort !== 'recommended') p.set('sort', listing.sort);
  if (listing?.inStock) p.set('availability', 'in-stock');
  if (page > 1) p.set('page', String(page));
  p.set('lang', ctx.locale);
  return `/?${p.toString()}`;
}

export function CatalogPage({ ctx, products, categories, currentCategory, search, searchError, total, page, pages, sort, inStock, stockDisplay }: CatalogPageProps) {
  const { m, locale } = ctx;
  const b = catalogBrowseMessages(locale);
  const listing = { sort, inStock };
  return (
    <>
      <h1>{search ? m.catalog.searchResults(search, total) : m.catalog.title}</h1>
      <form class="search" role="search" method="get" action="/">
        <label for="q">{m.catalog.searchLabel}</label>
        <input id="q" name="q" type="search" value={search ?? ''} maxLength={100} aria-invalid={searchError ? 'true' : undefined} aria-describedby={searchError ? 'q-error' : undefined} />
        {searchError ? <span class="field-error" id="q-error">{searchError}</span> : null}
        <input type="hidden" name="lang" value={locale} />
        <button type="submit">{m.catalog.searchButton}</button>
      </form>
      <nav aria-label={m.nav.categories} class="categories">
        <ul>
          <li><a href={pageHref(ctx, 1)} aria-current={!currentCategory ? 'page' : undefined}>{m.catalog.allProducts}</a></li>
          {categories.map((c) => (
            <li><a href={pageHref(ctx, 1, c.slug, undefined, listing)} aria-current={currentCategory === c.slug ? 'page' : undefined}>{localized(locale, c.name_ja, c.name_en)}</a></li>
          ))}
        </ul>
      </nav>
      <form class="listing-options" method="get" action="/" aria-label={b.filters}>
        {currentCategory ? <input type="hidden" name="category" value={currentCategory} /> : null}
        {search ? <input type="hidden" name="q" value={search} /> : null}
        <input type="hidden" name="lang" value={locale} />
        <label for="sort">{b.sortLabel}</label>
        <select id="sort" name="sort">
          {PRODUCT_SORTS.map((s) => <option value={s} selected={s === sort}>{b.sorts[s]}</option>)}
        </select>
        <label><input type="checkbox" name="availability" value="in-stock" checked={inStock} /> {b.inStockOnly}</label>
        <button type="submit">{b.apply}</button>
      </form>
      {products.length === 0 ? <p>{m.catalog.noResults}</p> : (
        <ul class="product-grid">
          {products.map((p) => {
            const name = localized(locale, p.name_ja, p.name_en);
            return (
              <li class="product-card">
                <a href={`/products/${encodeURIComponent(p.slug)}?lang=${locale}`}>
                  {p.image_path ? <img src={`/media/${p.image_path}`} alt={localized(locale, p.image_alt_ja ?? '', p.image_alt_en ?? '')} width={400} height={400} loading="lazy" /> : null}
                  <span class="product-name">{name}</span>
                </a>
                <PriceLabel ctx={ctx} price={p.min_price} taxRate={p.tax_rate} from />
                {p.tax_rate === 8 ? <span class="badge">{m.catalog.reducedRate}</span> : null}
                {availabilityOf(p.total_stock, stockDisplay) === 'sold_out' ? <span class="badge sold-out">{b.levels.sold_out}</span>
                  : availabilityOf(p.total_stock, stockDisplay) === 'low' ? <span class="badge low-stock">{b.levels.low}</span> : null}
              </li>
            );
          })}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label={m.catalog.pagination} class="pagination">
          {page > 1 ? <a rel="prev" href={pageHref(ctx, page - 1, currentCategory, search, listing)}>{m.catalog.previous}</a> : null}
          <span aria-current="page">{m.catalog.page(page, pages)}</span>
          {page < pages ? <a rel="next" href={pageHref(ctx, page + 1, currentCategory, search, listing)}>{m.catalog.next}</a> : null}
        </nav>
      ) : null}
    </>
  );
}
