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
import { scryptHasher } from '../customer-accounts/account-runtime.ts';

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

it('signs in, checks out in the account and finds the order in its history through the typed client', async () => {
  const at = '2026-11-20T01:00:00.000Z';
  await shop.db.db.insertInto('customers').values({
    email: 'typed@example.jp', name: '山田 花子', password_hash: await scryptHasher.hash('correct horse battery staple'), locale: 'ja', email_verified_at: at, disabled_at: null,
    totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
  }).execute();
  const api = createClient<paths>({ baseUrl: shop.url });
  const refused = await api.POST('/api/store/customers/token', { body: { email: 'typed@example.jp', password: 'wrong password' } });
  expect(refused.response.status).toBe(401);
  expect(refused.error!.code).toBe('MAMORI_ERR_INVALID_CREDENTIALS');
  const signedIn = await api.POST('/api/store/customers/token', { body: { email: 'typed@example.jp', password: 'correct horse battery staple' } });
  expect(signedIn.response.status).toBe(201);
  const auth = { headers: { authorization: `Bearer ${signedIn.data!.token}` } };

  const me = await api.GET('/api/store/customers/me', auth);
  expect(me.data!.email).toBe('typed@example.jp');
  const cart = await api.POST('/api/store/carts');
  const added = await api.POST('/api/store/carts/{id}/items', { params: { path: { id: cart.data!.id } }, body: { variantId: 1, quantity: 1 } });
  expect(added.response.status).toBe(201);
  const placed = await api.POST('/api/store/carts/{id}/checkout', { params: { path: { id: cart.data!.id } }, body: { ...GOOD_CUSTOMER, email: 'typed@example.jp' }, ...auth });
  expect(placed.response.status, JSON.stringify(placed.error)).toBe(201);

  const history = await api.GET('/api/store/customers/me/orders', { params: { query: { limit: 10 } }, ...auth });
  expect(history.data!.orders.map((o) => o.orderNumber)).toEqual([placed.data!.orderNumber]);
  const one = await api.GET('/api/store/customers/me/orders/{orderNumber}', { params: { path: { orderNumber: placed.data!.orderNumber } }, ...auth });
  expect(one.data!.status).toBe('pending_payment');

  expect((await api.DELETE('/api/store/customers/token', auth)).response.status).toBe(204);
  const after = await api.GET('/api/store/customers/me', auth);
  expect(after.response.status).toBe(401);
  expect(after.error!.code).toBe('MAMORI_ERR_INVALID_BEARER_TOKEN');
});
