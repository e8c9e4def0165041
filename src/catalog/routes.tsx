import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { buildPageBase } from '../http/view-context-builder.ts';
import { sendPage, toTemplate, withHoles } from './page-cache.ts';
import { ShopError } from '../http/error-catalog.ts';
import { localized } from '../layout/view-context.ts';
import { CatalogPage } from './views/catalog-page.tsx';
import { ProductPage } from './views/product-page.tsx';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { PRODUCT_SORTS } from './queries.ts';

export const CATALOG_PAGE_SIZE = 12;

const CatalogQuery = z.object({
  category: z.string().max(64).regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  // NUL is dropped: PostgreSQL refuses it in a query parameter.
  q: z.string().trim().max(100).optional().catch(undefined).transform((s) => s?.replace(/\u0000/g, '') || undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  // An unknown sort or filter value shows the default listing (a hand-edited link still works).
  sort: z.enum(PRODUCT_SORTS).catch('recommended').default('recommended'),
  availability: z.enum(['any', 'in-stock']).catch('any').default('any'),
});

export async function catalogRoutes(app: FastifyInstance) {
  const { catalog } = app.shop;

  app.get('/', async (request, reply) => {
    const raw = CatalogQuery.parse(request.query ?? {});
    // A search for a card number is dropped, never run, echoed or kept: the customer is told.
    const refusedSearch = raw.q !== undefined && containsCardNumber(raw.q);
    const query = refusedSearch ? { ...raw, q: undefined } : raw;
    const filter = { categorySlug: query.category, search: query.q, sort: query.sort, inStock: query.availability === 'in-stock' };
    const [first, categories] = await Promise.all([catalog.productPage(filter, CATALOG_PAGE_SIZE, (query.page - 1) * CATALOG_PAGE_SIZE), catalog.categories()]);
    const total = first.total;
    const pages = Math.max(1, Math.ceil(total / CATALOG_PAGE_SIZE));
    const page = Math.min(query.page, pages);
    // A page number past the end shows the last page.
    const products = page === query.page ? first.products : (await catalog.productPage(filter, CATALOG_PAGE_SIZE, (page - 1) * CATALOG_PAGE_SIZE)).products;
    const base = await buildPageBase(request, reply);
    const render = async () => {
      const ctx = withHoles(base);
      const category = categories.find((c) => c.slug === query.category);
      const title = category ? localized(ctx.locale, category.name_ja, category.name_en) : ctx.m.catalog.title;
      return toTemplate(renderPage(ctx, { title, description: ctx.m.meta.homeDescription(ctx.shopName), indexable: !query.q }, (
        <CatalogPage ctx={ctx} products={products} categories={categories} currentCategory={category?.slug} search={query.q} searchError={refusedSearch ? ctx.m.errors.cardNumber : undefined} total={total} page={page} pages={pages} sort={query.sort} inStock={query.availability === 'in-stock'} stockDisplay={app.shop.config.stockDisplay} />
      )));
    };
    // Browsing pages are kept; a search (any text) or an unknown parameter is rendered afresh.
    const keys = Object.keys((request.query ?? {}) as object);
    const browsing = !raw.q && keys.every((k) => ['category', 'page', 'lang', 'sort', 'availability'].includes(k));
    // Keyed by the path (the language links carry it) and the parsed sort and filter: a listing
    // sorted or filtered otherwise is never served from another's entry (page-cache.test.ts).
    const template = browsing
      ? await catalog.derived(`page:catalog:${base.locale}:${base.path}:${query.category ?? ''}:${query.sort}:${query.availability}:${page}:${base.incidentNotice?.href ?? ''}`, render)
      : await render();
    return sendPage(request, reply, template);
  });

  app.get<{ Params: { slug: string } }>('/products/:slug', async (request, reply) => {
    const product = await catalog.productBySlug(request.params.slug);
    if (!product) throw new ShopError('MAMORI_ERR_PRODUCT_NOT_FOUND');
    const base = await buildPageBase(request, reply);
    const render = async () => {
      const ctx = withHoles(base);
      const name = localized(ctx.locale, product.name_ja, product.name_en);
      return toTemplate(renderPage(ctx, { title: name, description: localized(ctx.locale, product.description_ja, product.description_en), canonicalPath: `/products/${product.slug}` }, (
        <ProductPage ctx={ctx} product={product} stockDisplay={app.shop.config.stockDisplay} />
      )));
    };
    const canonical = base.path === `/products/${product.slug}`;
    const template = canonical ? await catalog.derived(`page:product:${product.slug}:${base.locale}:${base.incidentNotice?.href ?? ''}`, render) : await render();
    return sendPage(request, reply, template);
  });
}
