// The Store API (JSON). A contract external checks rely on: see openapi.ts and /api/openapi.json.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ShopError, type FieldError } from '../http/error-catalog.ts';
import { listProductDetails, type ProductDetail } from '../catalog/queries.ts';
import { sendPublicJson, toJsonAnswer } from '../catalog/page-cache.ts';
import { addCartItem, cartOf, createCart, getCart, removeCartItem, setCartItemQuantity, type Cart as CartModel, type CartResult } from '../cart/service.ts';
import { priceLines } from '../cart/price-cart.ts';
import { parseCustomerDetails } from '../checkout/customer-details.ts';
import { fieldErrorMessage } from '../checkout/views/checkout-page.tsx';
import { checkoutCart } from '../checkout/checkout-cart.ts';
import { getOrderForToken } from '../orders/service.ts';
import { localized } from '../layout/view-context.ts';
import { messagesFor, type Locale } from '../i18n/locale.ts';
import { AddItemBody, CheckoutBody, ProductListQuery, SetQuantityBody, ShippingMethodsQuery } from './schemas.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { allowedReturnUrl } from '../checkout/return-url.ts';
import { cartShippingEstimate } from '../shipping/delivery-options.ts';
import { apiDelivery, apiShippingMethods, deliveryProblem } from '../shipping/store-api-delivery.ts';
import { availabilityOf, publicStockCount } from '../catalog/stock-display.ts';
import { nonCardCheckoutAnswer } from '../payment-methods/store-api-answer.ts';
import { installStoreApiCors } from './store-api-cors.ts';
import { MAX_ROW_ID } from '../http/row-id.js';
import { orderView } from './order-view.ts';
import { customerApiRoutes, optionalApiCustomer } from './customer-routes.ts';
import type { CustomerAccountOptions } from '../customer-accounts/account-runtime.ts';
import { COUPON_ERROR_CODES } from '../coupons/coupon-checkout.ts';

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: FieldError[] = r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new ShopError('MAMORI_ERR_VALIDATION', 'The request has invalid fields', fields);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function cartIdParam(id: string): string {
  if (!UUID.test(id)) throw new ShopError('MAMORI_ERR_CART_NOT_FOUND');
  return id;
}
function itemIdParam(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0 || n > MAX_ROW_ID) throw new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
  return n;
}

function cartErrorToShopError(r: Extract<CartResult<unknown>, { ok: false }>): ShopError {
  switch (r.error) {
    case 'CART_NOT_FOUND': return new ShopError('MAMORI_ERR_CART_NOT_FOUND');
    case 'CART_ITEM_NOT_FOUND': return new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
    case 'VARIANT_NOT_FOUND': return new ShopError('MAMORI_ERR_VARIANT_NOT_FOUND', undefined, [{ field: 'variantId', message: 'No such variant' }]);
    case 'INSUFFICIENT_STOCK': return new ShopError('MAMORI_ERR_INSUFFICIENT_STOCK', `Only ${r.available ?? 0} available`, [{ field: 'quantity', message: `Only ${r.available ?? 0} available` }]);
    case 'ORDER_LIMIT': return r.available
      ? new ShopError('MAMORI_ERR_ORDER_LIMIT', `At most ${r.available} of one variant per order`, [{ field: 'quantity', message: `At most ${r.available} per order` }])
      : new ShopError('MAMORI_ERR_ORDER_LIMIT', 'The cart already holds the most lines one order may have', [{ field: 'variantId', message: 'Too many different items for one order' }]);
  }
}

export interface StoreApiOptions {
  /** Tests count password work and record the failed-login wait (customer-routes.ts). */
  customerAccounts?: CustomerAccountOptions | undefined;
}

