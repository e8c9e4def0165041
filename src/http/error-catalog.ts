// Every error the shop can return, in one place: a stable code (never reused for another
// meaning), its HTTP status and a title. Services return these codes as values; the HTTP
// layer (error-handler.ts) is the only place that turns them into responses.
export const ERROR_CATALOG = {
  MAMORI_ERR_VALIDATION: { status: 400, title: 'The request has invalid fields' },
  MAMORI_ERR_MALFORMED_BODY: { status: 400, title: 'The request body could not be parsed' },
  MAMORI_ERR_CSRF: { status: 403, title: 'The form token is missing or expired' },
  MAMORI_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  MAMORI_ERR_PRODUCT_NOT_FOUND: { status: 404, title: 'Product not found' },
  MAMORI_ERR_VARIANT_NOT_FOUND: { status: 404, title: 'Variant not found' },
  MAMORI_ERR_CART_NOT_FOUND: { status: 404, title: 'Cart not found' },
  MAMORI_ERR_CART_ITEM_NOT_FOUND: { status: 404, title: 'Cart item not found' },
  MAMORI_ERR_ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  MAMORI_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  MAMORI_ERR_CART_EMPTY: { status: 409, title: 'The cart is empty' },
  MAMORI_ERR_INSUFFICIENT_STOCK: { status: 409, title: 'Not enough stock' },
  MAMORI_ERR_ORDER_NOT_PAYABLE: { status: 409, title: 'The order cannot be paid in its current state' },
  MAMORI_ERR_ORDER_LIMIT: { status: 409, title: 'The order is over the per-order limit of units or lines' },
  MAMORI_ERR_BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  MAMORI_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  MAMORI_ERR_RETURN_URL_NOT_ALLOWED: { status: 422, title: 'The returnUrl is not on an allowed origin (STORE_API_RETURN_ORIGINS)' },
  MAMORI_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  MAMORI_ERR_TOO_MANY_PENDING_ORDERS: { status: 429, title: 'Too many unpaid orders; pay or wait for one to expire' },
  MAMORI_ERR_INTERNAL: { status: 500, title: 'Internal error' },
  MAMORI_ERR_PAYMENT_UNAVAILABLE: { status: 503, title: 'The payment provider is unavailable' },
  MAMORI_ERR_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  MAMORI_ERR_CHECKOUT_PAUSED: { status: 503, title: 'Card payment is temporarily unavailable; your cart is kept' },
  MAMORI_ERR_SHOP_STOPPED: { status: 503, title: 'The shop is temporarily closed' },
  MAMORI_ERR_DELIVERY_NOT_AVAILABLE: { status: 422, title: 'The delivery choice is not offered (method disabled or unable to carry the order, date outside the window, or time slot not offered)' },
  MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE: { status: 422, title: 'The payment method is not offered by this shop for this order' },
  MAMORI_ERR_KONBINI_STORE_REQUIRED: { status: 422, title: 'A konbini payment needs the chain the customer will pay at (konbiniStore)' },
  MAMORI_ERR_COUPON_NOT_FOUND: { status: 422, title: 'No coupon with this code is on offer' },
  MAMORI_ERR_COUPON_EXPIRED: { status: 422, title: 'The coupon is outside its validity period' },
  MAMORI_ERR_COUPON_MINIMUM_NOT_MET: { status: 422, title: 'The order is below the coupon\'s minimum' },
  MAMORI_ERR_COUPON_LIMIT_REACHED: { status: 422, title: 'The coupon has been used as often as it may be (overall or by this customer)' },
  MAMORI_ERR_POSTAL_CODE_NOT_FOUND: { status: 404, title: 'No address is known for this postal code' },
  MAMORI_ERR_PASSKEYS_UNAVAILABLE: { status: 404, title: 'This shop offers no passkeys (its public URL is not a domain name)' },
  MAMORI_ERR_SIGN_IN_REQUIRED: { status: 401, title: 'Sign in to your account first' },
  MAMORI_ERR_PASSKEY_REJECTED: { status: 400, title: 'The passkey response was not accepted (expired or used challenge, wrong origin, or no user verification)' },
  MAMORI_ERR_PASSKEY_SIGN_IN_FAILED: { status: 401, title: 'Signing in with this passkey failed' },
  // Store API customer tokens (src/store-api/customer-routes.ts). One code and one answer for a
  // wrong password, an unknown e-mail and a disabled account, so the API cannot probe for accounts.
  MAMORI_ERR_INVALID_CREDENTIALS: { status: 401, title: 'The e-mail address or the password is wrong' },
  MAMORI_ERR_SIGN_IN_LOCKED: { status: 429, title: 'Too many failed sign-ins for this e-mail address from here; try again later' },
  MAMORI_ERR_EMAIL_NOT_VERIFIED: { status: 401, title: 'Confirm the e-mail address first (the link in the registration mail; signing in on the account page sends a new one)' },
  MAMORI_ERR_SECOND_FACTOR_REQUIRED: { status: 401, title: 'This account signs in with a second factor, which the Store API does not take yet: sign in on the account page' },
  MAMORI_ERR_INVALID_BEARER_TOKEN: { status: 401, title: 'The bearer token is missing, malformed, expired or revoked; get a new one from POST /api/store/customers/token' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface FieldError {
  /** Dotted path of the field, e.g. `shippingAddress.postalCode`. */
  field: string;
  message: string;
}

/** Thrown by route handlers (only) to hand an expected error to the one error handler. */
export class ShopError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly fields: FieldError[] = [],
  ) {
    super(detail ?? ERROR_CATALOG[code].title);
    this.name = 'ShopError';
  }
}

export function problemSlug(code: ErrorCode): string {
  return code.replace(/^MAMORI_ERR_/, '').toLowerCase().replace(/_/g, '-');
}

/** The problem's `type`: a page on the shop itself (GET /problems/{slug}) that explains the code. */
export function problemType(code: ErrorCode, shopUrl: string): string {
  return `${shopUrl}/problems/${problemSlug(code)}`;
}

export function errorCodeForSlug(slug: string): ErrorCode | undefined {
  return (Object.keys(ERROR_CATALOG) as ErrorCode[]).find((c) => problemSlug(c) === slug);
}
