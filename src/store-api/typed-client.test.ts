// A headless storefront's view of the Store API: a client typed from the OpenAPI document
// (openapi-typescript types, committed and checked up to date here, with openapi-fetch) browses the
// catalog, fills a cart and checks out against a real listening shop. If the document and the
// routes disagree, either this file stops type-checking or the answers fail the assertions.
import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import type { paths } from './store-api-types.generated.ts';
import { GENERATED_TYPES_FILE, storeApiTypesSource } from '../../test/support/store-api-types-source.ts';

let shop: TestShop;
beforeAll(async () => { shop = await startTestShop(DATABASES[0]!, { listen: true, reconcileAtStart: false }); });
afterAll(async () => shop?.dispose());

it('keeps the committed client types in step with the document (npm run openapi:types)', async () => {
  expect(readFileSync(GENERATED_TYPES_FILE, 'utf8')).toBe(await storeApiTypesSource());
});

it('browses, fills a cart and checks out through the typed client', async () => {
  const api = createClient<paths>({ baseUrl: shop.url });
  const list = await api.GET('/api/store/products', { params: { query: { q: '抹茶', limit: 5, lang: 'ja' } } });
  expect(list.response.status).toBe(200);
  const product = list.data!.products.find((p) => p.variants.some((v) => v.availability !== 'sold_out'))!;
  expect(product).toBeDefined();
  const one = await api.GET('/api/store/products/{slug}', { params: { path: { slug: product.slug } } });
  expect(one.data!.id).toBe(product.id);
  const variant = one.data!.variants.find((v) => v.availability !== 'sold_out')!;

  const cart = await api.POST('/api/store/carts');
  expect(cart.response.status).toBe(201);
  const cartId = cart.data!.id;
  const added = await api.POST('/api/store/carts/{id}/items', { params: { path: { id: cartId } }, body: { variantId: variant.id, quantity: 2 } });
  expect(added.response.status).toBe(201);
  expect(added.data!.items.map((l) => [l.variantId, l.quantity])).toEqual([[variant.id, 2]]);

  // A documented error comes back typed as problem details.
  const missing = await api.GET('/api/store/products/{slug}', { params: { path: { slug: 'no-such-product' } } });
  expect(missing.response.status).toBe(404);
  expect(missing.error!.code).toBe('MAMORI_ERR_PRODUCT_NOT_FOUND');

  const placed = await api.POST('/api/store/carts/{id}/checkout', { params: { path: { id: cartId } }, body: { ...GOOD_CUSTOMER, locale: 'en' } });
  expect(placed.response.status, JSON.stringify(placed.error)).toBe(201);
  const order = await api.GET('/api/store/orders/{orderId}', { params: { path: { orderId: placed.data!.orderId }, query: { token: placed.data!.accessToken } } });
  expect(order.data!.orderNumber).toBe(placed.data!.orderNumber);
  expect(order.data!.status).toBe('pending_payment');
});
