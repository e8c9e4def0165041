import { z } from 'zod';
import * as S from './schemas.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.toJSONSchema(S.Problem) } } });
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

/** OpenAPI 3.1 description of the Store API, generated from the same Zod schemas the routes use. */
export function buildOpenApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mamori Store API',
      version: '1.0.0',
      description: 'Catalog, carts, checkout and order status. Prices are integer JPY, tax-inclusive. Errors are RFC 9457 problem details. Card data is never accepted here: payment happens on the gateway page at paymentUrl.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // The Store API is public: no operation takes credentials (an order is read with the
    // accessToken its checkout returned, a query parameter rather than a security scheme).
    security: [],
    servers: [{ url: serverUrl }],
    paths: {
      '/api/store/products': {
        get: {
          operationId: 'listProducts', summary: 'List products',
          parameters: [
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'q', in: 'query', schema: { type: 'string' }, description: 'search in Japanese or English: every word must be found in a name, reading (読み), category or description; full-width and half-width, katakana and hiragana, and long-vowel marks match alike; exact name matches first' },
            { name: 'lang', in: 'query', schema: { enum: ['ja', 'en'] } },
            { name: 'category', in: 'query', schema: { type: 'string' }, description: 'a category slug (GET /api/store/categories)' },
            { name: 'sort', in: 'query', schema: z.toJSONSchema(S.ProductListQuery.shape.sort, { io: 'input' }) },
            { name: 'availability', in: 'query', schema: z.toJSONSchema(S.ProductListQuery.shape.availability, { io: 'input' }) },
          ],
          responses: { 200: { description: 'A page of products', content: json(S.ProductList) }, 400: problem('Invalid query (an unknown sort or availability included)') },
        },
      },
      '/api/store/categories': {
        get: { operationId: 'listCategories', summary: 'The categories, in the shop\'s order', parameters: [{ name: 'lang', in: 'query', schema: { enum: ['ja', 'en'] } }], responses: { 200: { description: 'Every category', content: json(S.CategoryList) } } },
      },
      '/api/store/products/{slug}': {
        get: { operationId: 'getProduct', summary: 'One product', parameters: [idParam('slug', 'product slug')], responses: { 200: { description: 'The product', content: json(S.Product) }, 404: problem('No such product') } },
      },
      '/api/store/carts': {
        post: { operationId: 'createCart', summary: 'Create a cart', responses: { 201: { description: 'The new, empty cart', content: json(S.Cart) }, 429: problem('Too many carts from this address (MAMORI_ERR_RATE_LIMITED)') } },
      },
      '/api/store/carts/{id}': {
        get: { operationId: 'getCart', summary: 'Read a cart', parameters: [idParam('id', 'cart id')], responses: { 200: { description: 'The cart', content: json(S.Cart) }, 404: problem('No such cart') } },
      },
      '/api/store/carts/{id}/items': {
        post: {
          operationId: 'addCartItem', summary: 'Add a variant to the cart',
          parameters: [idParam('id', 'cart id')],
          requestBody: { required: true, content: json(S.AddItemBody, 'input') },
          responses: { 201: { description: 'The updated cart', content: json(S.Cart) }, 400: problem('Invalid body'), 404: problem('No such cart or variant'), 409: problem('Not enough stock, or over the per-order limit (MAMORI_ERR_ORDER_LIMIT)'), 415: problem('Not JSON') },
        },
      },
      '/api/store/carts/{id}/items/{itemId}': {
        patch: {
          operationId: 'setCartItemQuantity', summary: 'Change a line quantity',
          parameters: [idParam('id', 'cart id'), idParam('itemId', 'cart item id')],
          requestBody: { required: true, content: json(S.SetQuantityBody, 'input') },
          responses: { 200: { description: 'The updated cart', content: json(S.Cart) }, 400: problem('Invalid body'), 404: problem('No such cart or item'), 409: problem('Not enough stock, or over the per-order limit (MAMORI_ERR_ORDER_LIMIT)') },
        },
        delete: {
          operationId: 'removeCartItem', summary: 'Remove a line',
          parameters: [idParam('id', 'cart id'), idParam('itemId', 'cart item id')],
          responses: { 200: { description: 'The updated cart', content: json(S.Cart) }, 404: problem('No such cart or item') },
        },
      },
      '/api/store/carts/{id}/checkout': {
        post: {
          operationId: 'checkoutCart', summary: 'Place an order from the cart; stock is reserved until payment or expiry',
          requestBody: { required: true, content: json(S.CheckoutBody, 'input') },
          responses: { 201: { description: 'The order and where to pay it', content: json(S.CheckoutResult) }, 400: problem('Invalid customer details (fields listed)'), 404: problem('No such cart'), 409: problem('Cart empty, stock changed, or over the per-order limit of units or lines'), 422: problem('returnUrl is not on an allowed origin (MAMORI_ERR_RETURN_URL_NOT_ALLOWED), the delivery choice is not offered (MAMORI_ERR_DELIVERY_NOT_AVAILABLE), paymentMethod is not offered for this order (MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE), or couponCode is refused (MAMORI_ERR_COUPON_NOT_FOUND, MAMORI_ERR_COUPON_EXPIRED, MAMORI_ERR_COUPON_MINIMUM_NOT_MET, MAMORI_ERR_COUPON_LIMIT_REACHED)'), 429: problem('Too many unpaid orders from this address or for this e-mail (MAMORI_ERR_TOO_MANY_PENDING_ORDERS)') },
          parameters: [idParam('id', 'cart id'), { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' }, description: 'the order\'s language when the body has no `locale` (ja or en; default ja)' }],
        },
      },
      '/api/store/orders/{orderId}': {
        get: {
          operationId: 'getOrder', summary: 'Order status for its customer',
          parameters: [idParam('orderId', 'order id'), { name: 'token', in: 'query', required: true, schema: { type: 'string' }, description: 'the accessToken returned at checkout' }],
          responses: { 200: { description: 'The order', content: json(S.OrderView) }, 404: problem('No such order, or wrong token') },
        },
      },
      '/api/store/shipping-methods': {
        get: {
          operationId: 'listShippingMethods', summary: 'Shipping methods with their fee, delivery dates and time slots for a cart and prefecture',
          parameters: [
            { name: 'cartId', in: 'query', schema: { type: 'string' }, description: 'the cart the fee is computed for (size classes and total); absent: an empty cart' },
            { name: 'prefecture', in: 'query', schema: { type: 'string' }, description: 'destination prefecture, Japanese or English name; absent: the lowest fee of each table' },
            { name: 'lang', in: 'query', schema: { enum: ['ja', 'en'] } },
          ],
          responses: { 200: { description: 'The enabled methods in display order', content: json(S.ShippingMethodList) }, 400: problem('Invalid query') },
        },
      },
      '/healthz': { get: { operationId: 'checkHealth', summary: 'Liveness and database check', responses: { 200: { description: 'The database answers' }, 503: { description: 'The database does not answer' } } } },
      '/api/store/postal-codes/{code}': {
        get: {
          operationId: 'lookupPostalCode', summary: 'Prefecture, city and town of a Japanese postal code (Japan Post KEN_ALL)',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' }, description: '7 digits; 100-0001, full-width digits and 〒 are accepted' }],
          responses: { 200: { description: 'The address the code belongs to', content: json(S.PostalCodeAddress) }, 400: problem('Not a 7-digit postal code'), 404: problem('No address for this code (MAMORI_ERR_POSTAL_CODE_NOT_FOUND)') },
        },
      },
    },
  };
}
