import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { ShopError } from '../http/error-catalog.ts';
import { CART_COOKIE } from '../http/cookies.ts';
import { findProductBySlug } from '../catalog/queries.ts';
import { ProductPage } from '../catalog/views/product-page.tsx';
import { localized } from '../layout/view-context.ts';
import { messagesFor } from '../i18n/locale.ts';
import { addCartItem, createCart, getCart, MAX_LINE_QUANTITY, removeCartItem, setCartItemQuantity, type Cart } from './service.ts';
import { priceLines } from './price-cart.ts';
import { cartShippingEstimate } from '../shipping/delivery-options.ts';
import { CartPage } from './views/cart-page.tsx';
import { RowIdParam } from '../http/row-id.js';

const Quantity = z.coerce.number().int().min(1).max(MAX_LINE_QUANTITY);
const AddItemForm = z.object({ variantId: RowIdParam, quantity: Quantity });
const ItemParams = z.object({ itemId: RowIdParam });

export function cartIdFrom(request: FastifyRequest): string | undefined {
  const id = request.cookies[CART_COOKIE];
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

export async function cartRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  const limit = { rateLimit: { max: app.web.rateLimits.cart, timeWindow: '1 minute' } };

  async function renderCart(request: FastifyRequest, reply: FastifyReply, cart: Cart | undefined, extra: { notice?: string; lineErrors?: Record<number, string> } = {}, status = 200) {
    const ctx = await buildViewContext(request, reply);
    const shipping = await cartShippingEstimate(shop, cart?.lines ?? []);
    const totals = priceLines((cart?.lines ?? []).map((l) => ({ unitPrice: l.unitPrice, quantity: l.quantity, taxRate: l.taxRate })), shipping, shop.rounding);
    return reply.code(status).type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.cart.title, description: ctx.m.cart.title, indexable: false },
        <CartPage ctx={ctx} cart={cart} totals={totals} freeOver={shipping.freeOver} notice={extra.notice} lineErrors={extra.lineErrors} />),
    );
  }

  app.get('/cart', async (request, reply) => {
    const id = cartIdFrom(request);
    return renderCart(request, reply, id ? await getCart(db, id) : undefined);
  });

  app.post('/cart/items', { config: limit }, async (request, reply) => {
    const form = AddItemForm.safeParse(request.body);
    if (!form.success) throw new ShopError('MAMORI_ERR_VALIDATION', 'variantId and quantity (1–99) are required');
    let cartId = cartIdFrom(request);
    if (!cartId || !(await getCart(db, cartId))) {
      cartId = await createCart(db, shop.clock());
      reply.setCookie(CART_COOKIE, cartId, app.web.cookieOptions({ maxAge: 30 * 24 * 3600 }));
    }
    const r = await addCartItem(db, cartId, form.data.variantId, form.data.quantity, shop.clock(), shop.config.orderLimits);
    if (r.ok) return reply.redirect(`/cart?lang=${request.locale}`, 303);
    if (r.error === 'VARIANT_NOT_FOUND') throw new ShopError('MAMORI_ERR_VARIANT_NOT_FOUND');
    // Re-render the product page with the customer's choice and a message.
    const slug = await db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('v.id', '=', form.data.variantId).select('p.slug').executeTakeFirst();
    const product = slug && (await findProductBySlug(db, slug.slug, shop.clock()));
    if (!product) throw new ShopError('MAMORI_ERR_VARIANT_NOT_FOUND');
    const ctx = await buildViewContext(request, reply);
    const error = r.error === 'ORDER_LIMIT' ? ctx.m.checkout.orderLimit(shop.config.orderLimits.maxUnitsPerVariant, shop.config.orderLimits.maxLines) : ctx.m.errors.insufficientStock;
    return reply.code(409).type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: localized(ctx.locale, product.name_ja, product.name_en), description: error, indexable: false },
        <ProductPage ctx={ctx} product={product} error={error} stockDisplay={shop.config.stockDisplay} />),
    );
  });

  app.post('/cart/items/:itemId', { config: limit }, async (request, reply) => {
    const params = ItemParams.safeParse(request.params);
    const cartId = cartIdFrom(request);
    if (!params.success || !cartId) throw new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
    const qty = Quantity.safeParse((request.body as Record<string, unknown> | undefined)?.quantity);
    const m = messagesFor(request.locale);
    if (!qty.success) {
      return renderCart(request, reply, await getCart(db, cartId), { lineErrors: { [params.data.itemId]: m.errors.quantity } }, 400);
    }
    const r = await setCartItemQuantity(db, cartId, params.data.itemId, qty.data, shop.clock(), shop.config.orderLimits);
    if (r.ok) return reply.redirect(`/cart?lang=${request.locale}`, 303);
    if (r.error === 'INSUFFICIENT_STOCK') {
      return renderCart(request, reply, await getCart(db, cartId), { lineErrors: { [params.data.itemId]: `${m.errors.insufficientStock} (${r.available ?? 0})` } }, 409);
    }
    if (r.error === 'ORDER_LIMIT') {
      return renderCart(request, reply, await getCart(db, cartId), { lineErrors: { [params.data.itemId]: m.checkout.orderLimit(shop.config.orderLimits.maxUnitsPerVariant, shop.config.orderLimits.maxLines) } }, 409);
    }
    throw new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
  });

  app.post('/cart/items/:itemId/remove', { config: limit }, async (request, reply) => {
    const params = ItemParams.safeParse(request.params);
    const cartId = cartIdFrom(request);
    if (!params.success || !cartId) throw new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
    const r = await removeCartItem(db, cartId, params.data.itemId, shop.clock());
    if (!r.ok) throw new ShopError('MAMORI_ERR_CART_ITEM_NOT_FOUND');
    return reply.redirect(`/cart?lang=${request.locale}`, 303);
  });
}
