// Back-office catalog routes (owner and staff, per route-access.ts). Registered inside the admin
// plugin, so the IP allow-list, session, role table and CSRF hooks apply to every one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import path from 'node:path';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { addProductImage, deleteProductImage, MAX_IMAGE_BYTES, moveProductImage } from './product-images.ts';
import { scanUpload } from '../malware-scan/upload-scan.ts';
import { adminDb } from './admin-tables.ts';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import { verifyAdminCsrf } from './admin-guard.tsx';
import { addVariant, adjustStock, createProduct, listAdminProducts, loadAdminProduct, updateProduct, updateVariant, type CatalogChangeError } from './catalog-admin.ts';
import { findProductForPreview, listCategories } from '../catalog/queries.ts';
import { SLUG_PATTERN } from '../catalog/slug-from-name.ts';
import { instantToWallTime, wallTimeToInstant } from '../incidents/legal-deadlines.ts';
import { buildViewContext } from '../http/view-context-builder.ts';
import { renderPage } from '../layout/page-layout.tsx';
import { localized } from '../layout/view-context.ts';
import { ProductPage } from '../catalog/views/product-page.tsx';
import { catalogBrowseMessages } from '../catalog/catalog-browse-messages.ts';
import { formatDateTime } from '../i18n/locale.ts';
import { CARD_NUMBER_MESSAGE_EN, containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { EditProductPage, NewProductPage, ProductListPage, type ProductFormValues } from './views/product-pages.tsx';
import { RowIdParam } from '../http/row-id.js';

// No card numbers in catalog text: what is stored here is shown to every visitor and kept in backups.
const text = (max: number) => textWithoutCardNumber(z.string().trim().min(1).max(max));
const ProductForm = z.object({
  // Empty: made from the Japanese name on create (slug-from-name.ts), kept as it was on edit.
  slug: z.string().trim().max(80).regex(SLUG_PATTERN).optional().or(z.literal('').transform(() => undefined)),
  categoryId: RowIdParam,
  nameJa: text(200), nameEn: text(200),
  descriptionJa: text(5000), descriptionEn: text(5000),
  reading: textWithoutCardNumber(z.string().trim().max(500)).optional().default(''),
  taxRate: z.enum(['8', '10']).transform((r) => (r === '8' ? 8 : 10) as 8 | 10),
  status: z.enum(['active', 'archived']),
  publication: z.enum(['draft', 'published']).default('published'),
  // A wall-clock time in SHOP_TIME_ZONE (datetime-local); empty: at once.
  publishAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}:00Z`))).optional().or(z.literal('').transform(() => undefined)),
});
/** The form's publishAt (shop time) as the stored UTC instant. */
const publishAtOf = (wall: string | undefined, timeZone: string) => (wall ? wallTimeToInstant(wall, timeZone).toISOString() : null);
const VariantForm = z.object({
  sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
  variantNameJa: text(200), variantNameEn: text(200),
  price: z.coerce.number().int().min(0).max(10_000_000),
});
const NewVariantForm = VariantForm.extend({ stock: z.coerce.number().int().min(0).max(1_000_000) });
const StockForm = z.object({ delta: z.coerce.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0), reason: text(200) });
const IdParams = z.object({ id: RowIdParam });

function formValues(body: unknown): ProductFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: ProductFormValues = {};
  for (const k of ['slug', 'categoryId', 'nameJa', 'nameEn', 'descriptionJa', 'descriptionEn', 'reading', 'taxRate', 'status', 'sku', 'variantNameJa', 'variantNameEn', 'price', 'stock', 'publication', 'publishAt'] as const) {
    // A refused card number is not echoed back into the re-rendered form.
    if (typeof b[k] === 'string' && !containsCardNumber(b[k] as string)) out[k] = (b[k] as string).slice(0, 5000);
  }
  return out;
}

export async function catalogAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  // Multipart only here (image upload), buffered in memory up to one byte over the limit so an
  // oversized file is recognised and answered with a form message rather than cut silently.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_IMAGE_BYTES + 1, files: 1, fields: 8, fieldSize: 2000, parts: 10 },
  });
  const db = adminDb(shop.db.db);
  const actor = (request: FastifyRequest) => ({ account: signedInAccount(request), ip: request.ip, now: shop.clock() });
  const changed = () => shop.catalog.invalidate();

  async function editPage(request: FastifyRequest, reply: FastifyReply, productId: number, extra: { notice?: string; error?: string } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const loaded = await loadAdminProduct(db, productId);
    if (!loaded) return reply.callNotFound();
    const categories = await listCategories(shop.db.db);
    return sendAdminPage(reply, ctx, ctx.m.catalog.title, <EditProductPage ctx={ctx} categories={categories} timeZone={adminTimeZone(request)} {...loaded} {...extra} />, status);
  }

  function errorText(request: FastifyRequest, reply: FastifyReply, error: CatalogChangeError | 'invalid' | 'cardNumber') {
    return adminViewContext(request, reply).m.catalog.errors[error];
  }

  /** Why a form was refused: a card number in some field, or anything else. */
  const formError = (...results: z.ZodSafeParseResult<unknown>[]): 'cardNumber' | 'invalid' =>
    results.some((r) => !r.success && r.error.issues.some((i) => i.message === CARD_NUMBER_MESSAGE_EN)) ? 'cardNumber' : 'invalid';

  app.get('/products', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    return sendAdminPage(reply, ctx, ctx.m.catalog.title, <ProductListPage ctx={ctx} products={await listAdminProducts(db)} />);
  });

  app.get('/products/new', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const categories = await listCategories(shop.db.db);
    return sendAdminPage(reply, ctx, ctx.m.catalog.newProduct, <NewProductPage ctx={ctx} categories={categories} values={{ categoryId: String(categories[0]?.id ?? '') }} />);
  });

  app.post('/products', async (request, reply) => {
    const product = ProductForm.safeParse(request.body ?? {});
    const variant = NewVariantForm.safeParse(request.body ?? {});
    const ctx = adminViewContext(request, reply);
    const categories = await listCategories(shop.db.db);
    const values = formValues(request.body);
    if (!product.success || !variant.success) {
      return sendAdminPage(reply, ctx, ctx.m.catalog.newProduct, <NewProductPage ctx={ctx} categories={categories} values={values} error={ctx.m.catalog.errors[formError(product, variant)]} />, 400);
    }
    const v = variant.data;
    const r = await createProduct(db, { ...product.data, publishAt: publishAtOf(product.data.publishAt, adminTimeZone(request)) }, { sku: v.sku, nameJa: v.variantNameJa, nameEn: v.variantNameEn, price: v.price, stock: v.stock }, actor(request));
    if (!r.ok) return sendAdminPage(reply, ctx, ctx.m.catalog.newProduct, <NewProductPage ctx={ctx} categories={categories} values={values} error={ctx.m.catalog.errors[r.error]} />, 409);
    changed();
    return reply.code(303).redirect(`/admin/products/${r.productId}?saved=1`);
  });

  app.get('/products/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const saved = (request.query as Record<string, unknown> | undefined)?.saved === '1';
    return editPage(request, reply, params.data.id, saved ? { notice: adminViewContext(request, reply).m.catalog.saved } : {});
  });

  app.post('/products/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = ProductForm.safeParse(request.body ?? {});
    if (!form.success) return editPage(request, reply, params.data.id, { error: errorText(request, reply, formError(form)) }, 400);
    const r = await updateProduct(db, params.data.id, { ...form.data, publishAt: publishAtOf(form.data.publishAt, adminTimeZone(request)) }, actor(request));
    if (!r.ok) return r.error === 'PRODUCT_NOT_FOUND' ? reply.callNotFound() : editPage(request, reply, params.data.id, { error: errorText(request, reply, r.error) }, 409);
    changed();
    return reply.code(303).redirect(`/admin/products/${params.data.id}?saved=1`);
  });

  app.post('/products/:id/variants', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = NewVariantForm.safeParse(request.body ?? {});
    if (!form.success) return editPage(request, reply, params.data.id, { error: errorText(request, reply, formError(form)) }, 400);
    const f = form.data;
    const r = await addVariant(db, params.data.id, { sku: f.sku, nameJa: f.variantNameJa, nameEn: f.variantNameEn, price: f.price, stock: f.stock }, actor(request));
    if (!r.ok) return r.error === 'PRODUCT_NOT_FOUND' ? reply.callNotFound() : editPage(request, reply, params.data.id, { error: errorText(request, reply, r.error) }, 409);
    changed();
    return reply.code(303).redirect(`/admin/products/${params.data.id}?saved=1`);
  });

  app.post('/products/:id/images', { config: { csrfAfterBody: true }, preValidation: verifyAdminCsrf }, async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    if ([body.altJa, body.altEn].some((t) => typeof t === 'string' && containsCardNumber(t))) return editPage(request, reply, params.data.id, { error: errorText(request, reply, 'cardNumber') }, 400);
    const data = Buffer.isBuffer(body.image) ? body.image : undefined;
    const by = actor(request);
    const r = await addProductImage(db, shop.config.mediaDir, params.data.id, {
      data: data && data.length > MAX_IMAGE_BYTES ? Buffer.alloc(MAX_IMAGE_BYTES + 1) : data,
      altJa: typeof body.altJa === 'string' ? body.altJa : '',
      altEn: typeof body.altEn === 'string' ? body.altEn : '',
    }, by, (file) => scanUpload(shop, file, { target: `product:${params.data.id}`, actor: `admin:${by.account.id}`, ip: by.ip }));
    if (!r.ok) {
      if (r.error === 'PRODUCT_NOT_FOUND') return reply.callNotFound();
      const status = r.error === 'TOO_LARGE' ? 413 : r.error === 'MALWARE_SCAN_UNAVAILABLE' ? 503 : r.error === 'MALWARE_FOUND' ? 422 : 400;
      return editPage(request, reply, params.data.id, { error: adminViewContext(request, reply).m.catalog.imageErrors[r.error] }, status);
    }
    changed();
    return reply.code(303).redirect(`/admin/products/${params.data.id}?saved=1`);
  });

  const ImageParams = z.object({ id: RowIdParam, imageId: RowIdParam });
  app.post('/products/:id/images/:imageId/delete', async (request, reply) => {
    const params = ImageParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await deleteProductImage(db, shop.config.mediaDir, params.data.id, params.data.imageId, actor(request));
    if (!r.ok) return reply.callNotFound();
    changed();
    return reply.code(303).redirect(`/admin/products/${params.data.id}?saved=1`);
  });

  app.post('/products/:id/images/:imageId/move', async (request, reply) => {
    const params = ImageParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = z.object({ direction: z.enum(['up', 'down']) }).safeParse(request.body ?? {});
    if (!form.success) return editPage(request, reply, params.data.id, { error: errorText(request, reply, 'invalid') }, 400);
    const r = await moveProductImage(db, params.data.id, params.data.imageId, form.data.direction, actor(request));
    if (!r.ok) return reply.callNotFound();
    changed();
    return reply.code(303).redirect(`/admin/products/${params.data.id}?saved=1`);
  });

  // The product as the storefront will show it, whatever its state (draft, scheduled, archived);
  // never cached, never indexed, and only in the back office.
  app.get('/products/:id/preview', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const product = await findProductForPreview(shop.db.db, params.data.id);
    if (!product) return reply.callNotFound();
    const ctx = await buildViewContext(request, reply);
    const b = catalogBrowseMessages(ctx.locale);
    const now = shop.clock().toISOString();
    const state = product.status === 'archived' ? b.archived : product.publication === 'draft' ? b.draft
      : product.publish_at && product.publish_at > now ? b.scheduled(formatDateTime(product.publish_at, ctx.locale, ctx.timeZone)) : undefined;
    reply.header('cache-control', 'private, no-store');
    return reply.type('text/html; charset=utf-8').send(renderPage(ctx, { title: localized(ctx.locale, product.name_ja, product.name_en), description: '', indexable: false },
      <ProductPage ctx={ctx} product={product} stockDisplay={shop.config.stockDisplay} banner={state ? b.preview(state) : undefined} />));
  });

  app.post('/variants/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const variant = await db.selectFrom('variants').where('id', '=', params.data.id).select('product_id').executeTakeFirst();
    if (!variant) return reply.callNotFound();
    const form = VariantForm.safeParse(request.body ?? {});
    if (!form.success) return editPage(request, reply, variant.product_id, { error: errorText(request, reply, formError(form)) }, 400);
    const f = form.data;
    const r = await updateVariant(db, params.data.id, { sku: f.sku, nameJa: f.variantNameJa, nameEn: f.variantNameEn, price: f.price }, actor(request));
    if (!r.ok) return editPage(request, reply, variant.product_id, { error: errorText(request, reply, r.error) }, 409);
    changed();
    return reply.code(303).redirect(`/admin/products/${variant.product_id}?saved=1`);
  });

  app.post('/variants/:id/stock', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const variant = await db.selectFrom('variants').where('id', '=', params.data.id).select('product_id').executeTakeFirst();
    if (!variant) return reply.callNotFound();
    const form = StockForm.safeParse(request.body ?? {});
    if (!form.success) return editPage(request, reply, variant.product_id, { error: errorText(request, reply, formError(form)) }, 400);
    const r = await adjustStock(db, params.data.id, form.data.delta, form.data.reason, actor(request));
    if (!r.ok) return editPage(request, reply, variant.product_id, { error: errorText(request, reply, r.error) }, 409);
    changed();
    return reply.code(303).redirect(`/admin/products/${variant.product_id}?saved=1`);
  });
}