export async function storeApiRoutes(app: FastifyInstance, opts: StoreApiOptions = {}) {
  const shop = app.shop;
  const db = shop.db.db;
  const cartLimit = { rateLimit: { max: app.web.rateLimits.cart, timeWindow: '1 minute' } };
  await installStoreApiCors(app, shop.config.storeApi.corsOrigins);

  // JSON only: a form-encoded or text body is refused before any handler runs.
  app.addHook('preValidation', async (request) => {
    if (['POST', 'PATCH', 'PUT'].includes(request.method) && request.body !== undefined) {
      const type = String(request.headers['content-type'] ?? '');
      if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ShopError('MAMORI_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
    }
  });

  const openApi = buildOpenApiDocument(shop.config.publicUrl);
  app.get('/openapi.json', async () => openApi);

  const productView = (p: ProductDetail, locale: Locale) => ({
    id: p.id,
    slug: p.slug,
    name: localized(locale, p.name_ja, p.name_en),
    description: localized(locale, p.description_ja, p.description_en),
    taxRate: p.tax_rate,
    variants: p.variants.map((v) => ({ id: v.id, sku: v.sku, name: localized(locale, v.name_ja, v.name_en), price: v.price, stock: publicStockCount(v.stock, shop.config.stockDisplay), availability: availabilityOf(v.stock, shop.config.stockDisplay) })),
    images: p.images.map((i) => ({ url: `/media/${i.path}`, alt: localized(locale, i.alt_ja, i.alt_en) })),
    category: { id: p.category_id, slug: p.category_slug, name: localized(locale, p.category_name_ja, p.category_name_en) },
  });

  const cartView = async (cart: CartModel, locale: Locale) => {
    const totals = priceLines(cart.lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.quantity, taxRate: l.taxRate })), await cartShippingEstimate(shop, cart.lines), shop.rounding);
    return {
      id: cart.id,
      items: cart.lines.map((l) => ({
        id: l.id, variantId: l.variantId, sku: l.sku,
        productName: localized(locale, l.productNameJa, l.productNameEn), variantName: localized(locale, l.variantNameJa, l.variantNameEn),
        unitPrice: l.unitPrice, quantity: l.quantity, taxRate: l.taxRate, lineTotal: l.lineTotal,
      })),
      totals: {
        itemsTotal: totals.itemsTotal, shippingFee: totals.shippingFee, total: totals.total,
        taxBreakdown: totals.taxLines.map((t) => ({ rate: t.taxRate, taxableTotal: t.taxableTotal, tax: t.tax })),
        discountTotal: totals.discountTotal,
      },
    };
  };

  async function loadCart(request: FastifyRequest, id: string) {
    const cart = await getCart(db, id);
    if (!cart) throw new ShopError('MAMORI_ERR_CART_NOT_FOUND');
    return cartView(cart, request.locale);
  }

  // Catalog reads: serialized once per (query, language) for as long as the catalog cache keeps
  // its reads (and dropped with them on every catalog change); a search is always run afresh.
  app.get('/store/products', async (request, reply) => {
    const q = parseOrThrow(ProductListQuery, request.query);
    const build = async () => {
      // The default order pages by id (keyset, as before); any other sort by offset.
      const byId = q.sort === 'recommended' && !q.cursor?.startsWith('o');
      const offset = q.cursor?.startsWith('o') ? Number(q.cursor.slice(1)) : 0;
      const filter = { search: q.q, categorySlug: q.category, sort: q.sort, inStock: q.availability === 'in-stock', now: shop.clock() };
      const rows = await listProductDetails(db, filter, byId ? { limit: q.limit + 1, afterId: q.cursor ? Number(q.cursor) : undefined } : { limit: q.limit + 1, offset });
      const page = rows.slice(0, q.limit);
      return toJsonAnswer({
        products: page.map((d) => productView(d, request.locale)),
        nextCursor: rows.length <= q.limit ? null : byId ? String(page[page.length - 1]!.id) : `o${offset + q.limit}`,
      });
    };
    const answer = q.q ? await build() : await shop.catalog.derived(`api:products:${request.locale}:${q.category ?? ''}:${q.sort}:${q.availability}:${q.limit}:${q.cursor ?? ''}`, build);
    return sendPublicJson(request, reply, answer);
  });

  app.get('/store/categories', async (request, reply) => {
    const answer = await shop.catalog.derived(`api:categories:${request.locale}`, async () => toJsonAnswer({
      categories: (await shop.catalog.categories()).map((c) => ({ id: c.id, slug: c.slug, name: localized(request.locale, c.name_ja, c.name_en) })),
    }));
    return sendPublicJson(request, reply, answer);
  });

  app.get<{ Params: { slug: string } }>('/store/products/:slug', async (request, reply) => {
    const p = await shop.catalog.productBySlug(request.params.slug);
    if (!p) throw new ShopError('MAMORI_ERR_PRODUCT_NOT_FOUND');
    const answer = await shop.catalog.derived(`api:product:${p.slug}:${request.locale}`, async () => toJsonAnswer(productView(p, request.locale)));
    return sendPublicJson(request, reply, answer);
  });

  app.post('/store/carts', { config: cartLimit }, async (request, reply) => {
    const id = await createCart(db, shop.clock());
    return reply.code(201).header('location', `/api/store/carts/${id}`).send(await loadCart(request, id));
  });

  app.get<{ Params: { id: string } }>('/store/carts/:id', async (request) => loadCart(request, cartIdParam(request.params.id)));

  app.post<{ Params: { id: string } }>('/store/carts/:id/items', { config: cartLimit }, async (request, reply) => {
    const id = cartIdParam(request.params.id);
    const body = parseOrThrow(AddItemBody, request.body);
    const r = await addCartItem(db, id, body.variantId, body.quantity, shop.clock(), shop.config.orderLimits);
    if (!r.ok) throw cartErrorToShopError(r);
    // The cart exists (it was just written to): its lines are the one read left.
    return reply.code(201).send(await cartView(await cartOf(db, id), request.locale));
  });

  app.patch<{ Params: { id: string; itemId: string } }>('/store/carts/:id/items/:itemId', { config: cartLimit }, async (request) => {
    const id = cartIdParam(request.params.id);
    const body = parseOrThrow(SetQuantityBody, request.body);
    const r = await setCartItemQuantity(db, id, itemIdParam(request.params.itemId), body.quantity, shop.clock(), shop.config.orderLimits);
    if (!r.ok) throw cartErrorToShopError(r);
    return loadCart(request, id);
  });

  app.delete<{ Params: { id: string; itemId: string } }>('/store/carts/:id/items/:itemId', { config: cartLimit }, async (request) => {
    const id = cartIdParam(request.params.id);
    const r = await removeCartItem(db, id, itemIdParam(request.params.itemId), shop.clock());
    if (!r.ok) throw cartErrorToShopError(r);
    return loadCart(request, id);
  });

  app.post<{ Params: { id: string } }>('/store/carts/:id/checkout', { config: { rateLimit: { max: app.web.rateLimits.checkout, timeWindow: '1 minute' } } }, async (request, reply) => {
    // A bearer token links the order to the account, as a signed-in web checkout does; a bad one is a 401, not a guest order.
    const signedIn = await optionalApiCustomer(request, reply);
    const id = cartIdParam(request.params.id);
    const shape = parseOrThrow(CheckoutBody, request.body);
    const details = parseCustomerDetails(shape);
    if (!details.ok) {
      const m = messagesFor('en');
      throw new ShopError('MAMORI_ERR_VALIDATION', 'The request has invalid fields', details.errors.map((e) => ({ field: e.field, message: fieldErrorMessage(m, e) })));
    }
    const returnUrl = shape.returnUrl === undefined ? undefined : allowedReturnUrl(shape.returnUrl, shop.config.storeApi.returnOrigins);
    if (returnUrl === null) throw new ShopError('MAMORI_ERR_RETURN_URL_NOT_ALLOWED', `returnUrl must be on one of the shop's allowed origins`);
    const delivery = await apiDelivery(shop, (await getCart(db, id))?.lines ?? [], details.value.shippingAddress, shape.delivery);
    const result = await checkoutCart(shop, request.log, { cartId: id, customer: details.value, locale: shape.locale ?? request.locale, clientIp: request.ip, ...(returnUrl ? { returnUrl } : {}), delivery, ...(shape.paymentMethod ? { paymentMethod: shape.paymentMethod } : {}), konbiniStore: shape.konbiniStore, customerId: signedIn?.customer.id, couponCode: shape.couponCode });
    if (!result.ok) {
      if (result.error === 'COUPON_REFUSED') throw new ShopError(COUPON_ERROR_CODES[result.reason], undefined, [{ field: 'couponCode', message: result.reason.toLowerCase().replace(/_/g, ' ') }]);
      if (result.error === 'KONBINI_STORE_REQUIRED') throw new ShopError('MAMORI_ERR_KONBINI_STORE_REQUIRED', 'konbiniStore is required with paymentMethod konbini', [{ field: 'konbiniStore', message: 'required with paymentMethod konbini' }]);
      if (result.error === 'PAYMENT_METHOD_UNAVAILABLE') throw new ShopError('MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE', `paymentMethod ${shape.paymentMethod ?? 'card'} is not offered for this order`, [{ field: 'paymentMethod', message: 'not offered for this order' }]);
      if (result.error === 'CHECKOUT_PAUSED') throw new ShopError('MAMORI_ERR_CHECKOUT_PAUSED', 'Card payment is paused; the cart is kept. Try again later.');
      if (result.error === 'NOT_DELIVERABLE') throw deliveryProblem([{ field: 'delivery.methodId', code: 'notDeliverable' }]);
      if (result.error === 'ORDER_LIMIT') {
        throw new ShopError('MAMORI_ERR_ORDER_LIMIT', `One order may hold at most ${result.maxUnitsPerVariant} units of each variant and ${result.maxLines} lines`);
      }
      if (result.error === 'TOO_MANY_PENDING_ORDERS') {
        throw new ShopError('MAMORI_ERR_TOO_MANY_PENDING_ORDERS', result.by === 'address' ? 'Too many unpaid orders from this address' : 'Too many unpaid orders for this e-mail address');
      }
      if (result.error !== 'INSUFFICIENT_STOCK') throw new ShopError(result.error === 'CART_EMPTY' ? 'MAMORI_ERR_CART_EMPTY' : 'MAMORI_ERR_CART_NOT_FOUND');
      throw new ShopError('MAMORI_ERR_INSUFFICIENT_STOCK', 'Stock changed since the items were added', result.variants.map((v) => ({ field: `variant:${v.variantId}`, message: `${v.sku}: requested ${v.requested}, available ${v.available}` })));
    }
    // Only with a coupon do the discount fields join the answer: without one it is byte-for-byte as before.
    const discount = shape.couponCode ? { discountTotal: result.order.totals.discountTotal, couponCode: shape.couponCode } : {};
    if (result.paymentMethod && result.paymentMethod !== 'card') return reply.code(201).send({ ...(await nonCardCheckoutAnswer(shop, result)), ...discount });
    return reply.code(201).send({ orderId: result.order.orderId, orderNumber: result.order.orderNumber, accessToken: result.order.accessToken, paymentUrl: result.paymentUrl, ...(shape.couponCode ? { total: result.order.totals.total } : {}), ...discount });
  });

  app.get<{ Params: { orderId: string }; Querystring: { token?: string } }>('/store/orders/:orderId', { config: { rateLimit: { max: app.web.rateLimits.lookup * 6, timeWindow: '1 minute' } } }, async (request, reply) => {
    // Personal data behind a token in the URL: never cached, on success or refusal.
    reply.header('cache-control', 'no-store');
    const token = request.query.token;
    if (!UUID.test(request.params.orderId) || !token || token.length > 100) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    const detail = await getOrderForToken(db, request.params.orderId, token);
    if (!detail) throw new ShopError('MAMORI_ERR_ORDER_NOT_FOUND');
    return orderView(detail, request.locale);
  });

  // Customer sign-in with a bearer token and the order history (issue 18).
  await customerApiRoutes(app, opts.customerAccounts ?? {});

  // Delivery (issue 17): the methods, fees, dates and slots for a cart and prefecture.
  app.get('/store/shipping-methods', async (request) => {
    const q = parseOrThrow(ShippingMethodsQuery, request.query);
    const lines = q.cartId ? (await getCart(db, q.cartId))?.lines ?? [] : [];
    return apiShippingMethods(shop, lines, q.prefecture, request.locale);
  });
}
