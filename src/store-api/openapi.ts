import { z } from 'zod';
import * as S from './schemas.ts';
import * as C from './customer-schemas.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.toJSONSchema(S.Problem) } } });
/** The routes that take a customer's token (customer-routes.ts); every other one keeps the document's `security: []`. */
const BEARER = [{ bearerAuth: [] }];
const unauthorized = problem('No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN)');
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

/** OpenAPI 3.1 description of the Store API, generated from the same Zod schemas the routes use. */
export function buildOpenApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mamori Store API',
      version: '1.0.0',
      description: 'Catalog, carts, checkout and order status; optionally a customer account\'s token (POST /api/store/customers/token) for its profile and order history, and to place orders in the account. Prices are integer JPY, tax-inclusive. Errors are RFC 9457 problem details. Card data is never accepted here: payment happens on the gateway page at paymentUrl.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // The Store API is public: only the customer routes take credentials, a bearer token from
    // POST /api/store/customers/token (checkout takes one optionally). An order is otherwise read
    // with the accessToken its checkout returned, a query parameter rather than a security scheme.
    security: [],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A customer account\'s token from POST /api/store/customers/token, as `Authorization: Bearer <token>`. No cookie is involved.' },
      },
    },
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
          description: 'A guest checkout by default. With a customer\'s bearer token the order also joins that account\'s history (GET /api/store/customers/me/orders); a token that is not valid is refused with 401, never taken for a guest.',
          // Either no credentials at all, or a customer's token.
          security: [{}, ...BEARER],
          requestBody: { required: true, content: json(S.CheckoutBody, 'input') },
          responses: { 201: { description: 'The order and where to pay it', content: json(S.CheckoutResult) }, 400: problem('Invalid customer details (fields listed)'), 401: unauthorized, 404: problem('No such cart'), 409: problem('Cart empty, stock changed, or over the per-order limit of units or lines'), 422: problem('returnUrl is not on an allowed origin (MAMORI_ERR_RETURN_URL_NOT_ALLOWED), the delivery choice is not offered (MAMORI_ERR_DELIVERY_NOT_AVAILABLE), paymentMethod is not offered for this order (MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE), konbini without konbiniStore (MAMORI_ERR_KONBINI_STORE_REQUIRED), or couponCode is refused (MAMORI_ERR_COUPON_NOT_FOUND, MAMORI_ERR_COUPON_EXPIRED, MAMORI_ERR_COUPON_MINIMUM_NOT_MET, MAMORI_ERR_COUPON_LIMIT_REACHED)'), 429: problem('Too many unpaid orders from this address or for this e-mail (MAMORI_ERR_TOO_MANY_PENDING_ORDERS)') },
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
      '/api/store/customers/token': {
        post: {
          operationId: 'createCustomerToken', summary: 'Sign in to a customer account: a bearer token for the customer routes',
          description: 'The same sign-in as the account page: a wrong password, an unknown e-mail and a disabled account get the same 401, after the same growing delay; repeated failures lock the e-mail from this address for a while (429). An account whose e-mail is not yet verified, or that signs in with a second factor, gets no token.',
          requestBody: { required: true, content: json(C.TokenRequest, 'input') },
          responses: {
            201: { description: 'The token (only its hash is kept)', content: json(C.TokenAnswer) },
            400: problem('Invalid body'),
            401: problem('Wrong e-mail or password (MAMORI_ERR_INVALID_CREDENTIALS), e-mail not verified yet (MAMORI_ERR_EMAIL_NOT_VERIFIED), or a second factor is required (MAMORI_ERR_SECOND_FACTOR_REQUIRED)'),
            415: problem('Not JSON'),
            429: problem('Too many failed sign-ins for this e-mail from this address (MAMORI_ERR_SIGN_IN_LOCKED), or too many requests (MAMORI_ERR_RATE_LIMITED)'),
          },
        },
        delete: {
          operationId: 'revokeCustomerToken', summary: 'Sign out: the token presented stops working', security: BEARER,
          responses: { 204: { description: 'Revoked' }, 401: unauthorized },
        },
      },
      '/api/store/customers/me': {
        get: { operationId: 'getCustomerProfile', summary: 'The signed-in customer', security: BEARER, responses: { 200: { description: 'The account', content: json(C.CustomerProfile) }, 401: unauthorized } },
      },
      '/api/store/customers/me/orders': {
        get: {
          operationId: 'listCustomerOrders', summary: 'The signed-in customer\'s orders, newest first', security: BEARER,
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          ],
          responses: { 200: { description: 'A page of orders', content: json(C.OrderHistory) }, 400: problem('Invalid limit or cursor'), 401: unauthorized },
        },
      },
      '/api/store/customers/me/orders/{orderNumber}': {
        get: {
          operationId: 'getCustomerOrder', summary: 'One of the signed-in customer\'s orders', security: BEARER,
          parameters: [idParam('orderNumber', 'the order number, e.g. MA-7K2Q-9XJ4')],
          responses: { 200: { description: 'The order', content: json(S.OrderView) }, 401: unauthorized, 404: problem('No such order among this customer\'s (another customer\'s order included)') },
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
